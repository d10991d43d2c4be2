import {
  DEFAULT_CONDITIONS,
  type AlertConditions,
  type AlertData,
  type CurrentAlertState,
  type DetectionRecord,
  type ValueDirection,
} from './types';

/**
 * detectkit's AlertOrchestrator (reference §5.2, §5.6) as pure functions, with its defects fixed: a real
 * `min_detectors` consensus, direction judged on the compared values, a cooldown whose state lives in
 * `_dtk_alerts`, recovery (resolved events) and no-data alerts.
 */

/** Start of the last complete interval: `floor(now / I) · I − I` (detectkit's get_last_complete_point). */
export function lastCompletePoint(nowMs: number, intervalSeconds: number): number {
  const i = intervalSeconds * 1000;
  return Math.floor(nowMs / i) * i - i;
}

const finite = (x: number | null | undefined): x is number => typeof x === 'number' && Number.isFinite(x);

/** Where the compared value lies against the bounds; NaN/NULL bounds say nothing (detectkit: "none"). */
export function recordDirection(r: DetectionRecord): ValueDirection | string {
  if (r.direction !== undefined) {
    return r.direction;
  }
  const v = r.comparedValue !== undefined ? r.comparedValue : r.value;
  if (!finite(v)) {
    return 'none';
  }
  if (finite(r.lower) && v < r.lower) {
    return 'down';
  }
  if (finite(r.upper) && v > r.upper) {
    return 'up';
  }
  return 'none';
}

/** The detector's severity when given, else detectkit's relative bound excess on the compared value. */
export function recordSeverity(r: DetectionRecord): number {
  if (r.severity !== undefined) {
    return r.severity;
  }
  const v = r.comparedValue !== undefined ? r.comparedValue : r.value;
  const dir = recordDirection(r);
  if (!finite(v)) {
    return 0;
  }
  if (dir === 'down' && finite(r.lower)) {
    return (r.lower - v) / Math.max(Math.abs(r.lower), 1e-10);
  }
  if (dir === 'up' && finite(r.upper)) {
    return (v - r.upper) / Math.max(Math.abs(r.upper), 1e-10);
  }
  return 0;
}

/**
 * The anomalous detectors at one timestamp that agree under the direction rule: all of them for `any` (and
 * unknown rules, as detectkit), those pointing the required way for `up`/`down`, and for `same` those in the
 * majority direction (ties: the first detector's). `min_detectors` counts these, so a consensus is real.
 */
export function agreeingDetectors(
  records: readonly DetectionRecord[],
  rule: string
): { agreeing: DetectionRecord[]; direction: string } {
  const anoms = records.filter((r) => r.isAnomaly);
  if (anoms.length === 0) {
    return { agreeing: [], direction: 'none' };
  }
  if (rule === 'up' || rule === 'down') {
    return { agreeing: anoms.filter((r) => recordDirection(r) === rule), direction: rule };
  }
  if (rule === 'same') {
    const counts = new Map<string, number>();
    for (const r of anoms) {
      const d = recordDirection(r);
      counts.set(d, (counts.get(d) ?? 0) + 1);
    }
    let best = recordDirection(anoms[0]!);
    for (const [d, c] of counts) {
      if (c > (counts.get(best) ?? 0)) {
        best = d;
      }
    }
    return { agreeing: anoms.filter((r) => recordDirection(r) === best), direction: best };
  }
  return { agreeing: anoms, direction: recordDirection(anoms[0]!) };
}

/** Records grouped by timestamp, newest first. */
export function groupByTimestamp(records: readonly DetectionRecord[]): Array<[number, DetectionRecord[]]> {
  const by = new Map<number, DetectionRecord[]>();
  for (const r of records) {
    const list = by.get(r.timestamp);
    if (list) {
      list.push(r);
    } else {
      by.set(r.timestamp, [r]);
    }
  }
  return [...by.entries()].sort((a, b) => b[0] - a[0]);
}

/** detectkit's `_count_consecutive`, newest → oldest, over timestamps whose agreeing detectors reach min_detectors. */
export function countConsecutive(groups: ReadonlyArray<[number, DetectionRecord[]]>, c: AlertConditions): number {
  let count = 0;
  let prev: string | undefined;
  for (const [, recs] of groups) {
    const { agreeing, direction } = agreeingDetectors(recs, c.direction);
    if (agreeing.length < c.minDetectors) {
      break;
    }
    if (c.direction === 'same') {
      if (prev !== undefined && direction !== prev) {
        break;
      }
      prev = direction;
    }
    count++;
  }
  return count;
}

export interface ShouldAlertResult {
  alert: boolean;
  data: AlertData | null;
  /** Consecutive qualifying timestamps (also when no alert). */
  count: number;
}

export interface AlertContext {
  metricName: string;
  timezone?: string | null;
}

/** detectkit's `should_alert` without the cooldown (which `decide` applies from `_dtk_alerts`). */
export function shouldAlert(
  records: readonly DetectionRecord[],
  conditions: AlertConditions = DEFAULT_CONDITIONS,
  ctx: AlertContext = { metricName: '' }
): ShouldAlertResult {
  const groups = groupByTimestamp(records);
  const latest = groups[0];
  if (!latest) {
    return { alert: false, data: null, count: 0 };
  }
  const { agreeing } = agreeingDetectors(latest[1], conditions.direction);
  const count = countConsecutive(groups, conditions);
  if (agreeing.length < conditions.minDetectors || count < conditions.consecutiveAnomalies) {
    return { alert: false, data: null, count };
  }
  return { alert: true, data: buildAlertData(agreeing, count, ctx), count };
}

/** detectkit's `_build_alert_data`: one detector as is, several summarised ("2 detectors", max severity). */
export function buildAlertData(anoms: readonly DetectionRecord[], count: number, ctx: AlertContext): AlertData {
  const primary = anoms[0]!;
  const base = {
    metricName: ctx.metricName,
    timestamp: primary.timestamp,
    timezone: ctx.timezone ?? null,
    value: primary.value,
    confidenceLower: primary.lower,
    confidenceUpper: primary.upper,
    direction: recordDirection(primary),
    consecutiveCount: count,
    detectorIds: anoms.map((a) => a.detectorId),
  };
  if (anoms.length === 1) {
    return {
      ...base,
      detectorName: primary.detectorName,
      detectorParams: primary.detectorParams ?? '{}',
      severity: recordSeverity(primary),
      metadata: primary.metadata ?? {},
    };
  }
  const metadata: Record<string, unknown> = { detectors: anoms.map((a) => a.detectorName), count: anoms.length };
  anoms.forEach((a, i) => (metadata[`detector_${i}_metadata`] = a.metadata ?? {}));
  return {
    ...base,
    detectorName: `${anoms.length} detectors`,
    detectorParams: anoms.map((a) => `${a.detectorName}: ${a.detectorParams ?? '{}'}`).join('; '),
    severity: Math.max(...anoms.map(recordSeverity)),
    metadata,
  };
}

export interface DecideInput {
  metricName: string;
  intervalSeconds: number;
  conditions: AlertConditions;
  timezone: string | null;
  /** `alert_cooldown` in seconds; null/0 = none. */
  cooldownSeconds: number | null;
  resetOnRecovery: boolean;
  noDataAlert: boolean;
  /** Detections of the metric's current detectors at the latest grid points up to the last complete point. */
  records: readonly DetectionRecord[];
  state: CurrentAlertState | null;
  now: number;
  /** Last datapoint with a value at or before the last complete point (null: none ever). */
  lastValuedAt: number | null;
}

export type AlertDecision =
  | { action: 'none'; reason: string }
  | { action: 'fire' | 'resolve' | 'no_data'; reason: string; timestamp: number; data: AlertData };

const NO_STATE: CurrentAlertState = { state: 'ok', timestamp: -Infinity, lastFiringAt: null, lastFiringEventId: null };

/**
 * One evaluation of a metric. Events are keyed by the evaluated point, so evaluating the same point twice (a
 * retried run) decides nothing new. Cooldown is measured in data time between evaluated points, which equals
 * wall time for a live metric and keeps backfills and retries deterministic.
 */
export function decide(input: DecideInput): AlertDecision {
  const state = input.state ?? NO_STATE;
  const I = input.intervalSeconds * 1000;
  const lcp = lastCompletePoint(input.now, input.intervalSeconds);
  const n = input.conditions.consecutiveAnomalies;
  const ctx = { metricName: input.metricName, timezone: input.timezone };
  const dataMissing = input.lastValuedAt === null || (lcp - input.lastValuedAt) / I >= n;
  if (input.noDataAlert && dataMissing) {
    if (state.state === 'no_data') {
      return { action: 'none', reason: 'Still no data (no_data alert already sent)' };
    }
    if (lcp <= state.timestamp) {
      return { action: 'none', reason: 'Already evaluated' };
    }
    const since = input.lastValuedAt === null ? 'ever' : `${Math.floor((lcp - input.lastValuedAt) / I)} intervals`;
    return {
      action: 'no_data',
      reason: `No data for ${since}`,
      timestamp: lcp,
      data: emptyData(ctx, lcp, `no data for ${since}`),
    };
  }
  const groups = groupByTimestamp(input.records);
  const latest = groups[0];
  if (!latest) {
    return { action: 'none', reason: 'No recent detections found' };
  }
  const t = latest[0];
  if (t <= state.timestamp) {
    return { action: 'none', reason: 'Already evaluated this point' };
  }
  const res = shouldAlert(input.records, input.conditions, ctx);
  if (state.state === 'no_data' && !dataMissing) {
    return { action: 'resolve', reason: 'Data is back', timestamp: t, data: latestData(latest[1], res.count, ctx) };
  }
  if (res.alert && res.data) {
    const cd = (input.cooldownSeconds ?? 0) * 1000;
    const reset = input.resetOnRecovery && state.state === 'ok';
    if (cd > 0 && state.lastFiringAt !== null && t - state.lastFiringAt < cd && !reset) {
      const until = state.lastFiringAt + cd;
      return { action: 'none', reason: `In cooldown until ${new Date(until).toISOString().slice(0, 19)} UTC` };
    }
    return { action: 'fire', reason: `${res.count} consecutive anomalies`, timestamp: t, data: res.data };
  }
  if (state.state === 'firing') {
    return { action: 'resolve', reason: 'Recovered', timestamp: t, data: latestData(latest[1], res.count, ctx) };
  }
  return {
    action: 'none',
    reason: `Conditions not met (${res.count}/${n} consecutive, min_detectors ${input.conditions.minDetectors})`,
  };
}

function emptyData(ctx: AlertContext, t: number, why: string): AlertData {
  return {
    metricName: ctx.metricName,
    timestamp: t,
    timezone: ctx.timezone ?? null,
    value: null,
    confidenceLower: null,
    confidenceUpper: null,
    detectorName: 'none',
    detectorParams: '{}',
    direction: 'none',
    severity: 0,
    metadata: { reason: why },
    consecutiveCount: 0,
    detectorIds: [],
  };
}

/** The latest point's values for a resolved message (the first detector's bounds). */
function latestData(recs: readonly DetectionRecord[], count: number, ctx: AlertContext): AlertData {
  const d = buildAlertData(recs, count, ctx);
  return { ...d, severity: 0, direction: 'none' };
}
