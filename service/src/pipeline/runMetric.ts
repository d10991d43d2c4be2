import { runAlertStep } from '../alerting/alertStep';
import { DtkError, errorMessage } from '../errors';
import type { Logger } from '../logging/logger';
import type { Lock, Store } from '../storage';
import { DetectorsFailed, runDetectStep } from './detectStep';
import { runLoadStep, type StepDeps } from './loadStep';
import { fmtTime, type Reporter } from './reporter';
import type { MetricRunResult, PipelineMetric, RunOptions } from './types';

export interface PipelineDeps {
  store: Store;
  reporter: Reporter;
  logger: Logger;
  now?: () => number;
}

/** detectkit's default lock timeout; heartbeats extend it while a long backfill runs. */
const DEFAULT_LOCK_TIMEOUT_S = 3600;

/**
 * One metric, load → detect → alert, under its pipeline lock. Never throws for the metric's own
 * failures: they are returned (and recorded in `_dtk_tasks` as `failed` with the message), so one
 * metric never stops the others.
 */
export async function runMetric(deps: PipelineDeps, m: PipelineMetric, opts: RunOptions): Promise<MetricRunResult> {
  const { store, reporter: r } = deps;
  const result: MetricRunResult = {
    metric: m.name,
    status: 'success',
    stepsCompleted: [],
    datapointsLoaded: 0,
    anomaliesDetected: 0,
    alertsSent: 0,
    detectors: [],
  };
  let lock: Lock | null = null;
  let lastProcessed: number | undefined;
  // Detectors that failed while others ran: reported after the alert step.
  let detectFailure: DetectorsFailed | undefined;
  try {
    if (!opts.force) {
      const got = await store.locks.acquire(
        { metricName: m.name },
        { timeoutSeconds: opts.lockTimeoutSeconds ?? DEFAULT_LOCK_TIMEOUT_S }
      );
      if (!got.acquired) {
        throw new DtkError(
          'conflict',
          `Failed to acquire lock for metric '${m.name}': another run (${got.holder.owner}) holds it since ${fmtTime(got.holder.startedAt)}. It expires ${got.holder.timeoutSeconds}s after its last heartbeat; use --force to override.`
        );
      }
      lock = got.lock;
    }
    if (m.failure) {
      throw m.failure; // under the lock, so `_dtk_tasks` records it like any other failure
    }
    const held = lock;
    const timeoutMs = (opts.lockTimeoutSeconds ?? DEFAULT_LOCK_TIMEOUT_S) * 1000;
    // Heartbeats are throttled: a short run needs none, a long one refreshes well before expiry.
    const heartbeatEvery = Math.min(30_000, timeoutMs / 4);
    let lastBeat = Date.now();
    const state = await store.metricState(
      m.name,
      m.detectors.map((d) => d.detector.identity.id)
    );
    const stepDeps: StepDeps = {
      store,
      state,
      reporter: r,
      now: deps.now ?? Date.now,
      heartbeat: async (lp) => {
        if (lp !== undefined) {
          lastProcessed = lp;
        }
        if (opts.signal?.aborted) {
          throw new DtkError('cancelled', `Run of '${m.name}' stopped (shutdown); the next run resumes from here.`);
        }
        if (!held || Date.now() - lastBeat < heartbeatEvery) {
          return;
        }
        lastBeat = Date.now();
        if (!(await store.locks.heartbeat(held, lastProcessed))) {
          throw new DtkError(
            'conflict',
            `Lost the lock for metric '${m.name}' (it expired and another run took it over); stopping.`
          );
        }
      },
    };
    if (opts.steps.has('load')) {
      r.step?.('load');
      r.line();
      r.line('  ┌─ LOAD');
      result.datapointsLoaded = await runLoadStep(stepDeps, m, opts);
      result.stepsCompleted.push('load');
    }
    if (opts.steps.has('detect')) {
      r.step?.('detect');
      r.line();
      r.line('  ┌─ DETECT');
      try {
        result.detectors = await runDetectStep(stepDeps, m, opts);
        result.stepsCompleted.push('detect');
      } catch (e) {
        if (!(e instanceof DetectorsFailed)) {
          throw e;
        }
        result.detectors = e.summaries;
        detectFailure = e;
      }
      result.anomaliesDetected = result.detectors.reduce((a, d) => a + d.anomalies, 0);
    }
    if (opts.steps.has('alert')) {
      r.step?.('alert');
      // Evaluated on every run, not only when this run found anomalies (detectkit's gate, §11.1 #26): recovery
      // and no-data need it, and an alert-only run must work.
      const alert = await runAlertStep({ store, reporter: r, logger: deps.logger, now: stepDeps.now }, m);
      result.alertsSent = alert.sent;
      if (alert.evaluated) {
        result.stepsCompleted.push('alert');
      }
    }
    if (detectFailure) {
      throw detectFailure;
    }
  } catch (e) {
    result.status = opts.signal?.aborted ? 'cancelled' : 'failed';
    result.error = errorMessage(e);
    deps.logger.debug({ metric: m.name, err: e }, 'metric run failed');
  } finally {
    if (lock) {
      try {
        await store.locks.release(lock, result.status === 'success' ? 'completed' : 'failed', {
          error: result.error ?? null,
          lastProcessedMs: lastProcessed ?? null,
        });
      } catch (e) {
        // The run's own outcome matters more; an unreleased lock expires on its own.
        deps.logger.warn({ metric: m.name, err: errorMessage(e) }, 'could not release the pipeline lock');
      }
    }
  }
  return result;
}
