import { sqlText } from '../catalog';
import { tables, type Store, type TimeRange } from '../storage';

/**
 * Reads the API needs that Store has no method for (yet): detections of several detectors in one round trip as
 * columns, per-metric summaries for the list view, filtered detection rows. DESIGN §2 keeps SQL about `_dtk_*`
 * tables in service/src/storage: these are written against Store's public surface (`userQuery`, `table`) so they
 * can move there unchanged. userQuery takes no parameters: strings go in as `unhex()` of their bytes, numbers are
 * integers checked here.
 */

const int = (n: number) => {
  if (!Number.isSafeInteger(n)) {
    throw new RangeError(`not an integer: ${n}`);
  }
  return String(n);
};

function rangeSql(r: TimeRange): string {
  return (
    (r.from === undefined ? '' : ` AND timestamp >= fromUnixTimestamp64Milli(${int(r.from)}, 'UTC')`) +
    (r.to === undefined ? '' : ` AND timestamp < fromUnixTimestamp64Milli(${int(r.to)}, 'UTC')`)
  );
}

/** What the metrics list shows beside each definition, by base metric name (fan-out series folded in). */
export interface ListStats {
  lastPoint: Map<string, number>;
  alertState: Map<string, string>;
}

const BASE_NAME = `if(position(metric_name, '{') > 1, substring(metric_name, 1, position(metric_name, '{') - 1), metric_name)`;

export async function readListStats(store: Store): Promise<ListStats> {
  const points = await store.userQuery(
    `SELECT ${BASE_NAME} AS base, toUnixTimestamp64Milli(max(timestamp))
     FROM ${store.table(tables.DATAPOINTS.name)} GROUP BY base`
  );
  const alerts = await store.userQuery(
    `SELECT metric_name, argMax(state, (timestamp, created_at))
     FROM ${store.table(tables.ALERTS.name)} FINAL WHERE event_type != 'test' GROUP BY metric_name`
  );
  return {
    lastPoint: new Map(points.rows.map((r) => [String(r[0]), Number(r[1])])),
    alertState: new Map(alerts.rows.map((r) => [String(r[0]), String(r[1])])),
  };
}

/** Series names stored for a fan-out metric: `base{…}`, sorted, at most `limit`. */
export async function readSeriesNames(store: Store, base: string, limit = 1000): Promise<string[]> {
  const r = await store.userQuery(
    `SELECT DISTINCT metric_name FROM ${store.table(tables.DATAPOINTS.name)}
     WHERE startsWith(metric_name, ${sqlText(`${base}{`)}) ORDER BY metric_name LIMIT ${int(limit)}`
  );
  return r.rows.map((row) => String(row[0]));
}

export interface DetectionRow {
  detectorId: string;
  detectorName: string;
  detectorParams: string;
  timestamp: number;
  isAnomaly: boolean;
  value: number | null;
  lower: number | null;
  upper: number | null;
  processedValue: number | null;
  metadata: string;
}

const nullable = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Stored detection rows, newest first, deduplicated, filtered in the engine. */
export async function readDetectionRows(
  store: Store,
  metric: string,
  opts: TimeRange & { anomaliesOnly: boolean; detectorId?: string; limit: number }
): Promise<DetectionRow[]> {
  const r = await store.userQuery(
    `SELECT detector_id, detector_name, detector_params, toUnixTimestamp64Milli(timestamp), toUInt8(is_anomaly),
            value, confidence_lower, confidence_upper, processed_value, detection_metadata
     FROM ${store.table(tables.DETECTIONS.name)} FINAL
     WHERE metric_name = ${sqlText(metric)}${opts.anomaliesOnly ? ' AND is_anomaly' : ''}
       ${opts.detectorId === undefined ? '' : ` AND detector_id = ${sqlText(opts.detectorId)}`}${rangeSql(opts)}
     ORDER BY timestamp DESC, detector_id LIMIT ${int(opts.limit)}`
  );
  return r.rows.map((row) => ({
    detectorId: String(row[0]),
    detectorName: String(row[1]),
    detectorParams: String(row[2]),
    timestamp: Number(row[3]),
    isAnomaly: Number(row[4]) === 1,
    value: nullable(row[5]),
    lower: nullable(row[6]),
    upper: nullable(row[7]),
    processedValue: nullable(row[8]),
    metadata: String(row[9]),
  }));
}
