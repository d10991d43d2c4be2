import {
  DataSourceApi,
  type AnnotationQuery,
  type DataFrame,
  type DataQueryRequest,
  type DataQueryResponse,
  type DataSourceInstanceSettings,
  type LegacyMetricFindQueryOptions,
  type MetricFindValue,
  type ScopedVars,
  type TestDataSourceResponse,
} from '@grafana/data';
import { getTemplateSrv } from '@grafana/runtime';
import type { MetricSummary } from '../../common/api/metrics';
import { DtkClient } from './api';
import { alertsToFrame, anomaliesToFrame, seriesToFrame } from './frames';
import { DEFAULT_QUERY, type AnomalyDataSourceOptions, type AnomalyQuery } from './types';
import { detailValues, listValues, parseVariableQuery } from './variables';

/** Separates the values of a multi-value variable; never part of a metric name. */
const SEP = '\u001f';
/** The metric list feeds the query editor and variables: shared briefly so one dashboard load asks once. */
const METRICS_TTL_MS = 10_000;

export class DataSource extends DataSourceApi<AnomalyQuery, AnomalyDataSourceOptions> {
  readonly client: DtkClient;
  private metricsCache: { at: number; list: Promise<MetricSummary[]> } | null = null;

  constructor(instanceSettings: DataSourceInstanceSettings<AnomalyDataSourceOptions>) {
    super(instanceSettings);
    // The data source proxy URL; the `api` route in plugin.json adds the service token.
    this.client = new DtkClient(`${instanceSettings.url ?? ''}/api`);
    this.annotations = {
      // A new annotation query starts as "anomalies of a metric"; the query editor switches it to alerts.
      prepareAnnotation: (json: AnnotationQuery<AnomalyQuery>) => ({
        ...json,
        target: { refId: 'Anno', metric: '', ...json.target, queryType: json.target?.queryType ?? 'anomalies' },
      }),
    };
  }

  getDefaultQuery(): Partial<AnomalyQuery> {
    return DEFAULT_QUERY;
  }

  filterQuery(query: AnomalyQuery): boolean {
    return !query.hide && (query.queryType === 'alerts' || Boolean(query.metric));
  }

  /** The metric list (cached for a few seconds). */
  listMetrics(): Promise<MetricSummary[]> {
    const now = Date.now();
    if (!this.metricsCache || now - this.metricsCache.at > METRICS_TTL_MS) {
      const list = this.client.metrics();
      this.metricsCache = { at: now, list };
      list.catch(() => (this.metricsCache = null));
    }
    return this.metricsCache.list;
  }

  async query(request: DataQueryRequest<AnomalyQuery>): Promise<DataQueryResponse> {
    const from = request.range.from.valueOf();
    const to = request.range.to.valueOf();
    const frames = await Promise.all(
      request.targets.filter((t) => this.filterQuery(t)).map((t) => this.runQuery(t, from, to, request.scopedVars))
    );
    return { data: frames.flat() };
  }

  private async runQuery(t: AnomalyQuery, from: number, to: number, scopedVars: ScopedVars): Promise<DataFrame[]> {
    const metrics = this.metricNames(t.metric, scopedVars);
    if (t.queryType === 'alerts') {
      const lists = await Promise.all((metrics.length ? metrics : ['']).map((m) => this.client.alerts({ metric: m })));
      return [alertsToFrame(t.refId, lists.flat(), from, to)];
    }
    return Promise.all(
      metrics.map(async (metric) => {
        try {
          if (t.queryType === 'anomalies') {
            const [res, interval] = await Promise.all([
              this.client.detections(metric, {
                from,
                to,
                detector: t.detectors?.length === 1 ? t.detectors[0] : undefined,
              }),
              this.intervalMs(metric),
            ]);
            return anomaliesToFrame(t.refId, metric, res.detections, interval, t.detectors);
          }
          const s = await this.client.series(metric, from, to);
          return seriesToFrame(t.refId, s, { detectors: t.detectors, fields: t.fields });
        } catch (e) {
          throw new Error(`${metric}: ${e instanceof Error ? e.message : String(e)}`);
        }
      })
    );
  }

  /** The query's metric with template variables replaced; a multi-value variable gives several metrics. */
  private metricNames(metric: string, scopedVars: ScopedVars): string[] {
    const replaced = getTemplateSrv().replace(metric, scopedVars, (v: string | string[]) =>
      Array.isArray(v) ? v.join(SEP) : v
    );
    return [...new Set(replaced.split(SEP).map((m) => m.trim()))].filter(Boolean);
  }

  /** The metric's interval, to merge consecutive anomalies into one region; null when unknown. */
  private async intervalMs(metric: string): Promise<number | null> {
    try {
      const list = await this.listMetrics();
      const base = metric.replace(/\{.*$/s, '');
      const s = list.find((m) => m.name === metric) ?? list.find((m) => m.name === base);
      return s?.intervalSeconds ? s.intervalSeconds * 1000 : null;
    } catch {
      // Only the merging of points into regions depends on it.
      return null;
    }
  }

  /** Template variables: metrics(), metrics(tag), tags(), detectors(metric), series(metric). */
  async metricFindQuery(query: string, options?: LegacyMetricFindQueryOptions): Promise<MetricFindValue[]> {
    const q = parseVariableQuery(getTemplateSrv().replace(query, options?.scopedVars));
    if (q.kind === 'metrics' || q.kind === 'tags') {
      return listValues(q, await this.listMetrics());
    }
    return detailValues(q, await this.client.metric(q.metric));
  }

  /** Grafana reaches the service (health, no token needed) and the token is accepted (the metric list). */
  async testDatasource(): Promise<TestDataSourceResponse> {
    let version: string;
    try {
      const health = await this.client.health();
      if (health.status !== 'ok') {
        return { status: 'warning', message: `dtk ${health.version} answers, but reports ${health.status}` };
      }
      version = health.version;
    } catch (e) {
      return { status: 'error', message: `The dtk service is not reachable: ${(e as Error).message}` };
    }
    try {
      this.metricsCache = null;
      const metrics = await this.listMetrics();
      return {
        status: 'success',
        message: `dtk ${version}: ok, ${metrics.length} metric${metrics.length === 1 ? '' : 's'}`,
      };
    } catch (e) {
      return {
        status: 'error',
        message: `dtk ${version} answers, but the metric list failed: ${(e as Error).message}`,
      };
    }
  }
}
