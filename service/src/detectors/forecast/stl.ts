/**
 * STL and MSTL decomposition (Cleveland et al. 1990, "STL: A Seasonal-Trend Decomposition Procedure Based on
 * Loess"; Bandara et al. 2021, "MSTL"), with the defaults of R's `stl` and of augurs' MSTL (stlrs): seasonal
 * loess of degree 0, trend and low-pass of degree 1, loess evaluated every ceil(window / 10) points and
 * interpolated between, two inner passes, no robustness passes, seasonal windows 7 + 4·k for the k-th period.
 *
 * Why our own: augurs' MSTL runs its loess without that skipping for long periods, and the weekly period of
 * 5-minute data (2,016 points, a 3,361-point trend window) made one decomposition of 30 days cost ~0.2 s of the
 * 0.2 s budget (issue #9). Here every smoother costs O(n), whatever its window. The trend forecast is still
 * augurs' AutoETS (models.ts).
 */

export interface Decomposition {
  trend: Float64Array;
  /** One component per period, in the order of `periods` as given. */
  seasonal: Float64Array[];
  remainder: Float64Array;
}

function nextOdd(x: number): number {
  const k = Math.ceil(x);
  return k % 2 === 0 ? k + 1 : k;
}

/**
 * Loess estimate at position `xs` from y[nleft..nright] (inclusive, 0-based), tricube weights; degree 1 adds a
 * local slope. Returns NaN when every weight is zero (the caller keeps the raw value then).
 */
function est(
  y: Float64Array,
  n: number,
  len: number,
  degree: number,
  xs: number,
  nleft: number,
  nright: number,
  w: Float64Array
): number {
  let h = Math.max(xs - nleft, nright - xs);
  if (len > n) {
    h += Math.floor((len - n) / 2);
  }
  const h9 = 0.999 * h;
  const h1 = 0.001 * h;
  let a = 0;
  for (let j = nleft; j <= nright; j++) {
    const r = Math.abs(j - xs);
    let wj = 0;
    if (r <= h9) {
      if (r <= h1) {
        wj = 1;
      } else {
        const q = r / h;
        const t = 1 - q * q * q;
        wj = t * t * t;
      }
    }
    w[j] = wj;
    a += wj;
  }
  if (a <= 0) {
    return NaN;
  }
  for (let j = nleft; j <= nright; j++) {
    w[j]! /= a;
  }
  if (h > 0 && degree > 0) {
    let mean = 0;
    for (let j = nleft; j <= nright; j++) {
      mean += w[j]! * j;
    }
    let c = 0;
    for (let j = nleft; j <= nright; j++) {
      c += w[j]! * (j - mean) * (j - mean);
    }
    if (Math.sqrt(c) > 0.001 * (n - 1)) {
      const b = (xs - mean) / c;
      for (let j = nleft; j <= nright; j++) {
        w[j]! *= b * (j - mean) + 1;
      }
    }
  }
  let ys = 0;
  for (let j = nleft; j <= nright; j++) {
    ys += w[j]! * y[j]!;
  }
  return ys;
}

/** Loess smoothing of y[0..n) into ys, evaluated every `jump` points and linearly interpolated between. */
function ess(
  y: Float64Array,
  n: number,
  len: number,
  degree: number,
  jump: number,
  ys: Float64Array,
  w: Float64Array
): void {
  if (n < 2) {
    ys[0] = y[0]!;
    return;
  }
  const step = Math.max(1, Math.min(jump, n - 1));
  const half = (len + 1) >> 1;
  const window = (i: number): [number, number] => {
    if (len >= n) {
      return [0, n - 1];
    }
    if (i < half - 1) {
      return [0, len - 1];
    }
    if (i >= n - half) {
      return [n - len, n - 1];
    }
    return [i - half + 1, i - half + len];
  };
  const at = (i: number) => {
    const [l, r] = window(i);
    const v = est(y, n, len, degree, i, l, r, w);
    ys[i] = Number.isNaN(v) ? y[i]! : v;
  };
  let last = 0;
  for (let i = 0; i < n; i += step) {
    at(i);
    last = i;
  }
  if (step === 1) {
    return;
  }
  for (let i = 0; i + step <= last; i += step) {
    const delta = (ys[i + step]! - ys[i]!) / step;
    for (let j = i + 1; j < i + step; j++) {
      ys[j] = ys[i]! + delta * (j - i);
    }
  }
  if (last !== n - 1) {
    at(n - 1);
    const delta = (ys[n - 1]! - ys[last]!) / (n - 1 - last);
    for (let j = last + 1; j < n - 1; j++) {
      ys[j] = ys[last]! + delta * (j - last);
    }
  }
}

/** Moving average of width `len`: out has x.length - len + 1 values. */
function movingAverage(x: Float64Array, len: number): Float64Array {
  const out = new Float64Array(x.length - len + 1);
  let sum = 0;
  for (let i = 0; i < len; i++) {
    sum += x[i]!;
  }
  out[0] = sum / len;
  for (let i = 1; i < out.length; i++) {
    sum += x[i + len - 1]! - x[i - 1]!;
    out[i] = sum / len;
  }
  return out;
}

interface StlParams {
  period: number;
  seasonalWindow: number;
  trendWindow: number;
  lowPassWindow: number;
}

/** Scratch buffers reused across the passes of one decomposition (weights, cycle-subseries). */
interface Scratch {
  w: Float64Array;
  sub: Float64Array;
  subSmooth: Float64Array;
}

/**
 * Cycle-subseries smoothing: each phase of the period smoothed on its own and extended one cycle before and
 * after. `out` has n + 2·period values: out[m·period + j] is phase j at cycle m − 1.
 */
function cycleSubseries(x: Float64Array, n: number, p: StlParams, s: Scratch, out: Float64Array): void {
  const ns = p.seasonalWindow;
  const jump = Math.ceil(ns / 10);
  for (let j = 0; j < p.period; j++) {
    const k = Math.floor((n - j - 1) / p.period) + 1;
    for (let m = 0; m < k; m++) {
      s.sub[m] = x[m * p.period + j]!;
    }
    ess(s.sub, k, ns, 0, jump, s.subSmooth, s.w);
    const before = est(s.sub, k, ns, 0, -1, 0, Math.min(ns, k) - 1, s.w);
    const after = est(s.sub, k, ns, 0, k, Math.max(0, k - ns), k - 1, s.w);
    out[j] = Number.isNaN(before) ? s.subSmooth[0]! : before;
    for (let m = 0; m < k; m++) {
      out[(m + 1) * p.period + j] = s.subSmooth[m]!;
    }
    out[(k + 1) * p.period + j] = Number.isNaN(after) ? s.subSmooth[k - 1]! : after;
  }
}

/** One STL decomposition (no robustness passes): seasonal and trend of y, written into the given arrays. */
function stl(y: Float64Array, p: StlParams, seasonal: Float64Array, trend: Float64Array, s: Scratch): void {
  const n = y.length;
  const np = p.period;
  const work = new Float64Array(n);
  const cycle = new Float64Array(n + 2 * np);
  const low = new Float64Array(n);
  trend.fill(0);
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < n; i++) {
      work[i] = y[i]! - trend[i]!;
    }
    cycleSubseries(work, n, p, s, cycle);
    // Low-pass filter of the cycle-subseries: moving averages np, np, 3, then a loess.
    const filtered = movingAverage(movingAverage(movingAverage(cycle, np), np), 3);
    ess(filtered, n, p.lowPassWindow, 1, Math.ceil(p.lowPassWindow / 10), low, s.w);
    for (let i = 0; i < n; i++) {
      seasonal[i] = cycle[np + i]! - low[i]!;
      work[i] = y[i]! - seasonal[i]!;
    }
    ess(work, n, p.trendWindow, 1, Math.ceil(p.trendWindow / 10), trend, s.w);
  }
}

/**
 * MSTL: each period's STL seasonal component re-estimated twice on the series minus the other components (one
 * pass for a single period), shortest period first; the trend is the last STL's. Every period must fit at least
 * twice into y (the caller drops the others).
 */
export function mstl(y: Float64Array, periods: number[]): Decomposition {
  const n = y.length;
  const order = periods.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p);
  const seasonal = periods.map(() => new Float64Array(n));
  const trend = new Float64Array(n);
  const deseason = Float64Array.from(y);
  // The shortest period has the longest cycle-subseries.
  const subLength = Math.ceil(n / Math.max(1, order[0]?.p ?? 1)) + 2;
  const s: Scratch = {
    w: new Float64Array(n + 2),
    sub: new Float64Array(subLength),
    subSmooth: new Float64Array(subLength),
  };
  const passes = order.length > 1 ? 2 : 1;
  for (let pass = 0; pass < passes; pass++) {
    order.forEach(({ p, i }, k) => {
      const comp = seasonal[i]!;
      for (let t = 0; t < n; t++) {
        deseason[t]! += comp[t]!;
      }
      const ns = 7 + 4 * (k + 1);
      stl(
        deseason,
        { period: p, seasonalWindow: ns, trendWindow: nextOdd((1.5 * p) / (1 - 1.5 / ns)), lowPassWindow: nextOdd(p) },
        comp,
        trend,
        s
      );
      for (let t = 0; t < n; t++) {
        deseason[t]! -= comp[t]!;
      }
    });
  }
  const remainder = Float64Array.from(deseason, (v, t) => v - trend[t]!);
  return { trend, seasonal, remainder };
}
