import { robustParamsSchema, type RobustDetectorParams } from '../../../../common/detectors';
import { RollingMedian, RollingQuantile, smallMedian } from './rolling';
import { detectPeriod } from './seasonality';

/** The parameters (common/detectors/robustSchema.ts, where each is described); execution parameters aside. */
export type RobustParams = Omit<RobustDetectorParams, 'start_time' | 'batch_size'>;

/** The recommended configuration: the schema's defaults. */
export const ROBUST_DEFAULTS: RobustParams = robustParamsSchema.parse({});

export interface RobustResult {
  expected: Float64Array;
  lower: Float64Array;
  upper: Float64Array;
  isAnomaly: Uint8Array;
  score: Float64Array;
  /** The seasonal period in use at each point (0 = none). */
  period: Int32Array;
}

/** The grid step of a series in seconds (median spacing), 60 when it cannot be told. */
export function intervalOf(timestamps: ArrayLike<number>): number {
  const n = Math.min(timestamps.length, 1001);
  const d: number[] = [];
  for (let i = 1; i < n; i++) {
    const g = timestamps[i]! - timestamps[i - 1]!;
    if (g > 0) {
      d.push(g);
    }
  }
  return d.length ? smallMedian(d) / 1000 : 60;
}

/**
 * The recommended detector: a robust, seasonality-aware band with floors, meant to catch incidents and stay quiet
 * on real operations data without tuning.
 *
 * For each point, using only the points before it:
 * - expected value: the median of the same phase in the last `seasonal_cycles` cycles (when the series has a
 *   daily or weekly cycle, found by robust per-phase medians and re-checked daily (seasonality.ts)) shifted by the median recent offset
 *   from that profile, or the median of the last `window_size` points when it has none. Medians follow a level
 *   shift after half a window, so a shift is one event, not an alarm that never ends.
 * - spread: 1.4826 × the median absolute residual over the last `scale_window` normal points (anomalies are kept
 *   out, so an incident does not widen its own band): a robust standard deviation.
 * - band half-width: `threshold` spreads, but never less than the floors: `min_deviation` (absolute),
 *   `min_relative_deviation` × |expected|, and `quantum_floor` × the series' smallest step (counts and other
 *   quantised series move by whole steps; without this floor every step of a quiet counter would alarm).
 *   Once it has flagged anything recently, also never less than `tail_factor` × the series' usual daily
 *   excursion (`tail_per_day`, `tail_days`): bursts that recur every day are its normal life.
 * - score: |value − expected| / half-width (> 1 is outside the band). A point just outside needs a second one
 *   (`confirm_score`), and an incident stays flagged while it stays near the band (`hold_score`): one event.
 */
export function detectRobust(
  p: RobustParams,
  timestamps: ArrayLike<number>,
  values: Float64Array,
  /** The metric's interval when known (the pipeline passes it); inferred from the timestamps otherwise. */
  intervalMs?: number
): RobustResult {
  const n = values.length;
  const out: RobustResult = {
    expected: new Float64Array(n).fill(NaN),
    lower: new Float64Array(n).fill(NaN),
    upper: new Float64Array(n).fill(NaN),
    isAnomaly: new Uint8Array(n),
    score: new Float64Array(n).fill(NaN),
    period: new Int32Array(n),
  };
  const intervalS = intervalMs !== undefined && intervalMs > 0 ? intervalMs / 1000 : intervalOf(timestamps);
  const perDay = Math.max(1, Math.round(86_400 / intervalS));
  let level = new RollingMedian(p.window_size);
  let offset = new RollingMedian(p.window_size);
  let spread = new RollingMedian(p.scale_window);
  // The tail in time, not points: bursts that come back every day are how the series lives, whatever its interval.
  const tailWindow = Math.max(p.min_samples, Math.min(p.history, Math.round(p.tail_days * perDay)));
  const tailQuantile = Math.max(0.5, 1 - p.tail_per_day / perDay);
  const tail = new RollingQuantile(tailWindow);
  /** Seasonal profile value per point (NaN when none), to compute offsets from it. */
  const profile = new Float64Array(n).fill(NaN);
  let period = typeof p.seasonality === 'number' ? Math.max(0, Math.floor(p.seasonality)) : 0;
  let quantum = Infinity;
  let prev = NaN;
  let seen = 0;
  let prevOutside = false;
  let prevFlagged = false;
  /** Flags among the last tailWindow points. */
  let flaggedRecent = 0;
  const phase: number[] = [];
  /** Median of the same phase in the last `seasonal_cycles` cycles before j (NaN without a period). */
  const phaseMedian = (j: number): number => {
    if (period <= 0) {
      return NaN;
    }
    phase.length = 0;
    for (let k = 1; k <= p.seasonal_cycles && j - k * period >= 0; k++) {
      phase.push(values[j - k * period]!);
    }
    return smallMedian(phase);
  };
  /**
   * After the period changes, the level, offset and spread windows are rebuilt by replaying the recent points with
   * the new expectation: otherwise the spread would hold residuals of the old model (a daily cycle's whole swing,
   * while no cycle was known) for `scale_window` points, and the band would stay several times too wide for days.
   */
  const rebuild = (i: number): void => {
    level = new RollingMedian(p.window_size);
    offset = new RollingMedian(p.window_size);
    spread = new RollingMedian(p.scale_window);
    for (let j = Math.max(0, i - p.scale_window - p.window_size); j < i; j++) {
      const x = values[j]!;
      const s = phaseMedian(j);
      profile[j] = s;
      const e = s === s && offset.size > 0 ? s + offset.median() : level.median();
      if (x === x && e === e && !out.isAnomaly[j]) {
        spread.push(Math.abs(x - e));
      }
      level.push(x);
      offset.push(s === s ? x - s : NaN);
    }
  };
  for (let i = 0; i < n; i++) {
    if (p.seasonality === 'auto' && i > 0 && i % perDay === 0) {
      const next = detectPeriod(values, i, intervalS);
      if (next !== period) {
        period = next;
        rebuild(i);
      }
    }
    out.period[i] = period;
    const x = values[i]!;
    // Expected value from the past only.
    let e = level.median();
    if (period > 0) {
      const s = phaseMedian(i);
      profile[i] = s;
      if (s === s && offset.size > 0) {
        e = s + offset.median();
      }
    }
    if (x === x) {
      if (seen >= p.min_samples && e === e && spread.size >= Math.min(p.min_samples, p.scale_window)) {
        const robustSd = 1.4826 * spread.median();
        const floor = Math.max(
          p.min_deviation,
          p.min_relative_deviation * Math.abs(e),
          quantum === Infinity ? 0 : p.quantum_floor * quantum
        );
        const overBudget = flaggedRecent > 0;
        const tailFloor = overBudget && tail.size >= p.min_samples ? p.tail_factor * tail.quantile(tailQuantile) : 0;
        const h = Math.max(p.threshold * robustSd, floor, tailFloor);
        const dev = x - e;
        out.expected[i] = e;
        out.lower[i] = e - h;
        out.upper[i] = e + h;
        const score = h > 0 ? Math.abs(dev) / h : dev === 0 ? 0 : Infinity;
        out.score[i] = score;
        const wanted = p.direction === 'both' || (p.direction === 'up' ? dev > 0 : dev < 0);
        const held = prevFlagged && score >= p.hold_score;
        const confirmed = score >= p.confirm_score || (score > 1 && prevOutside);
        out.isAnomaly[i] = wanted && (confirmed || held) ? 1 : 0;
        prevOutside = wanted && score > 1;
        prevFlagged = out.isAnomaly[i] === 1;
      }
      // Learn from the point: the level always (shifts are followed), the spread only from normal points.
      if (e === e && !out.isAnomaly[i]) {
        spread.push(Math.abs(x - e));
      }
      // An incident enters the burst tail once (its first flagged point), not once per point: a 12-hour shift is
      // one excursion, and must not set the band's floor for the next two weeks.
      const continuing = out.isAnomaly[i] === 1 && i > 0 && out.isAnomaly[i - 1] === 1;
      tail.push(e === e && !continuing ? Math.abs(x - e) : NaN);
      if (prev === prev && x !== prev) {
        quantum = Math.min(quantum, Math.abs(x - prev));
      }
      prev = x;
      seen++;
    }
    flaggedRecent += out.isAnomaly[i]!;
    if (i >= tailWindow) {
      flaggedRecent -= out.isAnomaly[i - tailWindow]!;
    }
    level.push(x);
    offset.push(profile[i] === profile[i] ? x - profile[i]! : NaN);
  }
  return out;
}
