import { DtkError } from '../errors';
import type { MetricState, Store } from '../storage';
import { fmtInt, fmtTime, type Reporter } from './reporter';
import { alignDown } from './time';
import type { PipelineMetric, RunOptions } from './types';

export interface StepDeps {
  store: Store;
  /** Where the metric stood when the run started (kept current by the steps). */
  state: MetricState;
  reporter: Reporter;
  now: () => number;
  /** Extends the pipeline lock between batches; throws when the lock was lost. */
  heartbeat: (lastProcessedMs?: number) => Promise<void>;
}

/**
 * LOAD (reference §6.2) with detectkit's bugs fixed: the grid is aligned to floor(t/I)·I, the
 * current incomplete interval is never stored, the epoch from max() means "no data", and a full
 * refresh deletes synchronously before it rewrites.
 */
export async function runLoadStep(deps: StepDeps, m: PipelineMetric, opts: RunOptions): Promise<number> {
  const { store, reporter: r, state } = deps;
  const I = m.intervalSeconds * 1000;
  if (opts.fullRefresh) {
    r.line('  │ Deleting existing datapoints...');
    await store.deleteDatapoints(m.name, { from: opts.from, to: opts.to });
    Object.assign(state, await store.metricState(m.name, Object.keys(state.lastDetection)));
  }
  let from = opts.from;
  if (from === undefined) {
    const last = state.lastDatapoint;
    if (last !== null) {
      from = last + I;
      r.line(`  │ Resuming from last saved: ${fmtTime(last)}`);
    } else if (m.loadingStartTime !== undefined) {
      from = m.loadingStartTime;
      r.line(`  │ Starting fresh from: ${fmtTime(from)}`);
    } else {
      throw new DtkError(
        'config_invalid',
        `No existing data and no loading_start_time configured: set loading_start_time in ${m.relPath} or pass --from.`
      );
    }
  }
  from = alignDown(from, m.intervalSeconds);
  // One reading of the clock: two could straddle an interval boundary and lose a scrape's current interval.
  const now = deps.now();
  const requestedTo = opts.to ?? now;
  // Only complete intervals: the one in progress would be frozen with a partial value.
  const to =
    m.instantSource && requestedTo >= now
      ? alignDown(now, m.intervalSeconds) + I
      : alignDown(Math.min(requestedTo, now), m.intervalSeconds);
  const total = Math.floor((to - from) / I);
  if (total < 1) {
    r.line(`  │ Next interval at ${fmtTime(Math.max(from, to) + I)}, now ${fmtTime(requestedTo)}`);
    r.line('  └─ Nothing to load yet, waiting for next interval', 'yellow');
    return 0;
  }
  const batch = m.loadingBatchSize;
  r.line(`  │ Loading from ${fmtTime(from)} to ${fmtTime(to)}`);
  r.line(`  │ Total points: ~${fmtInt(total)} | Batch size: ${fmtInt(batch)}`);
  const batches = Math.ceil(total / batch);
  r.line(batches === 1 ? '  │ Loading in single batch...' : `  │ Loading in ${fmtInt(batches)} batches...`);
  let loaded = 0;
  let done = 0;
  const warned = new Set<string>();
  for (let cur = from; cur < to; cur = Math.min(cur + batch * I, to)) {
    const end = Math.min(cur + batch * I, to);
    const points = await m.source.load(cur, end);
    for (const w of points.warnings ?? []) {
      if (!warned.has(w)) {
        warned.add(w);
        r.line(`  │ ⚠ ${w}`, 'yellow');
      }
    }
    if (points.timestamps.length > 0) {
      await store.writeDatapoints({
        metricName: m.name,
        intervalSeconds: m.intervalSeconds,
        seasonalityColumns: points.seasonalityColumns,
        timestamps: points.timestamps,
        values: points.values,
        seasonalityData: points.seasonalityData,
      });
      loaded += points.timestamps.length;
      const first = points.timestamps[0]!;
      const last = points.timestamps[points.timestamps.length - 1]!;
      state.firstDatapoint = state.firstDatapoint === null ? first : Math.min(state.firstDatapoint, first);
      state.lastDatapoint = state.lastDatapoint === null ? last : Math.max(state.lastDatapoint, last);
    }
    done += Math.round((end - cur) / I);
    if (batches > 1) {
      r.progress('loaded', done, total);
    }
    await deps.heartbeat(end - I);
  }
  r.line(`  └─ Loaded ${fmtInt(loaded)} datapoints`, 'green');
  return loaded;
}
