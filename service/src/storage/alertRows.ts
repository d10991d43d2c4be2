import type { AlertEventRow, AlertRowEventType, ChannelDelivery } from './alerts';

/** How `_dtk_alerts` rows are read: columns, raw JSON rows, and the outbox filter (shared by single and grouped reads). */
export interface RawAlertRow {
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

export function fromRaw(r: RawAlertRow): AlertEventRow {
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

export const COLUMNS = `metric_name, event_id, event_type, state, toUnixTimestamp64Milli(timestamp) AS t, value, confidence_lower,
  confidence_upper, direction, severity, consecutive_count, detector_ids, message, channels, details,
  toUnixTimestamp64Milli(created_at) AS c`;

/** Rows that owe a delivery: some channel pending or failed (tests are one-shot checks, never retried). */
export const OUTBOX_FILTER = `(channels LIKE '%"status":"pending"%' OR channels LIKE '%"status":"failed"%') AND event_type != 'test'`;

/** Permanent failures (4xx, gave up) are kept for the record but owe nothing. */
export function owed(rows: AlertEventRow[]): AlertEventRow[] {
  return rows.filter((r) => Object.values(r.channels).some((d) => d.status !== 'sent' && !d.permanent));
}
