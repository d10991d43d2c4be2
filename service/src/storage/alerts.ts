import { clickhouseTime } from './codec';
import type { SqlConnection } from './connect';
import type { StoredDetection } from './store';

/**
 * `_dtk_alerts`: one row per alert state change (firing, resolved, no_data, test), which is also the outbox.
 * The table is a ReplacingMergeTree keyed by (metric, timestamp, event_id) on created_at: recording a delivery
 * outcome re-inserts the event row with a later created_at, and reads use FINAL, so each event reads as one row
 * with its latest per-channel status.
 */

export type AlertRowEventType = 'firing' | 'resolved' | 'no_data' | 'test';

export interface ChannelDelivery {
  type: string;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  /** Last failure, safe to show (no secrets). */
  error?: string;
  /** Epoch ms. */
  sentAt?: number;
  /** Epoch ms before which no retry is made. */
  nextAttemptAt?: number;
  /** A failure that retrying will not fix (4xx, unknown channel). */
  permanent?: boolean;
}

export interface AlertEventRow {
  metricName: string;
  eventId: string;
  eventType: AlertRowEventType;
  /** The metric's state after the event: firing, ok, no_data (test rows: test). */
  state: string;
  /** Evaluated point, epoch ms. */
  timestamp: number;
  value: number | null;
  confidenceLower: number | null;
  confidenceUpper: number | null;
  direction: string | null;
  severity: number | null;
  consecutiveCount: number;
  detectorIds: string[];
  message: string;
  /** By channel name. */
  channels: Record<string, ChannelDelivery>;
  /** Detector name/params, metadata, reasons, warnings: JSON object. */
  details: Record<string, unknown>;
  /** Epoch ms; set on write. */
  createdAt?: number;
}

export interface CurrentAlertRowState {
  state: string;
  timestamp: number;
  lastFiringAt: number | null;
  lastFiringEventId: string | null;
}

/** A stored detection with what the orchestrator also needs: the detector's params and the point's metadata. */
export interface RecentDetectionRow extends StoredDetection {
  detectorParams: string;
  metadata: string;
}

const finiteOrNull = (x: number | null) => (x === null || !Number.isFinite(x) ? null : x);

interface RawAlertRow {
  metric_name: string;
  event_id: string;
  event_type: string;
  state: string;
  t: string | number;
  value: number | null;
  confidence_lower: number | null;
  confidence_upper: number | null;
  direction: string | null;
  severity: number | null;
  consecutive_count: number | string;
  detector_ids: string[];
  message: string;
  channels: string;
  details: string;
  c: string | number;
}

function parseObject(text: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function fromRaw(r: RawAlertRow): AlertEventRow {
  return {
    metricName: r.metric_name,
    eventId: r.event_id,
    eventType: r.event_type as AlertRowEventType,
    state: r.state,
    timestamp: Number(r.t),
    value: r.value,
    confidenceLower: r.confidence_lower,
    confidenceUpper: r.confidence_upper,
    direction: r.direction,
    severity: r.severity,
    consecutiveCount: Number(r.consecutive_count),
    detectorIds: r.detector_ids,
    message: r.message,
    channels: parseObject(r.channels) as Record<string, ChannelDelivery>,
    details: parseObject(r.details),
    createdAt: Number(r.c),
  };
}

const COLUMNS = `metric_name, event_id, event_type, state, toUnixTimestamp64Milli(timestamp) AS t, value, confidence_lower,
  confidence_upper, direction, severity, consecutive_count, detector_ids, message, channels, details,
  toUnixTimestamp64Milli(created_at) AS c`;

export class AlertStore {
  private lastCreated = 0;

  constructor(
    private readonly conn: SqlConnection,
    private readonly alertsTable: string,
    private readonly detectionsTable: string,
    private readonly datapointsTable: string
  ) {}

  /** Inserts or replaces an event row (same metric, timestamp and event id). */
  async write(row: AlertEventRow): Promise<void> {
    // Strictly increasing created_at within the process, so a quick re-write always wins the merge.
    const created = Math.max(Date.now(), this.lastCreated + 1, (row.createdAt ?? 0) + 1);
    this.lastCreated = created;
    row.createdAt = created;
    await this.conn.insertJson(this.alertsTable, [
      {
        metric_name: row.metricName,
        event_id: row.eventId,
        event_type: row.eventType,
        state: row.state,
        timestamp: clickhouseTime(row.timestamp),
        value: finiteOrNull(row.value),
        confidence_lower: finiteOrNull(row.confidenceLower),
        confidence_upper: finiteOrNull(row.confidenceUpper),
        direction: row.direction,
        severity: finiteOrNull(row.severity),
        consecutive_count: row.consecutiveCount,
        detector_ids: row.detectorIds,
        message: row.message,
        channels: JSON.stringify(row.channels),
        details: JSON.stringify(row.details),
        created_at: clickhouseTime(created),
      },
    ]);
  }

  /** Events of a metric (or all), newest first. */
  async events(opts: { metricName?: string; limit?: number; eventId?: string } = {}): Promise<AlertEventRow[]> {
    const where = [
      opts.metricName === undefined ? '' : 'metric_name = {m:String}',
      opts.eventId === undefined ? '' : 'event_id = {e:String}',
    ].filter(Boolean);
    const rows = await this.conn.json<RawAlertRow>(
      `SELECT ${COLUMNS} FROM ${this.alertsTable} FINAL ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY timestamp DESC, created_at DESC LIMIT {lim:UInt32}`,
      { m: opts.metricName ?? '', e: opts.eventId ?? '', lim: opts.limit ?? 100 }
    );
    return rows.map(fromRaw);
  }

  /** The metric's state from its latest state-changing event, and its latest firing event (for the cooldown). */
  async currentState(metricName: string): Promise<CurrentAlertRowState | null> {
    const rows = await this.conn.json<{
      state: string;
      t: string | number;
      f: string | number;
      fid: string;
      n: string | number;
    }>(
      `SELECT argMax(state, (timestamp, created_at)) AS state, toUnixTimestamp64Milli(max(timestamp)) AS t,
              toUnixTimestamp64Milli(maxIf(timestamp, event_type = 'firing')) AS f,
              argMaxIf(event_id, (timestamp, created_at), event_type = 'firing') AS fid, countIf(event_type = 'firing') AS n,
              count() AS all_rows
       FROM ${this.alertsTable} FINAL WHERE metric_name = {m:String} AND event_type != 'test'
       HAVING all_rows > 0`,
      { m: metricName }
    );
    const r = rows[0];
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
  }

  /** Events with a channel still pending or failed-but-retryable (the outbox), oldest first. */
  async undelivered(metricName?: string, limit = 100): Promise<AlertEventRow[]> {
    const rows = await this.conn.json<RawAlertRow>(
      `SELECT ${COLUMNS} FROM ${this.alertsTable} FINAL
       WHERE (channels LIKE '%"status":"pending"%' OR channels LIKE '%"status":"failed"%')
         AND event_type != 'test' -- a test alert is a one-shot check, never retried
       ${metricName === undefined ? '' : 'AND metric_name = {m:String}'}
       ORDER BY timestamp, created_at LIMIT {lim:UInt32}`,
      { m: metricName ?? '', lim: limit }
    );
    // Permanent failures (4xx, gave up) are kept for the record but owe nothing.
    return rows.map(fromRaw).filter((r) => Object.values(r.channels).some((d) => d.status !== 'sent' && !d.permanent));
  }

  /** Detections of the given detectors at timestamps in (from, to], deduplicated, newest first. */
  async recentDetections(metricName: string, detectorIds: readonly string[], fromExclusive: number, to: number) {
    const rows = await this.conn.json<{
      detector_id: string;
      detector_name: string;
      detector_params: string;
      t: string | number;
      is_anomaly: boolean | number;
      confidence_lower: number | null;
      confidence_upper: number | null;
      value: number | null;
      processed_value: number | null;
      detection_metadata: string;
    }>(
      `SELECT detector_id, detector_name, detector_params, toUnixTimestamp64Milli(timestamp) AS t, is_anomaly,
              confidence_lower, confidence_upper, value, processed_value, detection_metadata
       FROM ${this.detectionsTable} FINAL
       WHERE metric_name = {m:String} AND detector_id IN {ids:Array(String)}
         AND timestamp > fromUnixTimestamp64Milli({from:Int64}, 'UTC') AND timestamp <= fromUnixTimestamp64Milli({to:Int64}, 'UTC')
       ORDER BY timestamp DESC, detector_id`,
      { m: metricName, ids: [...detectorIds], from: fromExclusive, to }
    );
    return rows.map((r): RecentDetectionRow => ({
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
  }

  /** Last datapoint with a value at or before `to` (epoch ms), or null. */
  async lastValuedDatapoint(metricName: string, to: number): Promise<number | null> {
    const rows = await this.conn.json<{ t: string | number; n: string | number }>(
      `SELECT toUnixTimestamp64Milli(max(timestamp)) AS t, count() AS n FROM ${this.datapointsTable}
       WHERE metric_name = {m:String} AND value IS NOT NULL AND NOT isNaN(value) AND timestamp <= fromUnixTimestamp64Milli({to:Int64}, 'UTC')`,
      { m: metricName, to }
    );
    const r = rows[0];
    return r && Number(r.n) > 0 ? Number(r.t) : null;
  }
}
