import type { RunInfo, RunRequest } from '../../../common/api/runs';
import type { LoadedMetric } from '../config';

/**
 * The seams between the parts of `dtk serve`: the metric catalog (file and UI definitions), the scheduler with
 * its run controller, and the HTTP API. Each side is built and tested on its own; serveCommand wires them.
 */

/** Where a metric definition comes from: a YAML file (read-only through the API) or the UI (`_dtk_metric_configs`). */
export type MetricOrigin = 'file' | 'ui';

export interface CatalogMetric {
  name: string;
  origin: MetricOrigin;
  /** File path relative to the project root, or `ui:<name>`. */
  relPath: string;
  /** `_dtk_metric_configs.version` of a UI metric; 0 for a file. */
  version: number;
  /** Validated and loaded; null when the definition is invalid (then `error` says why). */
  loaded: LoadedMetric | null;
  error?: string;
}

/** The set of metric definitions the service runs; it changes on hot reload and on API writes. */
export interface MetricCatalogView {
  list(): readonly CatalogMetric[];
  get(name: string): CatalogMetric | undefined;
  /** Called after every change of the set (reload, create, update, delete); returns an unsubscribe function. */
  onChange(listener: () => void): () => void;
}

/** Where a metric stands in the schedule, for the metrics list and `/metrics`. */
export interface ScheduleStatus {
  metric: string;
  /** Whether this replica runs the metric (`--shard i/n`). */
  owned: boolean;
  /** Next scheduled start, epoch ms; null when not scheduled (disabled, invalid, not owned). */
  nextRunAt: number | null;
  lastRun: RunInfo | null;
  /** How far the metric's last stored point is behind the last complete interval, seconds; null before any data. */
  lagSeconds: number | null;
}

/** Starts runs outside the schedule and reports on all runs (scheduled ones included). */
export interface RunController {
  /**
   * Queues a manual run or backfill; throws DtkError('conflict') when the metric is already running (no overlap)
   * and DtkError('not_found') for an unknown metric.
   */
  start(metric: string, req: RunRequest): RunInfo;
  get(runId: string): RunInfo | undefined;
  /** Newest first. */
  list(opts?: { metric?: string; limit?: number }): RunInfo[];
  status(metric: string): ScheduleStatus | undefined;
  /** Runs waiting for a slot. */
  queueDepth(): number;
}
