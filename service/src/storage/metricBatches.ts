import { RowBinaryReader, RowBinaryWriter } from './codec';
import type { SqlConnection } from './connect';
import type { DatapointBatch, DetectionBatch, MetricState, Series, StoredBand, TimeRange } from './store';

/**
 * The SQL of group commits (groupCommit.ts): one statement for the work of many metrics. Per-metric constants
 * (name, interval, detector) travel on every row here, unlike the single-metric path where they are query
 * parameters: the rows of one batch are few per metric, and parameters would grow the request line instead.
 */
export interface BatchTables {
  datapoints: string;
  detections: string;
  /** ` SETTINGS …` for inserts, or ''. */
  insertSettings: string;
}

/**
 * Interns the per-metric constants of a batch: rows carry a 1-based index into arrays passed as parameters, so a
 * metric's name and detector parameters are sent once per statement, not once per row.
 */
class Dictionary {
  readonly values: string[] = [];
  private readonly index = new Map<string, number>();
  id(key: string): number {
    let i = this.index.get(key);
    if (i === undefined) {
      this.values.push(key);
      i = this.values.length;
      this.index.set(key, i);
    }
    return i;
  }
}

/** Rows [from, to) of a batch: large writes are sent in slices, small ones of many metrics together. */
export interface Part<B> {
  b: B;
  from: number;
  to: number;
}

export const whole = <B extends { timestamps: ArrayLike<number> }>(b: B): Part<B> => ({
  b,
  from: 0,
  to: b.timestamps.length,
});

/** Encoded rows and the parameters their statement needs. */
export interface Encoded {
  rows: Buffer;
  params: Record<string, unknown>;
}

export function encodeDatapoints(parts: Array<Part<DatapointBatch>>): Encoded {
  const w = new RowBinaryWriter(
    Math.max(
      1 << 16,
      parts.reduce((a, p) => a + (p.to - p.from) * 24, 0)
    )
  );
  const names = new Dictionary();
  const intervals: number[] = [];
  const columns: string[] = [];
  const metrics: string[] = [];
  for (const { b, from, to } of parts) {
    const k = names.id(`${b.metricName}\u0000${b.intervalSeconds}\u0000${b.seasonalityColumns ?? ''}`);
    metrics[k - 1] = b.metricName;
    intervals[k - 1] = b.intervalSeconds;
    columns[k - 1] = b.seasonalityColumns ?? '';
    for (let i = from; i < to; i++) {
      w.int32(k);
      w.int64(Math.round(b.timestamps[i]!));
      w.nullableFloat64(b.values[i]!);
      w.string(b.seasonalityData?.[i] ?? '{}');
    }
  }
  return { rows: w.finish(), params: { ms: metrics, iv: intervals, sc: columns } };
}

export function insertDatapoints(conn: SqlConnection, t: BatchTables, e: Encoded): Promise<void> {
  return conn.insertRowBinary(
    'k Int32, t Int64, v Nullable(Float64), s String',
    (source) =>
      `INSERT INTO ${t.datapoints} (metric_name, timestamp, value, seasonality_data, interval_seconds, seasonality_columns, created_at)` +
      `${t.insertSettings} SELECT {ms:Array(String)}[k], fromUnixTimestamp64Milli(t, 'UTC'), v, s, {iv:Array(Int32)}[k], {sc:Array(String)}[k], now64(3) FROM ${source}`,
    e.rows,
    e.params
  );
}

export function encodeDetections(parts: Array<Part<DetectionBatch>>): Encoded {
  // Sized up front: growing a 100 MB buffer by doubling copies it 10 times. Metadata is ~100 bytes of JSON.
  let bytes = 0;
  for (const { b, from, to } of parts) {
    const md = b.metadata;
    if (typeof md === 'function') {
      bytes += (to - from) * 160;
    } else {
      bytes += (to - from) * 50;
      for (let i = from; i < to; i++) {
        bytes += md[i]!.length + 2;
      }
    }
  }
  const w = new RowBinaryWriter(Math.max(1 << 16, bytes));
  const keys = new Dictionary();
  const byKey: DetectionBatch[] = [];
  for (const { b, from, to } of parts) {
    const k = keys.id(JSON.stringify([b.metricName, b.detectorId, b.detectorName, b.detectorParams]));
    byKey[k - 1] = b;
    const md = b.metadata;
    for (let i = from; i < to; i++) {
      w.int32(k);
      w.int64(Math.round(b.timestamps[i]!));
      w.uint8(b.isAnomaly[i] ? 1 : 0);
      w.nullableFloat64(b.lower[i]!);
      w.nullableFloat64(b.upper[i]!);
      w.nullableFloat64(b.values[i]!);
      w.nullableFloat64(b.processedValues[i]!);
      w.string(typeof md === 'function' ? md(i) : md[i]!);
    }
  }
  return {
    rows: w.finish(),
    params: {
      ms: byKey.map((b) => b.metricName),
      ds: byKey.map((b) => b.detectorId),
      dns: byKey.map((b) => b.detectorName),
      dps: byKey.map((b) => b.detectorParams),
    },
  };
}

export function insertDetections(conn: SqlConnection, t: BatchTables, e: Encoded): Promise<void> {
  return conn.insertRowBinary(
    'k Int32, t Int64, a UInt8, lo Nullable(Float64), up Nullable(Float64), v Nullable(Float64), pv Nullable(Float64), md String',
    (source) =>
      `INSERT INTO ${t.detections} (metric_name, detector_id, detector_name, timestamp, is_anomaly, confidence_lower, confidence_upper, value, processed_value, detector_params, detection_metadata, created_at)` +
      `${t.insertSettings} SELECT {ms:Array(String)}[k], {ds:Array(String)}[k], {dns:Array(String)}[k], fromUnixTimestamp64Milli(t, 'UTC'), a, lo, up, v, pv, {dps:Array(String)}[k], md, now64(3) FROM ${source}`,
    e.rows,
    e.params
  );
}

export interface StateRequest {
  metricName: string;
  detectorIds: readonly string[];
}

/** Where each metric stands (see Store.metricState), for many metrics in one query. */
export async function metricStates(conn: SqlConnection, t: BatchTables, reqs: StateRequest[]): Promise<MetricState[]> {
  const names = [...new Set(reqs.map((r) => r.metricName))];
  const rows = await conn.json<{ m: string; d: string; first: string | number; last: string | number }>(
    `SELECT metric_name AS m, '' AS d, toUnixTimestamp64Milli(min(timestamp)) AS first, toUnixTimestamp64Milli(max(timestamp)) AS last
     FROM ${t.datapoints} WHERE metric_name IN {ms:Array(String)} GROUP BY metric_name
     UNION ALL
     SELECT metric_name AS m, detector_id AS d, 0 AS first, toUnixTimestamp64Milli(max(timestamp)) AS last
     FROM ${t.detections} WHERE metric_name IN {ms:Array(String)} GROUP BY metric_name, detector_id`,
    { ms: names }
  );
  const extent = new Map<string, { first: number; last: number }>();
  const detections = new Map<string, number>();
  for (const r of rows) {
    if (r.d === '') {
      extent.set(r.m, { first: Number(r.first), last: Number(r.last) });
    } else {
      detections.set(`${r.m}\u0000${r.d}`, Number(r.last));
    }
  }
  return reqs.map((q) => {
    const e = extent.get(q.metricName);
    const state: MetricState = { firstDatapoint: e?.first ?? null, lastDatapoint: e?.last ?? null, lastDetection: {} };
    for (const id of q.detectorIds) {
      state.lastDetection[id] = detections.get(`${q.metricName}\u0000${id}`) ?? null;
    }
    return state;
  });
}

export interface SeriesRequest {
  metricName: string;
  range: Required<TimeRange>;
}

/**
 * Datapoints of many metrics, each over its own [from, to), deduplicated (FINAL) and ordered by time. A metric
 * asked for twice is read once over the union of the ranges and cut per request.
 */
export async function readSeriesMany(
  conn: SqlConnection,
  t: BatchTables,
  reqs: SeriesRequest[],
  withSeasonality: boolean
): Promise<Series[]> {
  const union = new Map<string, { from: number; to: number }>();
  for (const r of reqs) {
    const u = union.get(r.metricName);
    union.set(
      r.metricName,
      u ? { from: Math.min(u.from, r.range.from), to: Math.max(u.to, r.range.to) } : { ...r.range }
    );
  }
  const names = [...union.keys()];
  const froms = names.map((n) => union.get(n)!.from);
  const tos = names.map((n) => union.get(n)!.to);
  // transform() looks names up in a hash table, so the per-row range check stays O(1) with thousands of metrics.
  const buf = await conn.bytes(
    `SELECT transform(metric_name, {ms:Array(String)}, {ks:Array(UInt32)}, toUInt32(0)) AS k, toUnixTimestamp64Milli(timestamp), value${withSeasonality ? ', seasonality_data' : ''}
     FROM ${t.datapoints} FINAL
     WHERE metric_name IN {ms:Array(String)}
       AND timestamp >= fromUnixTimestamp64Milli({lo:Int64}, 'UTC') AND timestamp < fromUnixTimestamp64Milli({hi:Int64}, 'UTC')
       AND toUnixTimestamp64Milli(timestamp) >= transform(metric_name, {ms:Array(String)}, {fs:Array(Int64)}, toInt64(0))
       AND toUnixTimestamp64Milli(timestamp) < transform(metric_name, {ms:Array(String)}, {ts:Array(Int64)}, toInt64(0))
     ORDER BY k, timestamp FORMAT RowBinary`,
    { ms: names, ks: names.map((_, i) => i + 1), fs: froms, ts: tos, lo: Math.min(...froms), hi: Math.max(...tos) }
  );
  // Decoded into shared typed arrays (rows come ordered by metric), then each request copies its slice.
  const cap = Math.floor(buf.byteLength / (withSeasonality ? 14 : 13));
  const ts = new Float64Array(cap);
  const vs = new Float64Array(cap);
  const ss: string[] = [];
  const first = new Int32Array(names.length + 1).fill(-1);
  const r = new RowBinaryReader(buf);
  let n = 0;
  let prev = 0;
  while (!r.done) {
    const k = r.uint32();
    for (let j = prev + 1; j <= k; j++) {
      first[j - 1] = n;
    }
    prev = k;
    ts[n] = r.int64AsNumber();
    vs[n] = r.nullableFloat64();
    if (withSeasonality) {
      ss.push(r.string());
    }
    n++;
  }
  for (let j = prev + 1; j <= names.length + 1; j++) {
    first[j - 1] = n;
  }
  const index = new Map(names.map((name, i) => [name, i]));
  return reqs.map((q) => {
    const i = index.get(q.metricName)!;
    let lo = first[i]!;
    let hi = first[i + 1]!;
    while (lo < hi && ts[lo]! < q.range.from) {
      lo++;
    }
    while (hi > lo && ts[hi - 1]! >= q.range.to) {
      hi--;
    }
    return {
      timestamps: ts.slice(lo, hi),
      values: vs.slice(lo, hi),
      ...(withSeasonality ? { seasonalityData: ss.slice(lo, hi) } : {}),
    };
  });
}

export interface BandsRequest {
  metricName: string;
  /** null: every stored detector. */
  detectorIds: readonly string[] | null;
  range: Required<TimeRange>;
}

/**
 * Each detector's band (time, anomaly flag, lower, upper, processed value; NULL as NaN) for many metrics in one statement: rows
 * are folded into arrays per (metric, detector) on the server and come back as RowBinary arrays.
 */
export async function readBandsMany(
  conn: SqlConnection,
  t: BatchTables,
  reqs: BandsRequest[]
): Promise<StoredBand[][]> {
  const union = new Map<string, { from: number; to: number }>();
  for (const r of reqs) {
    const u = union.get(r.metricName);
    union.set(r.metricName, {
      from: Math.min(u?.from ?? Infinity, r.range.from),
      to: Math.max(u?.to ?? -Infinity, r.range.to),
    });
  }
  const names = [...union.keys()];
  const froms = names.map((n) => union.get(n)!.from);
  const tos = names.map((n) => union.get(n)!.to);
  const buf = await conn.bytes(
    `SELECT k, detector_id, name, params, arrayMap(x -> x.1, r), arrayMap(x -> x.2, r), arrayMap(x -> x.3, r), arrayMap(x -> x.4, r), arrayMap(x -> x.5, r)
     FROM (SELECT transform(metric_name, {ms:Array(String)}, {ks:Array(UInt32)}, toUInt32(0)) AS k, detector_id,
                  any(detector_name) AS name, any(detector_params) AS params,
                  arraySort(groupArray((toUnixTimestamp64Milli(timestamp), toUInt8(is_anomaly),
                                        ifNull(confidence_lower, nan), ifNull(confidence_upper, nan),
                                        ifNull(processed_value, nan)))) AS r
           FROM ${t.detections} FINAL
           WHERE metric_name IN {ms:Array(String)}
             AND timestamp >= fromUnixTimestamp64Milli({lo:Int64}, 'UTC') AND timestamp < fromUnixTimestamp64Milli({hi:Int64}, 'UTC')
             AND toUnixTimestamp64Milli(timestamp) >= transform(metric_name, {ms:Array(String)}, {fs:Array(Int64)}, toInt64(0))
             AND toUnixTimestamp64Milli(timestamp) < transform(metric_name, {ms:Array(String)}, {ts:Array(Int64)}, toInt64(0))
           GROUP BY k, detector_id)
     ORDER BY k, detector_id FORMAT RowBinary`,
    {
      ms: names,
      ks: names.map((_, i) => i + 1),
      fs: froms,
      ts: tos,
      lo: Math.min(...froms),
      hi: Math.max(...tos),
    }
  );
  const byMetric = new Map<string, StoredBand[]>();
  const r = new RowBinaryReader(buf);
  while (!r.done) {
    const name = names[r.uint32() - 1]!;
    const band: StoredBand = {
      detectorId: r.string(),
      detectorName: r.string(),
      detectorParams: r.string(),
      timestamps: r.int64Array(),
      anomaly: r.uint8Array(),
      lower: r.float64Array(),
      upper: r.float64Array(),
      processed: r.float64Array(),
    };
    const list = byMetric.get(name) ?? [];
    list.push(band);
    byMetric.set(name, list);
  }
  return reqs.map((q) => {
    const ids = q.detectorIds === null ? null : new Set(q.detectorIds);
    return (byMetric.get(q.metricName) ?? [])
      .filter((b) => ids === null || ids.has(b.detectorId))
      .map((b) => cutBand(b, q.range));
  });
}

function cutBand(b: StoredBand, range: Required<TimeRange>): StoredBand {
  let lo = 0;
  while (lo < b.timestamps.length && b.timestamps[lo]! < range.from) {
    lo++;
  }
  let hi = b.timestamps.length;
  while (hi > lo && b.timestamps[hi - 1]! >= range.to) {
    hi--;
  }
  if (lo === 0 && hi === b.timestamps.length) {
    return b;
  }
  return {
    ...b,
    timestamps: b.timestamps.slice(lo, hi),
    anomaly: b.anomaly.slice(lo, hi),
    lower: b.lower.slice(lo, hi),
    upper: b.upper.slice(lo, hi),
    processed: b.processed.slice(lo, hi),
  };
}
