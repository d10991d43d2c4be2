import type { AlertConfig } from '../../../common/config/metric';
import type { AlertChannelConfig } from '../../../common/config/profiles';
import type { Detector } from '../detectors';
import type { MetricInfo } from '../storage';

/**
 * What the pipeline needs of a metric, independent of where it was defined (YAML file or UI) and of
 * its source type: the CLI and the scheduler build these from the loaded configuration.
 */
export interface PipelineDetector {
  /** 1-based position in the metric's `detectors:` list, for messages. */
  position: number;
  type: string;
  detector: Detector;
  /** detectkit's `start_time` (epoch ms): detection never starts before it. */
  startTime?: number;
  /** detectkit's `batch_size`: points per detection batch (a lower bound here, see detectStep). */
  batchSize: number;
}

export interface LoadedPoints {
  timestamps: Float64Array;
  /** NaN = missing. */
  values: Float64Array;
  seasonalityData: string[];
  /** Comma-joined names, as detectkit stores them. */
  seasonalityColumns: string;
  /** What the source said besides the data (e.g. Prometheus warnings): shown in the run's output. */
  warnings?: string[];
}

/** A metric's source: returns the complete grid [from, to) (empty when the source has nothing yet). */
export interface MetricSource {
  load(fromMs: number, toMs: number): Promise<LoadedPoints>;
}

export interface PipelineMetric {
  name: string;
  /** Path of the definition relative to the project root (or `ui:<name>`). */
  relPath: string;
  intervalSeconds: number;
  loadingStartTime?: number;
  loadingBatchSize: number;
  source: MetricSource;
  /**
   * The source reads an instant (a scrape), not a history: its value for the interval in progress is final when
   * read, so the load includes that interval (a history source never loads it: it would freeze a partial value).
   */
  instantSource?: boolean;
  /** The metric could not be prepared (e.g. its Prometheus series could not be listed): the run fails with this. */
  failure?: Error;
  detectors: PipelineDetector[];
  alertingEnabled: boolean;
  /**
   * The metric's `alerting:` block and the project's `profiles.yml: alert_channels` (all of them; the block
   * names which to use). Absent: the alert step reports alerting as not configured.
   */
  alerting?: PipelineAlerting;
  /** `_dtk_metrics` row for this metric. */
  info: MetricInfo;
}

export interface PipelineAlerting {
  config: AlertConfig;
  channels: Readonly<Record<string, AlertChannelConfig>>;
}

export type Step = 'load' | 'detect' | 'alert';
export const STEPS: readonly Step[] = ['load', 'detect', 'alert'];

export interface RunOptions {
  steps: ReadonlySet<Step>;
  /** --from (epoch ms, inclusive). */
  from?: number;
  /** --to (epoch ms, exclusive). */
  to?: number;
  fullRefresh: boolean;
  /** Skip the pipeline lock. */
  force: boolean;
  /** Lock expiry without heartbeat, seconds. */
  lockTimeoutSeconds?: number;
  /**
   * Stops the run at the next batch boundary (graceful shutdown): what is stored stays, the lock is released and
   * the next run resumes from there.
   */
  signal?: AbortSignal;
}

export interface DetectorRunSummary {
  detectorId: string;
  detectorName: string;
  points: number;
  anomalies: number;
  /** Timestamps (epoch ms) of anomalies found in this run, at most the last 20. */
  anomalyTimes: number[];
}

export interface MetricRunResult {
  metric: string;
  status: 'success' | 'failed' | 'skipped' | 'cancelled';
  stepsCompleted: Step[];
  datapointsLoaded: number;
  anomaliesDetected: number;
  alertsSent: number;
  detectors: DetectorRunSummary[];
  error?: string;
}
