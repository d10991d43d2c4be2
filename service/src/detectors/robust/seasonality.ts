/**
 * Which seasonal period a series follows, from its own past: the daily and weekly cycles on the series' grid are
 * tested by autocorrelation at that lag over the last few weeks. Causal (only points before `end` are read), so
 * detection never uses the future; re-run once a day as history grows.
 */
const MIN_CYCLES = 3;
const MIN_CORRELATION = 0.5;
/** History looked at: four weeks (enough for the weekly cycle, bounded cost). */
const LOOKBACK_DAYS = 28;

export function candidatePeriods(intervalSeconds: number): { day: number; week: number } {
  const day = Math.round(86_400 / intervalSeconds);
  return { day: day >= 4 && Math.abs(day * intervalSeconds - 86_400) < 1 ? day : 0, week: day >= 4 ? 7 * day : 0 };
}

function autocorrelation(x: Float64Array, from: number, end: number, lag: number): number {
  let sum = 0;
  let n = 0;
  for (let i = from; i < end; i++) {
    const v = x[i]!;
    if (v === v) {
      sum += v;
      n++;
    }
  }
  if (n < 2 * lag) {
    return 0;
  }
  const mean = sum / n;
  let num = 0;
  let den = 0;
  for (let i = from; i < end; i++) {
    const a = x[i]!;
    if (a !== a) {
      continue;
    }
    den += (a - mean) * (a - mean);
    if (i - lag >= from) {
      const b = x[i - lag]!;
      if (b === b) {
        num += (a - mean) * (b - mean);
      }
    }
  }
  return den > 0 ? num / den : 0;
}

/** The period (points) to use at `end`, or 0 for none. */
export function detectPeriod(x: Float64Array, end: number, intervalSeconds: number): number {
  const { day, week } = candidatePeriods(intervalSeconds);
  if (day === 0) {
    return 0;
  }
  const from = Math.max(0, end - LOOKBACK_DAYS * day);
  const span = end - from;
  const rDay = span >= MIN_CYCLES * day ? autocorrelation(x, from, end, day) : 0;
  const rWeek = span >= MIN_CYCLES * week ? autocorrelation(x, from, end, week) : 0;
  if (rWeek >= MIN_CORRELATION && rWeek > rDay + 0.05) {
    return week;
  }
  return rDay >= MIN_CORRELATION ? day : 0;
}
