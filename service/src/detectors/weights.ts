import type { WindowWeights } from '../../../common/detectors';

/**
 * Window weights and detectkit's weighted statistics (reference §4.3). Weights run oldest → newest; the newest
 * valid value gets the largest weight.
 */

/** `linear`: [1..n]/Σ; `exponential`: [d^n … d^1]/Σ. */
export function computeWeights(n: number, method: WindowWeights, decay: number): Float64Array {
  const w = new Float64Array(n);
  let sum = 0;
  for (let j = 0; j < n; j++) {
    w[j] = method === 'linear' ? j + 1 : Math.pow(decay, n - j);
    sum += w[j]!;
  }
  for (let j = 0; j < n; j++) {
    w[j] = w[j]! / sum;
  }
  return w;
}

/** numpy.isclose with its defaults (rtol 1e-5, atol 1e-8), as detectkit's percentile uses it. */
function isClose(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-8 + 1e-5 * Math.abs(b);
}

/**
 * detectkit's `weighted_percentile` over values already in sorted order (`xs`) with their weights (`ws`):
 * sequential cumsum, first cum >= p/100, linear interpolation inside the step.
 */
export function weightedPercentileSorted(xs: ArrayLike<number>, ws: ArrayLike<number>, n: number, p: number): number {
  const t = p / 100;
  let cum = 0;
  let prev = 0;
  let idx = 0;
  for (; idx < n; idx++) {
    prev = cum;
    cum += ws[idx]!;
    if (cum >= t) {
      break;
    }
  }
  if (idx >= n) {
    return xs[n - 1]!;
  }
  if (idx === 0) {
    return xs[0]!;
  }
  if (isClose(prev, cum)) {
    return xs[idx]!;
  }
  const lo = xs[idx - 1]!;
  return lo + ((t - prev) / (cum - prev)) * (xs[idx]! - lo);
}

/** numpy type-7 ("linear") percentile of sorted values: x[⌊h⌋] + (h-⌊h⌋)(x[⌊h⌋+1]-x[⌊h⌋]), h = (n-1)q. */
export function quantile7Sorted(xs: ArrayLike<number>, n: number, q: number): number {
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const frac = h - lo;
  const a = xs[lo]!;
  return frac === 0 || lo + 1 >= n ? a : a + frac * (xs[lo + 1]! - a);
}
