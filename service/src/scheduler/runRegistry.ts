import { randomUUID } from 'node:crypto';
import type { RunInfo, RunKind } from '../../../common/api/runs';
import type { Reporter } from '../pipeline';
import type { MetricRunResult } from '../pipeline/types';

/** How many finished runs are kept in memory (the history that matters longer is in `_dtk_tasks`). */
const KEEP_RUNS = 2_000;
const KEEP_PER_METRIC = 50;

/** The runs this process knows about: queued, running and recent ones, for the API and `/metrics`. */
export class RunRegistry {
  private readonly runs = new Map<string, RunInfo>();
  private readonly byMetric = new Map<string, string[]>();

  create(metric: string, kind: RunKind, tick: number | null, now: number): RunInfo {
    const info: RunInfo = {
      id: randomUUID(),
      metric,
      kind,
      status: 'queued',
      queuedAt: now,
      startedAt: null,
      finishedAt: null,
      tick,
      progress: { step: null, done: 0, total: 0 },
      datapointsLoaded: 0,
      anomaliesDetected: 0,
      alertsSent: 0,
    };
    this.runs.set(info.id, info);
    const ids = this.byMetric.get(metric) ?? [];
    ids.push(info.id);
    if (ids.length > KEEP_PER_METRIC) {
      this.runs.delete(ids.shift()!);
    }
    this.byMetric.set(metric, ids);
    if (this.runs.size > KEEP_RUNS) {
      // Map iteration is insertion order: the oldest run goes first (unless it is still going).
      for (const [id, r] of this.runs) {
        if (r.finishedAt !== null) {
          this.runs.delete(id);
          break;
        }
      }
    }
    return info;
  }

  get(id: string): RunInfo | undefined {
    const r = this.runs.get(id);
    return r && { ...r, progress: { ...r.progress } };
  }

  list(opts: { metric?: string; limit?: number } = {}): RunInfo[] {
    const ids = opts.metric === undefined ? [...this.runs.keys()] : (this.byMetric.get(opts.metric) ?? []);
    return ids
      .map((id) => this.get(id))
      .filter((r): r is RunInfo => r !== undefined)
      .reverse()
      .slice(0, opts.limit ?? 100);
  }

  /** The newest finished run of a metric. */
  lastFinished(metric: string): RunInfo | null {
    const ids = this.byMetric.get(metric) ?? [];
    for (let i = ids.length - 1; i >= 0; i--) {
      const r = this.runs.get(ids[i]!);
      if (r && r.finishedAt !== null) {
        return { ...r, progress: { ...r.progress } };
      }
    }
    return null;
  }
}

/** A reporter that keeps a run's progress (the step and its batches) instead of printing. */
export function progressReporter(info: RunInfo): Reporter {
  return {
    line: () => undefined,
    step: (step) => {
      info.progress = { step, done: 0, total: 0 };
    },
    progress: (_label, done, total) => {
      info.progress = { ...info.progress, done, total };
    },
  };
}

/** Folds the results of a definition's series into its run. */
export function finishRun(info: RunInfo, results: MetricRunResult[], now: number): void {
  info.finishedAt = now;
  info.datapointsLoaded = results.reduce((a, r) => a + r.datapointsLoaded, 0);
  info.anomaliesDetected = results.reduce((a, r) => a + r.anomaliesDetected, 0);
  info.alertsSent = results.reduce((a, r) => a + r.alertsSent, 0);
  const bad = results.filter((r) => r.status !== 'success');
  info.status = bad.some((r) => r.status === 'cancelled') ? 'cancelled' : bad.length > 0 ? 'failed' : 'success';
  if (bad.length > 0) {
    const shown = bad.slice(0, 3).map((r) => (results.length > 1 ? `${r.metric}: ${r.error}` : `${r.error}`));
    info.error = shown.join('; ') + (bad.length > 3 ? ` (and ${bad.length - 3} more series)` : '');
  }
}
