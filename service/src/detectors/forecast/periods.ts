import { augurs } from './augurs';

/**
 * Season lengths (in points) for `periods: null`. augurs' periodogram finds candidates, but its FFT bins are
 * coarse: a daily cycle of 288 five-minute points comes out as 256 or 293, and a season length that is off by a
 * few points smears the seasonal component. So each candidate is snapped to a calendar length (hour, day, week)
 * when it is within 12 % of one, or else moved to the nearby lag with the strongest autocorrelation; calendar
 * lengths are always tried as well. A length p is kept when the series correlates with itself at lag p
 * (r >= MIN_CORRELATION) clearly more than at lag p/2 (a cycle has a trough half-way; a merely smooth series
 * correlates at every short lag), and, when p is a multiple of a shorter kept length, when it explains more than
 * that one (a weekly cycle on top of the daily one).
 */

const MIN_CORRELATION = 0.3;
const MIN_PEAK = 0.3;
const MULTIPLE_GAIN = 0.05;
const SNAP = 0.12;
const SEARCH = 0.15;
const MAX_PERIODS = 3;
const CALENDAR_MS = [3_600_000, 86_400_000, 604_800_000];

/** Pearson correlation of z[0..n-lag) with z[lag..n). */
export function lagCorrelation(z: Float64Array, lag: number): number {
  const m = z.length - lag;
  if (lag <= 0 || m < 3) {
    return NaN;
  }
  let sa = 0;
  let sb = 0;
  for (let i = 0; i < m; i++) {
    sa += z[i]!;
    sb += z[i + lag]!;
  }
  const ma = sa / m;
  const mb = sb / m;
  let cab = 0;
  let caa = 0;
  let cbb = 0;
  for (let i = 0; i < m; i++) {
    const a = z[i]! - ma;
    const b = z[i + lag]! - mb;
    cab += a * b;
    caa += a * a;
    cbb += b * b;
  }
  return caa > 0 && cbb > 0 ? cab / Math.sqrt(caa * cbb) : NaN;
}

/** The series minus its least-squares line: a trend would make every lag look correlated. */
function detrended(y: Float64Array): Float64Array {
  const n = y.length;
  const mx = (n - 1) / 2;
  let my = 0;
  for (let i = 0; i < n; i++) {
    my += y[i]!;
  }
  my /= n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (i - mx) * (y[i]! - my);
    sxx += (i - mx) * (i - mx);
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  return Float64Array.from(y, (v, i) => v - my - slope * (i - mx));
}

/** Calendar season lengths in points that divide evenly by the interval. */
export function calendarPeriods(intervalMs: number): number[] {
  return CALENDAR_MS.filter((ms) => ms % intervalMs === 0).map((ms) => ms / intervalMs);
}

function refine(z: Float64Array, candidate: number, calendar: number[], maxLag: number): number {
  const near = calendar.find((p) => Math.abs(candidate - p) <= SNAP * p);
  if (near !== undefined) {
    return near;
  }
  const lo = Math.max(2, Math.floor(candidate * (1 - SEARCH)));
  const hi = Math.min(maxLag, Math.ceil(candidate * (1 + SEARCH)));
  // A coarse pass, then every lag around its best: at most ~200 correlations per candidate.
  const stride = Math.max(1, Math.floor((hi - lo) / 100));
  let best = candidate;
  let bestR = -Infinity;
  const consider = (lag: number) => {
    const r = lagCorrelation(z, lag);
    if (r > bestR) {
      bestR = r;
      best = lag;
    }
  };
  for (let lag = lo; lag <= hi; lag += stride) {
    consider(lag);
  }
  const center = best;
  for (let lag = Math.max(lo, center - stride); lag <= Math.min(hi, center + stride); lag++) {
    consider(lag);
  }
  return best;
}

/** Detected season lengths (ascending), each with at least two full cycles in `y` (a complete series). */
export function detectPeriods(y: Float64Array, intervalMs: number): number[] {
  const n = y.length;
  const maxLag = Math.floor(n / 2);
  if (maxLag < 4) {
    return [];
  }
  const z = detrended(y);
  const calendar = calendarPeriods(intervalMs).filter((p) => p >= 4 && p <= maxLag);
  let found: number[] = [];
  try {
    found = augurs().seasonalities(z, 4, maxLag, 0.5);
  } catch {
    // A periodogram that cannot be computed (e.g. a constant series) adds no candidates.
  }
  const candidates = new Set<number>(calendar);
  for (const c of found) {
    if (c >= 4 && c <= maxLag) {
      candidates.add(refine(z, c, calendar, maxLag));
    }
  }
  const scored = [...candidates]
    .map((p) => ({ p, r: lagCorrelation(z, p), half: lagCorrelation(z, Math.round(p / 2)) }))
    .filter((c) => c.r >= MIN_CORRELATION && c.r - c.half >= MIN_PEAK)
    .sort((a, b) => a.p - b.p);
  const kept: typeof scored = [];
  for (const c of scored) {
    const base = kept.find((k) => {
      const ratio = c.p / k.p;
      return Math.abs(ratio - Math.round(ratio)) < 0.05;
    });
    if (!base || c.r >= base.r + MULTIPLE_GAIN) {
      kept.push(c);
    }
  }
  return kept
    .sort((a, b) => b.r - a.r)
    .slice(0, MAX_PERIODS)
    .map((c) => c.p)
    .sort((a, b) => a - b);
}
