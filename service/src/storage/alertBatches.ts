import type { AlertEventRow, CurrentAlertRowState, RecentDetectionRow } from './alerts';
import type { DetectionJsonRow } from './store';
import { COLUMNS, fromRaw, OUTBOX_FILTER, owed, type RawAlertRow } from './alertRows';
import type { SqlConnection } from './connect';

/**
 * The alert step's reads for many metrics in one statement each (group commit, see groupCommit.ts): recent
 * detections, current alert state, the outbox and the last valued datapoint. Each answers per request, in order.
 */
export interface AlertTables {
  alerts: string;
  detections: string;
  datapoints: string;
}

export interface RecentRequest {
  metricName: string;
  detectorIds: readonly string[];
  fromExclusive: number;
  to: number;
}

const unique = <T>(xs: T[]) => [...new Set(xs)];

function groupBy<T>(rows: T[], key: (r: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = out.get(k);
    if (list) {
      list.push(r);
    } else {
      out.set(k, [r]);
    }
  }
  return out;
}

export async function recentDetectionsMany(
  conn: SqlConnection,
  t: AlertTables,
  reqs: RecentRequest[]
): Promise<RecentDetectionRow[][]> {
  // One range per metric: the union of what its requests ask (then cut per request below).
  const range = new Map<string, { from: number; to: number }>();
  for (const r of reqs) {
    const u = range.get(r.metricName);
    range.set(r.metricName, {
      from: Math.min(u?.from ?? Infinity, r.fromExclusive),
      to: Math.max(u?.to ?? -Infinity, r.to),
    });
  }
  const ms = [...range.keys()];
  const rows = await conn.json<DetectionJsonRow & { m: string; detector_params: string; detection_metadata: string }>(
    `SELECT metric_name AS m, detector_id, detector_name, detector_params, toUnixTimestamp64Milli(timestamp) AS t,
            is_anomaly, confidence_lower, confidence_upper, value, processed_value, detection_metadata
     FROM ${t.detections} FINAL
     WHERE metric_name IN {ms:Array(String)} AND detector_id IN {ids:Array(String)}
       AND timestamp > fromUnixTimestamp64Milli({lo:Int64}, 'UTC') AND timestamp <= fromUnixTimestamp64Milli({hi:Int64}, 'UTC')
       AND toUnixTimestamp64Milli(timestamp) > transform(metric_name, {ms:Array(String)}, {fs:Array(Int64)}, toInt64(0))
       AND toUnixTimestamp64Milli(timestamp) <= transform(metric_name, {ms:Array(String)}, {ts:Array(Int64)}, toInt64(0))
     ORDER BY m, timestamp DESC, detector_id`,
    {
      ms,
      ids: unique(reqs.flatMap((r) => [...r.detectorIds])),
      fs: ms.map((m) => range.get(m)!.from),
      ts: ms.map((m) => range.get(m)!.to),
      lo: Math.min(...ms.map((m) => range.get(m)!.from)),
      hi: Math.max(...ms.map((m) => range.get(m)!.to)),
    }
  );
  const byMetric = groupBy(rows, (r) => r.m);
  return reqs.map((q) => {
    const ids = new Set(q.detectorIds);
    return (byMetric.get(q.metricName) ?? [])
      .filter((r) => ids.has(r.detector_id) && Number(r.t) > q.fromExclusive && Number(r.t) <= q.to)
      .map((r): RecentDetectionRow => ({
        detectorId: r.detector_id,
        detectorName: r.detector_name,
        detectorParams: r.detector_params,
        timestamp: Number(r.t),
        isAnomaly: Boolean(r.is_anomaly),
        lower: r.confidence_lower,
        upper: r.confidence_upper,
        value: r.value,
        processedValue: r.processed_value,
        metadata: r.detection_metadata,
      }));
  });
}

export async function currentStates(
  conn: SqlConnection,
  t: AlertTables,
  names: string[]
): Promise<Array<CurrentAlertRowState | null>> {
  const rows = await conn.json<{
    m: string;
    state: string;
    t: string | number;
    f: string | number;
    fid: string;
    n: string | number;
  }>(
    `SELECT metric_name AS m, argMax(state, (timestamp, created_at)) AS state, toUnixTimestamp64Milli(max(timestamp)) AS t,
            toUnixTimestamp64Milli(maxIf(timestamp, event_type = 'firing')) AS f,
            argMaxIf(event_id, (timestamp, created_at), event_type = 'firing') AS fid, countIf(event_type = 'firing') AS n
     FROM ${t.alerts} FINAL WHERE metric_name IN {ms:Array(String)} AND event_type != 'test'
     GROUP BY metric_name`,
    { ms: unique(names) }
  );
  const byName = new Map(rows.map((r) => [r.m, r]));
  return names.map((name) => {
    const r = byName.get(name);
    if (!r) {
      return null;
    }
    const fired = Number(r.n) > 0;
    return {
      state: r.state,
      timestamp: Number(r.t),
      lastFiringAt: fired ? Number(r.f) : null,
      lastFiringEventId: fired ? r.fid : null,
    };
  });
}

export async function undeliveredMany(
  conn: SqlConnection,
  t: AlertTables,
  reqs: Array<{ metricName: string; limit: number }>
): Promise<AlertEventRow[][]> {
  const rows = await conn.json<RawAlertRow>(
    `SELECT ${COLUMNS} FROM ${t.alerts} FINAL
     WHERE metric_name IN {ms:Array(String)} AND ${OUTBOX_FILTER}
     ORDER BY metric_name, timestamp, created_at LIMIT {lim:UInt32} BY metric_name`,
    { ms: unique(reqs.map((r) => r.metricName)), lim: Math.max(...reqs.map((r) => r.limit)) }
  );
  const byMetric = groupBy(rows.map(fromRaw), (r) => r.metricName);
  return reqs.map((q) => owed((byMetric.get(q.metricName) ?? []).slice(0, q.limit)));
}

export async function lastValuedMany(
  conn: SqlConnection,
  t: AlertTables,
  reqs: Array<{ metricName: string; to: number }>
): Promise<Array<number | null>> {
  const to = new Map<string, number>();
  reqs.forEach((r) => to.set(r.metricName, Math.max(to.get(r.metricName) ?? -Infinity, r.to)));
  const ms = [...to.keys()];
  const rows = await conn.json<{ m: string; t: string | number }>(
    `SELECT metric_name AS m, toUnixTimestamp64Milli(max(timestamp)) AS t FROM ${t.datapoints}
     WHERE metric_name IN {ms:Array(String)} AND value IS NOT NULL AND NOT isNaN(value)
       AND toUnixTimestamp64Milli(timestamp) <= transform(metric_name, {ms:Array(String)}, {ts:Array(Int64)}, toInt64(0))
     GROUP BY metric_name`,
    { ms, ts: ms.map((m) => to.get(m)!) }
  );
  const byName = new Map(rows.map((r) => [r.m, Number(r.t)]));
  // A request with an earlier `to` than another for the same metric reads alone (rare: one alert step per run).
  return Promise.all(
    reqs.map(async (q) =>
      q.to === to.get(q.metricName) ? (byName.get(q.metricName) ?? null) : (await lastValuedMany(conn, t, [q]))[0]!
    )
  );
}
