/**
 * Which seasonal period a series follows, from its own past: the daily and weekly cycles on the series' grid are
 * tested by how much of the spread their per-phase medians explain over the last few weeks. Causal (only points before `end` are read), so
 * detection never uses the future; re-run once a day as history grows.
 */
const MIN_CYCLES = 3;
const MIN_STRENGTH = 0.5;
/** The weekly cycle is used when its mean absolute residual is below this share of the daily cycle's. */
const WEEK_GAIN = 0.8;
/** History looked at: four weeks (enough for the weekly cycle), at most MAX_LOOKBACK points (bounded cost). */
const LOOKBACK_DAYS = 28;
const MAX_LOOKBACK = 40_320;

export function candidatePeriods(intervalSeconds: number): { day: number; week: number } {
  const day = Math.round(86_400 / intervalSeconds);
  return { day: day >= 4 && Math.abs(day * intervalSeconds - 86_400) < 1 ? day : 0, week: day >= 4 ? 7 * day : 0 };
}

/** k-th smallest of a[0..n) by quickselect (reorders a): O(n), where a sort was most of the detector's time. */
function select(a: Float64Array, n: number, k: number): number {
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) {
        i++;
      }
      while (a[j]! > pivot) {
        j--;
      }
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) {
      hi = j;
    } else if (k >= i) {
      lo = i;
    } else {
      return a[k]!;
    }
  }
  return a[k]!;
}

/** Median of a scratch array's first n values (reorders them). */
export function medianOf(a: Float64Array, n: number): number {
  if (n === 0) {
    return NaN;
  }
  const upper = select(a, n, n >> 1);
  if (n % 2 === 1) {
    return upper;
  }
  // After the select, everything before n/2 is ≤ upper: the lower middle is their maximum.
  let lower = -Infinity;
  for (let i = 0; i < n >> 1; i++) {
    lower = Math.max(lower, a[i]!);
  }
  return (lower + upper) / 2;
}

/**
 * How much of the series' spread a cycle of `period` points explains, robustly: 1 − (MAD of the residuals from the
 * per-phase medians / MAD of the values)². Medians and MADs, not means and variances, so one incident (a 12-hour
 * level shift in two weeks of history) does not hide a cycle that every other day shows; a plain autocorrelation
 * dropped below any sensible cut-off there and the detector lost its seasonality for weeks.
 */
function seasonalStrength(x: Float64Array, from: number, end: number, period: number): Fit {
  const n = end - from;
  const scratch = new Float64Array(n);
  const phase = new Float64Array(Math.ceil(n / period) + 1);
  const profile = new Float64Array(period);
  let valid = 0;
  for (let j = 0; j < period; j++) {
    let k = 0;
    for (let i = from + j; i < end; i += period) {
      const v = x[i]!;
      if (v === v) {
        phase[k++] = v;
      }
    }
    profile[j] = k >= 2 ? medianOf(phase, k) : NaN;
  }
  for (let i = from; i < end; i++) {
    const v = x[i]!;
    if (v === v) {
      scratch[valid++] = v;
    }
  }
  if (valid < MIN_CYCLES * period) {
    return NO_FIT;
  }
  const med = medianOf(scratch, valid);
  let k = 0;
  for (let i = 0; i < valid; i++) {
    scratch[k++] = Math.abs(scratch[i]! - med);
  }
  const madX = medianOf(scratch, k);
  k = 0;
  for (let i = from; i < end; i++) {
    const v = x[i]!;
    const p = profile[(i - from) % period]!;
    if (v === v && p === p) {
      scratch[k++] = v - p;
    }
  }
  let absSum = 0;
  for (let i = 0; i < k; i++) {
    absSum += Math.abs(scratch[i]!);
  }
  const medR = medianOf(scratch, k);
  for (let i = 0; i < k; i++) {
    scratch[i] = Math.abs(scratch[i]! - medR);
  }
  const madR = medianOf(scratch, k);
  if (!(madX > 0) || k === 0) {
    return NO_FIT;
  }
  return { strength: 1 - (madR / madX) ** 2, meanAbs: absSum / k };
}

interface Fit {
  /** Robust share of the spread the cycle explains (≤ 1). */
  strength: number;
  /** Mean absolute residual: what separates a weekly cycle from a daily one when a minority of days differ. */
  meanAbs: number;
}

const NO_FIT: Fit = { strength: 0, meanAbs: Infinity };

/** The period (points) to use at `end`, or 0 for none. */
export function detectPeriod(x: Float64Array, end: number, intervalSeconds: number): number {
  const { day, week } = candidatePeriods(intervalSeconds);
  if (day === 0) {
    return 0;
  }
  const from = Math.max(0, end - Math.min(LOOKBACK_DAYS * day, MAX_LOOKBACK));
  const span = end - from;
  const daily = span >= MIN_CYCLES * day ? seasonalStrength(x, from, end, day) : NO_FIT;
  const weekly = span >= MIN_CYCLES * week ? seasonalStrength(x, from, end, week) : NO_FIT;
  // The median-based strength ignores weekends (a minority of days), so the week wins on the mean residual.
  if (weekly.strength >= MIN_STRENGTH && weekly.meanAbs < WEEK_GAIN * daily.meanAbs) {
    return week;
  }
  return daily.strength >= MIN_STRENGTH ? day : 0;
}
