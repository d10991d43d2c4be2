import { metadataJson } from '../detectors';
import { DtkError, errorMessage } from '../errors';
import type { StepDeps } from './loadStep';
import { detectorInput, seasonalityNeeds } from './detectInput';
import { fmtInt, fmtTime } from './reporter';
import { alignDown } from './time';
import type { DetectorRunSummary, PipelineDetector, PipelineMetric, RunOptions } from './types';

/**
 * Detection runs in large batches: results do not depend on batch boundaries (each batch reads the
 * detector's context before it), so detectkit's small `batch_size` only bounds memory from below.
 */
const MIN_BATCH_POINTS = 100_000;
const KEEP_ANOMALY_TIMES = 20;

/**
 * DETECT (reference §6.4) with detectkit's bugs fixed: a new detector starts from the first
 * datapoint (or `start_time` / --from), detections end at the last stored datapoint, and a full
 * refresh deletes synchronously, then recomputes.
 */
export async function runDetectStep(
  deps: StepDeps,
  m: PipelineMetric,
  opts: RunOptions
): Promise<DetectorRunSummary[]> {
  const { reporter: r } = deps;
  if (m.detectors.length === 0) {
    r.line('  │ No detectors configured, skipping detection');
    return [];
  }
  r.line(`  │ Running ${m.detectors.length} detector(s)...`);
  const lastPoint = deps.state.lastDatapoint;
  const summaries: DetectorRunSummary[] = [];
  const failures: string[] = [];
  for (const d of m.detectors) {
    r.line('  │');
    r.line(`  │ [${d.position}/${m.detectors.length}] Detector: ${d.type} (${d.detector.identity.id})`);
    try {
      summaries.push(await runDetector(deps, m, d, opts, lastPoint));
    } catch (e) {
      if (!(e instanceof DetectorFailure)) {
        throw e; // storage, lock or shutdown: the metric's run stops here
      }
      // One detector failing (a custom module crashing, timing out, returning garbage) must not cost the
      // metric its other detectors: record it, go on, and fail the step once they have all run.
      r.line(`  │   ✗ ${e.message}`, 'red');
      // Messages of detectors built from a metric file already name the metric and the position.
      const what = e.message.includes(`detector #${d.position}`)
        ? e.message
        : `detector #${d.position} (${d.type}): ${e.message}`;
      failures.push(`${what} [detector_id ${d.detector.identity.id}]`);
    }
  }
  const total = summaries.reduce((a, s) => a + s.anomalies, 0);
  r.line(`  └─ Total anomalies: ${fmtInt(total)}`, total > 0 ? 'yellow' : 'green');
  if (failures.length > 0) {
    throw new DetectorsFailed(
      `detection failed for ${failures.length} of ${m.detectors.length} detector(s) of '${m.name}' (the others ran and were stored): ${failures.join('; ')}`,
      failures,
      summaries
    );
  }
  return summaries;
}

/**
 * Some detectors failed, the others ran and were stored (`summaries`): the run fails, but only after the alert
 * step has judged what the working detectors found (a broken custom module must not silence a metric's alerts).
 */
export class DetectorsFailed extends DtkError {
  constructor(
    message: string,
    failures: string[],
    readonly summaries: DetectorRunSummary[]
  ) {
    super('internal', message, { details: { failures } });
    this.name = 'DetectorsFailed';
  }
}

/** A detector's own computation failed; its detections so far are stored and the next run retries from there. */
class DetectorFailure extends Error {
  constructor(cause: unknown) {
    super(errorMessage(cause), { cause });
    this.name = 'DetectorFailure';
  }
}

async function runDetector(
  deps: StepDeps,
  m: PipelineMetric,
  d: PipelineDetector,
  opts: RunOptions,
  lastPoint: number | null
): Promise<DetectorRunSummary> {
  const { store, reporter: r } = deps;
  const I = m.intervalSeconds * 1000;
  const { id, className, paramsJson } = d.detector.identity;
  const summary: DetectorRunSummary = {
    detectorId: id,
    detectorName: className,
    points: 0,
    anomalies: 0,
    anomalyTimes: [],
  };
  if (opts.fullRefresh) {
    r.line('  │   Deleting existing detections...');
    await store.deleteDetections(m.name, id, { from: opts.from, to: opts.to });
  }
  let from = opts.from;
  const last = opts.fullRefresh ? null : (deps.state.lastDetection[id] ?? null);
  if (last !== null) {
    from = from === undefined ? last + I : Math.max(from, last + I);
  }
  if (d.startTime !== undefined) {
    from = from === undefined ? d.startTime : Math.max(from, d.startTime);
  }
  if (from === undefined) {
    // A new detector starts at the first datapoint (detectkit never started one without start_time).
    from = deps.state.firstDatapoint ?? undefined;
  }
  const end = lastPoint === null ? undefined : Math.min(lastPoint + I, opts.to ?? Infinity);
  if (from === undefined || end === undefined || from >= end) {
    r.line('  │   Nothing to detect (already up to date)');
    return summary;
  }
  from = alignDown(from, m.intervalSeconds);
  const total = Math.ceil((end - from) / I);
  const batchPoints = Math.max(d.batchSize, MIN_BATCH_POINTS);
  r.line(`  │   Detecting from ${fmtTime(from)} to ${fmtTime(end)}`);
  r.line(`  │   Total points: ~${fmtInt(total)} | Batch size: ${fmtInt(batchPoints)}`);
  const needs = seasonalityNeeds(d.detector.params as Record<string, unknown>);
  // History before each batch: the window, plus what preprocessing consumes (a difference, an SMA).
  const params = d.detector.params as Record<string, unknown>;
  const context =
    d.detector.contextSize + 1 + (typeof params.smoothing_window === 'number' ? params.smoothing_window : 0);
  const batches = Math.ceil(total / batchPoints);
  for (let cur = from; cur < end; cur += batchPoints * I) {
    const bEnd = Math.min(cur + batchPoints * I, end);
    const series = await store.readSeries(
      m.name,
      { from: cur - context * I, to: bEnd },
      { seasonality: needs.length > 0, maxPoints: context + Math.ceil((bEnd - cur) / I) }
    );
    if (series.timestamps.length === 0) {
      continue;
    }
    let out;
    try {
      // evaluateFrom: the history before `cur` is context; forecast and custom detectors skip judging it.
      out = await d.detector.run(
        { ...detectorInput(series, needs), intervalMs: I, evaluateFrom: cur },
        { metric: m.name, signal: opts.signal }
      );
    } catch (e) {
      if (e instanceof DtkError && e.code === 'cancelled') {
        throw e;
      }
      throw new DetectorFailure(e);
    }
    // Keep only this batch's points; the context before it was input only.
    let lo = 0;
    while (lo < out.length && out.timestamps[lo]! < cur) {
      lo++;
    }
    const n = out.length - lo;
    if (n <= 0) {
      continue;
    }
    for (let i = 0; i < n; i++) {
      if (out.isAnomaly[lo + i]) {
        summary.anomalies++;
        summary.anomalyTimes.push(out.timestamps[lo + i]!);
        if (summary.anomalyTimes.length > KEEP_ANOMALY_TIMES) {
          summary.anomalyTimes.shift();
        }
      }
    }
    await store.writeDetections({
      metricName: m.name,
      detectorId: id,
      detectorName: className,
      detectorParams: paramsJson,
      timestamps: out.timestamps.subarray(lo),
      isAnomaly: out.isAnomaly.subarray(lo),
      lower: out.lower.subarray(lo),
      upper: out.upper.subarray(lo),
      values: out.values.subarray(lo),
      processedValues: out.processed.subarray(lo),
      metadata: (i) => metadataJson(out.metadata(lo + i)),
    });
    summary.points += n;
    if (batches > 1) {
      r.progress('detected', Math.round((bEnd - from) / I), total);
    }
    await deps.heartbeat();
  }
  r.line(`  │   └─ Detected ${fmtInt(summary.anomalies)} anomalies`, summary.anomalies > 0 ? 'yellow' : 'green');
  return summary;
}
