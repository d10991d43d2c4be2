import path from 'node:path';
import type { LoadedMetric } from '../config';
import { durationSeconds, type PrometheusSourceConfig } from '../../../common/config';
import type { AlertChannelConfig } from '../../../common/config/profiles';
import { DtkError } from '../errors';
import {
  alignDown,
  authHeaders,
  DEFAULT_TIMEOUT_MS,
  discoverSeries,
  loadClickHouseRange,
  loadPromSeries,
  loadScrape,
  SharedFetch,
  type PromQuery,
} from '../sources';
import { MAX_POINTS_PER_REQUEST } from '../sources/prometheus';
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

/** What one tick (one `dtk run`) shares between its metrics. */
export interface RunContext {
  shared: SharedFetch;
  now: () => number;
  /** --from / --to, which also choose the window in which a fan-out query's series are listed. */
  from?: number;
  to?: number;
  /** `profiles.yml: alert_channels`: the channels a metric's `alerting.channels` name. */
  alertChannels?: Readonly<Record<string, AlertChannelConfig>>;
}

export function runContext(
  opts: { from?: number; to?: number; alertChannels?: Readonly<Record<string, AlertChannelConfig>> } = {},
  now: () => number = Date.now
): RunContext {
  return { shared: new SharedFetch(now), now, ...opts };
}

/**
 * Builds what the pipeline runs from a metric loaded from a project file. Network sources read through the run's
 * shared fetch (`ctx`); a metric without one gets its own (nothing shared).
 */
export function pipelineMetric(store: Store, root: string, m: LoadedMetric, ctx?: RunContext): PipelineMetric {
  const src = m.config.source;
  if (src?.type === 'prometheus') {
    // The single-series case: the metric is the query's one series with no labels (e.g. a sum()).
    return prometheusSeriesMetric(m, ctx ?? runContext(), promQuery(m, src), '{}');
  }
  const base = basePipelineMetric(m, ctx);
  if (src?.type === 'scrape') {
    const c = ctx ?? runContext();
    const spec = {
      url: src.url,
      sample: src.sample,
      labels: src.labels ?? {},
      timeoutMs: durationSeconds(src.timeout, DEFAULT_TIMEOUT_MS / 1000) * 1000,
      what: `metric '${m.name}'`,
    };
    const cols = m.config.seasonality_columns;
    return {
      ...base,
      instantSource: true,
      // A scrape has no history: without loading_start_time the metric starts at the current interval.
      loadingStartTime: m.loadingStartTime ?? alignDown(c.now(), m.intervalSeconds),
      source: { load: (from, to) => loadScrape(c.shared, spec, from, to, m.intervalSeconds, cols) },
    };
  }
  return { ...base, source: clickhouseSource(store, root, m) };
}

/**
 * The metrics a definition stands for in this run: one for SQL and scrape sources; for a Prometheus query, one per
 * series (label set) it returns, named `<name>{label="value",…}` (labels sorted by name; a series without labels
 * keeps the bare name). The series are listed by querying the most recent load batch (or the first one from --from);
 * each series' loads then read from the shared fetch, so the listing and the loads of a tick are usually one request.
 * A listing that fails (Prometheus down, bad PromQL, too many series) becomes one failed metric under the base name.
 */
export async function expandMetric(
  store: Store,
  root: string,
  m: LoadedMetric,
  ctx: RunContext
): Promise<PipelineMetric[]> {
  const src = m.config.source;
  if (src?.type !== 'prometheus') {
    return [pipelineMetric(store, root, m, ctx)];
  }
  const q = promQuery(m, src);
  const I = m.intervalSeconds * 1000;
  const span = Math.min(m.config.loading_batch_size, MAX_POINTS_PER_REQUEST) * I;
  const now = ctx.now();
  const end = alignDown(Math.min(ctx.to ?? now, now), m.intervalSeconds);
  const start = ctx.from !== undefined ? alignDown(ctx.from, m.intervalSeconds) : end - span;
  try {
    const series = await discoverSeries(ctx.shared, q, start, Math.min(end, start + span), src.max_series);
    if (series.length === 0) {
      return [prometheusSeriesMetric(m, ctx, q, '{}')];
    }
    return series.map((s) => prometheusSeriesMetric(m, ctx, q, s.key));
  } catch (e) {
    const failure = e instanceof Error ? e : new DtkError('internal', String(e));
    return [{ ...prometheusSeriesMetric(m, ctx, q, '{}'), failure }];
  }
}

function promQuery(m: LoadedMetric, src: PrometheusSourceConfig): PromQuery {
  // The schema holds step to the interval; anything else would put points off the grid.
  const step = m.intervalSeconds;
  return {
    url: src.url,
    query: src.query,
    stepSeconds: step,
    headers: authHeaders(src),
    timeoutMs: durationSeconds(src.timeout, DEFAULT_TIMEOUT_MS / 1000) * 1000,
    what: `metric '${m.name}'`,
  };
}

function prometheusSeriesMetric(m: LoadedMetric, ctx: RunContext, q: PromQuery, key: string): PipelineMetric {
  const name = key === '{}' ? m.name : `${m.name}${key}`;
  const base = basePipelineMetric(m, ctx);
  const cols = m.config.seasonality_columns;
  return {
    ...base,
    name,
    info: { ...base.info, metric_name: name },
    source: { load: (from, to) => loadPromSeries(ctx.shared, q, key, from, to, m.intervalSeconds, cols) },
  };
}

function basePipelineMetric(m: LoadedMetric, ctx?: RunContext): Omit<PipelineMetric, 'source'> {
  const alerting = m.config.alerting;
  return {
    name: m.name,
    relPath: m.relPath,
    intervalSeconds: m.intervalSeconds,
    loadingStartTime: m.loadingStartTime,
    loadingBatchSize: m.config.loading_batch_size,
    detectors: m.detectors.map((d) => ({
      position: d.position,
      type: d.type,
      detector: d.detector,
      startTime: d.startTime,
      batchSize: d.batchSize,
    })),
    alertingEnabled: Boolean(alerting?.enabled),
    alerting: alerting ? { config: alerting, channels: ctx?.alertChannels ?? {} } : undefined,
    info: metricInfo(m),
  };
}
