import { clickhouseTime } from './codec';
import type { SqlConnection } from './connect';
import { COLUMNS, fromRaw, OUTBOX_FILTER, owed, type RawAlertRow } from './alertRows';
import {
  currentStates,
  lastValuedMany,
  recentDetectionsMany,
  undeliveredMany,
  type AlertTables,
  type RecentRequest,
} from './alertBatches';
import { GroupCommit } from './groupCommit';
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

/** Metrics per grouped alert query (the alert step of many metrics at once: see groupCommit.ts). */
const GROUP_METRICS = 1_000;

export class AlertStore {
  private lastCreated = 0;
  private readonly recent: GroupCommit<RecentRequest, RecentDetectionRow[]>;
  private readonly states: GroupCommit<string, CurrentAlertRowState | null>;
  private readonly outbox: GroupCommit<{ metricName: string; limit: number }, AlertEventRow[]>;
  private readonly lastValued: GroupCommit<{ metricName: string; to: number }, number | null>;

  constructor(
    private readonly conn: SqlConnection,
    private readonly alertsTable: string,
    detectionsTable: string,
    datapointsTable: string
  ) {
    const t: AlertTables = { alerts: alertsTable, detections: detectionsTable, datapoints: datapointsTable };
    const opts = { maxItems: GROUP_METRICS };
    this.recent = new GroupCommit((reqs) => recentDetectionsMany(conn, t, reqs), opts);
    this.states = new GroupCommit((names) => currentStates(conn, t, names), opts);
    this.outbox = new GroupCommit((reqs) => undeliveredMany(conn, t, reqs), opts);
    this.lastValued = new GroupCommit((reqs) => lastValuedMany(conn, t, reqs), opts);
  }

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
  currentState(metricName: string): Promise<CurrentAlertRowState | null> {
    return this.states.submit(metricName);
  }

  /** Events with a channel still pending or failed-but-retryable (the outbox), oldest first. */
  async undelivered(metricName?: string, limit = 100): Promise<AlertEventRow[]> {
    if (metricName !== undefined) {
      return this.outbox.submit({ metricName, limit });
    }
    const rows = await this.conn.json<RawAlertRow>(
      `SELECT ${COLUMNS} FROM ${this.alertsTable} FINAL WHERE ${OUTBOX_FILTER}
       ORDER BY timestamp, created_at LIMIT {lim:UInt32}`,
      { lim: limit }
    );
    return owed(rows.map(fromRaw));
  }

  /** Detections of the given detectors at timestamps in (from, to], deduplicated, newest first. */
  recentDetections(
    metricName: string,
    detectorIds: readonly string[],
    fromExclusive: number,
    to: number
  ): Promise<RecentDetectionRow[]> {
    return this.recent.submit({ metricName, detectorIds, fromExclusive, to });
  }

  /** Last datapoint with a value at or before `to` (epoch ms), or null. */
  lastValuedDatapoint(metricName: string, to: number): Promise<number | null> {
    return this.lastValued.submit({ metricName, to });
  }
}
