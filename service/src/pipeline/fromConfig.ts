import path from 'node:path';
import type { LoadedMetric } from '../config';
import { loadClickHouseRange } from '../sources';
import type { MetricInfo, Store } from '../storage';
import type { MetricSource, PipelineMetric } from './types';

/** The `_dtk_metrics` row detectkit writes for a metric file (reference §6.6). */
export function metricInfo(m: LoadedMetric): MetricInfo {
  const a = m.config.alerting ?? null;
  return {
    metric_name: m.name,
    description: m.config.description ?? null,
    path: m.file,
    interval: String(m.config.interval),
    loading_start_time: m.loadingStartTime ?? null,
    loading_batch_size: m.config.loading_batch_size,
    is_alert_enabled: a?.enabled ? 1 : 0,
    timezone: a?.timezone ?? null,
    direction: a ? a.direction : null,
    consecutive_anomalies: a?.consecutive_anomalies ?? 3,
    no_data_alert: a?.no_data_alert ? 1 : 0,
    min_detectors: a?.min_detectors ?? 1,
    // Python's json.dumps spacing, as detectkit stores it.
    tags: `[${(m.config.tags ?? []).map((t) => JSON.stringify(t)).join(', ')}]`,
    enabled: m.config.enabled === false ? 0 : 1,
  };
}

/** A metric's ClickHouse SQL source: the metric's query over the store's engine. */
function clickhouseSource(store: Store, root: string, m: LoadedMetric): MetricSource {
  const c = m.config;
  const query = {
    sql: c.query ?? undefined,
    queryFile: c.query_file ? path.resolve(root, c.query_file) : undefined,
    columns: {
      timestamp: c.query_columns?.timestamp ?? 'timestamp',
      metric: c.query_columns?.metric ?? 'value',
      seasonality: c.query_columns?.seasonality ?? undefined,
    },
    seasonalityColumns: c.seasonality_columns ?? [],
  };
  return {
    load: (from, to) => loadClickHouseRange((sql) => store.userQuery(sql), query, from, to, m.intervalSeconds),
  };
}

/** Builds what the pipeline runs from a metric loaded from a project file. */
export function pipelineMetric(store: Store, root: string, m: LoadedMetric): PipelineMetric {
  return {
    name: m.name,
    relPath: m.relPath,
    intervalSeconds: m.intervalSeconds,
    loadingStartTime: m.loadingStartTime,
    loadingBatchSize: m.config.loading_batch_size,
    source: clickhouseSource(store, root, m),
    detectors: m.detectors.map((d) => ({
      position: d.position,
      type: d.type,
      detector: d.detector,
      startTime: d.startTime,
      batchSize: d.batchSize,
    })),
    alertingEnabled: Boolean(m.config.alerting?.enabled),
    info: metricInfo(m),
  };
}
