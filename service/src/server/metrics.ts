import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { RunInfo } from '../../../common/api/runs';
import type { MetricCatalogView, RunController } from '../serve/contracts';

/**
 * The service's own Prometheus metrics (`GET /metrics`). The scheduler reports finished runs and alert deliveries
 * through the methods below; lag, queue depth and the catalog's size are read from their owners at scrape time,
 * so they are never stale and nobody has to push them.
 *
 * Label cardinality: `metric` labels are bounded by the metric catalog (hundreds, not per request); channel labels
 * by profiles.yml; the HTTP `route` label is the route pattern (`/api/metrics/:name`), never the raw URL.
 */
export class ServiceMetrics {
  readonly registry = new Registry();
  private readonly runs: Counter<'kind' | 'status'>;
  private readonly runDuration: Histogram<'kind'>;
  private readonly metricFailures: Counter<'metric'>;
  private readonly datapoints: Counter;
  private readonly anomalies: Counter;
  private readonly alertsSent: Counter<'channel'>;
  private readonly alertsFailed: Counter<'channel'>;
  private readonly http: Histogram<'method' | 'route' | 'status'>;
  private sources: { runs?: RunController; catalog?: MetricCatalogView } = {};

  constructor(opts: { processMetrics?: boolean } = {}) {
    const registers = [this.registry];
    if (opts.processMetrics !== false) {
      collectDefaultMetrics({ register: this.registry, prefix: 'dtk_' });
    }
    this.runs = new Counter({
      name: 'dtk_runs_total',
      help: 'Finished metric runs by kind (scheduled, manual, backfill) and final status.',
      labelNames: ['kind', 'status'],
      registers,
    });
    this.runDuration = new Histogram({
      name: 'dtk_run_duration_seconds',
      help: 'Duration of finished runs, from start to finish (queueing excluded).',
      labelNames: ['kind'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600],
      registers,
    });
    this.metricFailures = new Counter({
      name: 'dtk_metric_run_failures_total',
      help: 'Failed runs per metric.',
      labelNames: ['metric'],
      registers,
    });
    this.datapoints = new Counter({
      name: 'dtk_datapoints_loaded_total',
      help: 'Datapoints stored by runs.',
      registers,
    });
    this.anomalies = new Counter({
      name: 'dtk_anomalies_detected_total',
      help: 'Anomalous points found by runs (per detector).',
      registers,
    });
    this.alertsSent = new Counter({
      name: 'dtk_alerts_sent_total',
      help: 'Alert notifications a channel accepted.',
      labelNames: ['channel'],
      registers,
    });
    this.alertsFailed = new Counter({
      name: 'dtk_alert_delivery_failures_total',
      help: 'Alert deliveries that failed (each attempt).',
      labelNames: ['channel'],
      registers,
    });
    this.http = new Histogram({
      name: 'dtk_http_request_duration_seconds',
      help: 'HTTP API requests by method, route pattern and status.',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    const sources = () => this.sources;
    new Gauge({
      name: 'dtk_metric_lag_seconds',
      help: "How far each metric's last stored point is behind its last complete interval.",
      labelNames: ['metric'],
      registers,
      collect() {
        this.reset();
        const { runs, catalog } = sources();
        if (!runs || !catalog) {
          return;
        }
        for (const m of catalog.list()) {
          const lag = runs.status(m.name)?.lagSeconds;
          if (typeof lag === 'number' && Number.isFinite(lag)) {
            this.set({ metric: m.name }, lag);
          }
        }
      },
    });
    new Gauge({
      name: 'dtk_run_queue_depth',
      help: 'Runs waiting for a slot.',
      registers,
      collect() {
        const runs = sources().runs;
        this.set(runs ? runs.queueDepth() : 0);
      },
    });
    new Gauge({
      name: 'dtk_catalog_metrics',
      help: 'Metric definitions by origin (file, ui) and validity.',
      labelNames: ['origin', 'valid'],
      registers,
      collect() {
        this.reset();
        for (const m of sources().catalog?.list() ?? []) {
          this.inc({ origin: m.origin, valid: m.loaded ? 'true' : 'false' });
        }
      },
    });
  }

  /** Where scrape-time values come from (lag, queue depth, catalog size). */
  observe(sources: { runs?: RunController; catalog?: MetricCatalogView }): void {
    this.sources = { ...this.sources, ...sources };
  }

  /** The scheduler calls this once per run that reached a final status. */
  runFinished(info: RunInfo): void {
    this.runs.inc({ kind: info.kind, status: info.status });
    if (info.startedAt !== null && info.finishedAt !== null && info.finishedAt >= info.startedAt) {
      this.runDuration.observe({ kind: info.kind }, (info.finishedAt - info.startedAt) / 1000);
    }
    if (info.status === 'failed') {
      this.metricFailures.inc({ metric: info.metric });
    }
    this.datapoints.inc(Math.max(0, info.datapointsLoaded));
    this.anomalies.inc(Math.max(0, info.anomaliesDetected));
  }

  /** Each delivery attempt of an alert through a channel (by the channel's name in profiles.yml). */
  alertDelivered(channel: string, ok: boolean): void {
    (ok ? this.alertsSent : this.alertsFailed).inc({ channel });
  }

  httpRequest(method: string, route: string, status: number, seconds: number): void {
    this.http.observe({ method, route, status: String(status) }, seconds);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}
