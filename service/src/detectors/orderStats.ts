import type { SortedRun } from './sortedRun';
import { quantile7Sorted, weightedPercentileSorted } from './weights';

/**
 * Order statistics of a sorted window: type-7 quantiles for uniform weights, detectkit's weighted percentile
 * for linear/exponential weights. The MAD is a k-th selection over the two sorted runs of deviations on either
 * side of the median, O(log n).
 */

const quantile7Fast = quantile7Sorted;

export function quantile(run: SortedRun, q: number): number {
  return quantile7Fast(run.vals, run.size, q);
}

/**
 * Median absolute deviation around `m` (the run's median). Left of the split the deviations m - x grow as x
 * falls; right of it x - m grows with x: two ascending runs, whose k-th and (k+1)-th smallest we select.
 */
export function madAround(run: SortedRun, m: number): number {
  const n = run.size;
  const x = run.vals;
  const split = Math.floor((n - 1) / 2); // x[0..split] <= m <= x[split+1..]
  const a = split + 1;
  const b = n - a;
  // A(j) = |x[split - j] - m| and B(j) = |x[a + j] - m| are both ascending; inlined (hot loop).
  const h = (n - 1) * 0.5;
  const k = Math.floor(h);
  // i = how many of the k+1 smallest deviations come from A.
  let lo = Math.max(0, k + 1 - b);
  let hi = Math.min(a, k + 1);
  let i = lo;
  while (lo <= hi) {
    i = (lo + hi) >>> 1;
    const j = k + 1 - i;
    if (i > 0 && j < b && Math.abs(x[split - i + 1]! - m) > Math.abs(x[a + j]! - m)) {
      hi = i - 1;
    } else if (j > 0 && i < a && Math.abs(x[a + j - 1]! - m) > Math.abs(x[split - i]! - m)) {
      lo = i + 1;
    } else {
      break;
    }
  }
  const j = k + 1 - i;
  const fromA = i > 0 ? Math.abs(x[split - i + 1]! - m) : -Infinity;
  const fromB = j > 0 ? Math.abs(x[a + j - 1]! - m) : -Infinity;
  const kth = fromA > fromB ? fromA : fromB;
  if (h === k) {
    return kth;
  }
  const nextA = i < a ? Math.abs(x[split - i]! - m) : Infinity;
  const nextB = j < b ? Math.abs(x[a + j]! - m) : Infinity;
  return kth + (h - k) * ((nextA < nextB ? nextA : nextB) - kth);
}

/** Weights in the run's sorted order, from each value's chronological rank (`rankOf`). */
export function sortedWeights(
  run: SortedRun,
  rankOf: (index: number) => number,
  weights: Float64Array,
  out: Float64Array
): void {
  const idx = run.idx!;
  for (let p = 0; p < run.size; p++) {
    out[p] = weights[rankOf(idx[p]!)]!;
  }
}

export function weightedQuantile(run: SortedRun, sortedW: Float64Array, p: number): number {
  return weightedPercentileSorted(run.vals, sortedW, run.size, p);
}

/**
 * detectkit's weighted_mad: weighted median of |x - m| with each value's own weight. The deviations come from
 * the two runs merged in ascending order; equal deviations keep chronological order (a stable argsort).
 */
export function weightedMad(
  run: SortedRun,
  sortedW: Float64Array,
  m: number,
  rankOf: (index: number) => number,
  devs: Float64Array,
  devW: Float64Array
): number {
  const n = run.size;
  const x = run.vals;
  const idx = run.idx!;
  // Split: x[0..s) < m on the left (deviation grows leftwards), x[s..n) >= m on the right.
  let s = 0;
  while (s < n && x[s]! < m) {
    s++;
  }
  let l = s - 1;
  let r = s;
  let out = 0;
  // The left run walks down; equal values form blocks whose members must still come out oldest first.
  let blockStart = -1;
  let blockPos = 0;
  const leftHead = (): number => {
    if (blockStart < 0 || blockPos > l) {
      // Open the block of equal values ending at l.
      let start = l;
      while (start > 0 && x[start - 1] === x[l]) {
        start--;
      }
      blockStart = start;
      blockPos = start;
    }
    return blockPos;
  };
  while (l >= 0 || r < n) {
    let takeLeft: boolean;
    let lp = -1;
    if (l < 0) {
      takeLeft = false;
    } else {
      lp = leftHead();
      if (r >= n) {
        takeLeft = true;
      } else {
        const dl = m - x[lp]!;
        const dr = x[r]! - m;
        takeLeft = dl < dr || (dl === dr && rankOf(idx[lp]!) < rankOf(idx[r]!));
      }
    }
    if (takeLeft) {
      devs[out] = m - x[lp]!;
      devW[out] = sortedW[lp]!;
      out++;
      blockPos++;
      if (blockPos > l) {
        // Block exhausted: continue below it.
        l = blockStart - 1;
        blockStart = -1;
      }
    } else {
      devs[out] = x[r]! - m;
      devW[out] = sortedW[r]!;
      out++;
      r++;
    }
  }
  return weightedPercentileSorted(devs, devW, n, 50);
}
