/**
 * Table definitions. The four detectkit tables use detectkit 0.3.5's exact DDL so dashboards and
 * tools read rows written by either implementation; `_dtk_alerts`, `_dtk_metric_configs` and
 * `_dtk_migrations` are ours (documented in docs/storage.md).
 */
export interface ColumnSpec {
  name: string;
  type: string;
  /** Rendered as `DEFAULT '<v>'` (detectkit quotes every default). */
  default?: string;
}

export interface TableSpec {
  name: string;
  columns: ColumnSpec[];
  /** Engine with arguments, e.g. `ReplacingMergeTree(created_at)` or `MergeTree()`. */
  engine: string;
  orderBy: string[];
  /** Key used to shard the Distributed table in cluster mode. */
  shardingKey: string;
}

const DT = "DateTime64(3, 'UTC')";

export const DATAPOINTS: TableSpec = {
  name: '_dtk_datapoints',
  columns: [
    { name: 'metric_name', type: 'String' },
    { name: 'timestamp', type: DT },
    { name: 'value', type: 'Nullable(Float64)' },
    { name: 'seasonality_data', type: 'String' },
    { name: 'interval_seconds', type: 'Int32' },
    { name: 'seasonality_columns', type: 'String' },
    { name: 'created_at', type: DT },
  ],
  engine: 'ReplacingMergeTree(created_at)',
  orderBy: ['metric_name', 'timestamp'],
  shardingKey: 'cityHash64(metric_name)',
};

export const DETECTIONS: TableSpec = {
  name: '_dtk_detections',
  columns: [
    { name: 'metric_name', type: 'String' },
    { name: 'detector_id', type: 'String' },
    { name: 'detector_name', type: 'String' },
    { name: 'timestamp', type: DT },
    { name: 'is_anomaly', type: 'Bool' },
    { name: 'confidence_lower', type: 'Nullable(Float64)' },
    { name: 'confidence_upper', type: 'Nullable(Float64)' },
    { name: 'value', type: 'Nullable(Float64)' },
    { name: 'processed_value', type: 'Nullable(Float64)' },
    { name: 'detector_params', type: 'String' },
    { name: 'detection_metadata', type: 'String' },
    { name: 'created_at', type: DT },
  ],
  engine: 'ReplacingMergeTree(created_at)',
  orderBy: ['metric_name', 'detector_id', 'timestamp'],
  shardingKey: 'cityHash64(metric_name)',
};

export const TASKS: TableSpec = {
  name: '_dtk_tasks',
  columns: [
    { name: 'metric_name', type: 'String' },
    { name: 'detector_id', type: 'String' },
    { name: 'process_type', type: 'String' },
    { name: 'status', type: 'String' },
    { name: 'started_at', type: DT },
    { name: 'updated_at', type: DT },
    { name: 'last_processed_timestamp', type: `Nullable(${DT})` },
    { name: 'error_message', type: 'Nullable(String)' },
    { name: 'timeout_seconds', type: 'Int32' },
    { name: 'last_alert_sent', type: `Nullable(${DT})` },
    { name: 'alert_count', type: 'UInt32', default: '0' },
  ],
  engine: 'MergeTree()',
  orderBy: ['metric_name', 'detector_id', 'process_type'],
  shardingKey: 'cityHash64(metric_name)',
};

export const METRICS: TableSpec = {
  name: '_dtk_metrics',
  columns: [
    { name: 'metric_name', type: 'String' },
    { name: 'description', type: 'Nullable(String)' },
    { name: 'path', type: 'String' },
    { name: 'interval', type: 'String' },
    { name: 'loading_start_time', type: `Nullable(${DT})` },
    { name: 'loading_batch_size', type: 'UInt32' },
    { name: 'is_alert_enabled', type: 'UInt8' },
    { name: 'timezone', type: 'Nullable(String)' },
    { name: 'direction', type: 'Nullable(String)' },
    { name: 'consecutive_anomalies', type: 'UInt32' },
    { name: 'no_data_alert', type: 'UInt8' },
    { name: 'min_detectors', type: 'UInt32' },
    { name: 'tags', type: 'String' },
    { name: 'enabled', type: 'UInt8' },
    { name: 'created_at', type: DT },
    { name: 'updated_at', type: DT },
  ],
  engine: 'MergeTree()',
  orderBy: ['metric_name'],
  shardingKey: 'cityHash64(metric_name)',
};

/** One row per alert state change (firing, resolved, no_data, test) and its delivery outcome. */
export const ALERTS: TableSpec = {
  name: '_dtk_alerts',
  columns: [
    { name: 'metric_name', type: 'String' },
    { name: 'event_id', type: 'String' },
    { name: 'event_type', type: 'LowCardinality(String)' },
    { name: 'state', type: 'LowCardinality(String)' },
    { name: 'timestamp', type: DT },
    { name: 'value', type: 'Nullable(Float64)' },
    { name: 'confidence_lower', type: 'Nullable(Float64)' },
    { name: 'confidence_upper', type: 'Nullable(Float64)' },
    { name: 'direction', type: 'Nullable(String)' },
    { name: 'severity', type: 'Nullable(Float64)' },
    { name: 'consecutive_count', type: 'UInt32' },
    { name: 'detector_ids', type: 'Array(String)' },
    { name: 'message', type: 'String' },
    { name: 'channels', type: 'String' },
    { name: 'details', type: 'String' },
    { name: 'created_at', type: DT },
  ],
  engine: 'ReplacingMergeTree(created_at)',
  orderBy: ['metric_name', 'timestamp', 'event_id'],
  shardingKey: 'cityHash64(metric_name)',
};

/** UI-created metric definitions, one row per saved version; `deleted` marks a tombstone. */
export const METRIC_CONFIGS: TableSpec = {
  name: '_dtk_metric_configs',
  columns: [
    { name: 'metric_name', type: 'String' },
    { name: 'version', type: 'UInt32' },
    { name: 'definition', type: 'String' },
    { name: 'deleted', type: 'UInt8' },
    { name: 'author', type: 'String' },
    { name: 'comment', type: 'String' },
    { name: 'created_at', type: DT },
  ],
  engine: 'ReplacingMergeTree(created_at)',
  orderBy: ['metric_name', 'version'],
  shardingKey: 'cityHash64(metric_name)',
};

/** Applied schema migrations (ours; detectkit has no migrations). */
export const MIGRATIONS: TableSpec = {
  name: '_dtk_migrations',
  columns: [
    { name: 'version', type: 'UInt32' },
    { name: 'name', type: 'String' },
    { name: 'applied_at', type: DT },
  ],
  engine: 'ReplacingMergeTree(applied_at)',
  orderBy: ['version'],
  shardingKey: 'version',
};

export const DETECTKIT_TABLES = [DATAPOINTS, DETECTIONS, TASKS, METRICS] as const;
export const ALL_TABLES = [DATAPOINTS, DETECTIONS, TASKS, METRICS, ALERTS, METRIC_CONFIGS] as const;
