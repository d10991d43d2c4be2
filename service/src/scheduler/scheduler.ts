import type { RunInfo, RunRequest } from '../../../common/api/runs';
import type { AlertChannelConfig } from '../../../common/config/profiles';
import { DtkError, errorMessage } from '../errors';
import type { Logger } from '../logging/logger';
import { runMany, STEPS, type PipelineMetric, type RunOptions } from '../pipeline';
import { expandMetric, metricInfo, runContext, type RunContext } from '../pipeline/fromConfig';
import type { CatalogMetric, MetricCatalogView, RunController, ScheduleStatus } from '../serve/contracts';
import type { Store } from '../storage';
import { finishRun, progressReporter, RunRegistry } from './runRegistry';
import { nextDue, offsetMs, ownsMetric, type Shard, type TimingOptions } from './timing';

export interface SchedulerHooks {
  /** A run ended (success, failed, cancelled or skipped). */
  runFinished?(info: RunInfo): void;
}

export interface SchedulerOptions {
  store: Store;
  catalog: MetricCatalogView;
  /** Project root: relative paths of SQL files resolve against it. */
  root: string;
  logger: Logger;
  alertChannels?: Readonly<Record<string, AlertChannelConfig>>;
  shard?: Shard;
  /** Metric definitions running at once; their storage work is grouped (see storage/groupCommit.ts). */
  concurrency?: number;
  timing?: TimingOptions;
  now?: () => number;
  hooks?: SchedulerHooks;
}

export const DEFAULT_TIMING: TimingOptions = { delayMs: 5_000, jitterMs: 10_000 };
export const DEFAULT_CONCURRENCY = 1_000;
/** Series of one fan-out definition in flight at once. */
const SERIES_THREADS = 32;

interface Slot {
  entry: CatalogMetric;
  intervalSeconds: number;
  offset: number;
  due: number;
  tick: number;
}

interface Job {
  entry: CatalogMetric;
  info: RunInfo;
  opts: RunOptions;
  /** One series of a fan-out definition (manual runs of `name{label="v"}`). */
  series?: string;
  abort: AbortController;
  done?: Promise<void>;
}

/**
 * `dtk serve`'s scheduler: runs each metric definition on its interval grid (boundary + delay + a per-metric
 * jitter), never two runs of one definition at once (a tick that finds it still running is recorded as skipped),
 * at most `concurrency` definitions at once, and manual runs and backfills on request. Stopping lets running work
 * finish for a grace period, then stops it at its next batch boundary; the next start resumes from what is stored.
 */
export class Scheduler implements RunController {
  private readonly registry = new RunRegistry();
  private readonly slots = new Map<string, Slot>();
  /** Queued or running job per definition name. */
  private readonly busy = new Map<string, Job>();
  private readonly queue: Job[] = [];
  private active = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopping = false;
  private unsubscribe: (() => void) | undefined;
  /** Shared fetches per tick: metrics of the same tick that read the same query or URL fetch it once. */
  private readonly tickContexts = new Map<number, { ctx: RunContext; refs: number }>();
  /** Series (fan-out) and definitions whose `_dtk_metrics` row is written. */
  private readonly synced = new Set<string>();
  private readonly now: () => number;
  private readonly concurrency: number;
  private readonly timing: TimingOptions;

  constructor(private readonly o: SchedulerOptions) {
    this.now = o.now ?? Date.now;
    this.concurrency = Math.max(1, o.concurrency ?? DEFAULT_CONCURRENCY);
    this.timing = o.timing ?? DEFAULT_TIMING;
  }

  /** Starts scheduling the catalog's metrics (and follows its changes). */
  startSchedule(): void {
    this.resync();
    this.unsubscribe = this.o.catalog.onChange(() => this.resync());
    this.loop();
  }

  /**
   * Stops scheduling; queued runs are cancelled; running ones get `graceMs` to finish, then stop at their next
   * batch boundary (locks released, what is stored kept).
   */
  async stop(graceMs = 20_000): Promise<void> {
    this.stopping = true;
    this.unsubscribe?.();
    clearTimeout(this.timer);
    for (const job of this.queue.splice(0)) {
      this.busy.delete(job.entry.name);
      job.info.status = 'cancelled';
      job.info.finishedAt = this.now();
      job.info.error = 'service stopped before the run started';
    }
    const running = () => [...this.busy.values()].map((j) => j.done).filter((d): d is Promise<void> => !!d);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(running()), new Promise<void>((r) => (timer = setTimeout(r, graceMs)))]);
    clearTimeout(timer);
    for (const job of this.busy.values()) {
      job.abort.abort();
    }
    await Promise.all(running());
  }

  // ── RunController ────────────────────────────────────────────────────────────────────────────────────────────

  start(metric: string, req: RunRequest): RunInfo {
    if (this.stopping) {
      throw new DtkError('conflict', 'The service is shutting down; start the run after it is back.');
    }
    const { entry, series } = this.resolve(metric);
    if (!entry.loaded) {
      throw new DtkError(
        'config_invalid',
        `Metric '${entry.name}' has an invalid definition (${entry.relPath}): ${entry.error ?? 'unknown error'}; fix it before running.`
      );
    }
    const current = this.busy.get(entry.name);
    if (current) {
      throw new DtkError(
        'conflict',
        `Metric '${entry.name}' already has a ${current.info.status} ${current.info.kind} run (${current.info.id}); wait for it to finish.`,
        { details: { runId: current.info.id } }
      );
    }
    const backfill = req.from !== undefined || req.to !== undefined || req.fullRefresh;
    const info = this.registry.create(series ?? entry.name, backfill ? 'backfill' : 'manual', null, this.now());
    const job: Job = {
      entry,
      info,
      series,
      abort: new AbortController(),
      opts: {
        steps: new Set(req.steps ?? STEPS),
        from: req.from,
        to: req.to,
        fullRefresh: req.fullRefresh,
        force: false,
      },
    };
    this.busy.set(entry.name, job);
    this.queue.unshift(job); // a person is waiting for it: ahead of scheduled runs
    this.pump();
    return this.registry.get(info.id)!;
  }

  get(runId: string): RunInfo | undefined {
    return this.registry.get(runId);
  }

  list(opts?: { metric?: string; limit?: number }): RunInfo[] {
    return this.registry.list(opts);
  }

  status(metric: string): ScheduleStatus | undefined {
    const entry = this.o.catalog.get(metric);
    if (!entry) {
      return undefined;
    }
    const slot = this.slots.get(metric);
    const lastRun = this.registry.lastFinished(metric);
    const lastScheduled = this.registry.list({ metric }).find((r) => r.kind === 'scheduled' && r.status === 'success');
    return {
      metric,
      owned: ownsMetric(metric, this.o.shard),
      nextRunAt: slot ? slot.due : null,
      lastRun,
      lagSeconds:
        lastScheduled && lastScheduled.tick !== null && lastScheduled.finishedAt !== null
          ? (lastScheduled.finishedAt - lastScheduled.tick) / 1000
          : null,
    };
  }

  queueDepth(): number {
    return this.queue.length;
  }

  /** Resolves when nothing is queued or running (tests; a caller that wants to wait for its run). */
  async idle(): Promise<void> {
    while (this.busy.size > 0) {
      await Promise.all([...this.busy.values()].map((j) => j.done ?? new Promise((r) => setTimeout(r, 10))));
    }
  }

  // ── schedule ─────────────────────────────────────────────────────────────────────────────────────────────────

  private resolve(metric: string): { entry: CatalogMetric; series?: string } {
    const entry = this.o.catalog.get(metric);
    if (entry) {
      return { entry };
    }
    const brace = metric.indexOf('{');
    const base = brace > 0 ? this.o.catalog.get(metric.slice(0, brace)) : undefined;
    if (base) {
      return { entry: base, series: metric };
    }
    throw new DtkError('not_found', `No metric named '${metric}'; GET /api/metrics lists them.`);
  }

  /** Follows the catalog: new metrics get a slot, changed ones keep their grid, removed ones stop. */
  private resync(): void {
    const now = this.now();
    const seen = new Set<string>();
    for (const entry of this.o.catalog.list()) {
      const m = entry.loaded;
      if (!m || m.config.enabled === false || !ownsMetric(entry.name, this.o.shard)) {
        continue;
      }
      seen.add(entry.name);
      const prev = this.slots.get(entry.name);
      if (prev?.entry.loaded !== m) {
        this.synced.delete(entry.name); // a changed definition rewrites its _dtk_metrics row
      }
      if (prev && prev.intervalSeconds === m.intervalSeconds) {
        prev.entry = entry;
        continue;
      }
      const offset = offsetMs(entry.name, m.intervalSeconds, this.timing);
      // A metric seen for the first time runs now (it may have history to load), then on its grid.
      const first = prev ? nextDue(now, m.intervalSeconds, offset) : { due: now, tick: now };
      this.slots.set(entry.name, { entry, intervalSeconds: m.intervalSeconds, offset, ...first });
    }
    for (const name of [...this.slots.keys()]) {
      if (!seen.has(name)) {
        this.slots.delete(name);
      }
    }
    this.syncInfo().catch((e: unknown) =>
      this.o.logger.warn({ err: errorMessage(e) }, 'could not record metric definitions in _dtk_metrics')
    );
    if (!this.stopping && this.timer) {
      this.loop();
    }
  }

  private async syncInfo(): Promise<void> {
    // Fan-out series are recorded when a run lists them (execute); a definition's row here.
    const infos = [...this.slots.values()]
      .filter((s) => s.entry.loaded?.config.source?.type !== 'prometheus' && !this.synced.has(s.entry.name))
      .map((s) => metricInfo(s.entry.loaded!));
    if (infos.length > 0) {
      infos.forEach((i) => this.synced.add(i.metric_name));
      await this.o.store.syncMetricInfo(infos);
    }
  }

  private loop(): void {
    clearTimeout(this.timer);
    if (this.stopping) {
      return;
    }
    const now = this.now();
    let next = now + 1_000;
    for (const slot of this.slots.values()) {
      if (slot.due <= now) {
        this.dispatch(slot, now);
        Object.assign(slot, nextDue(now, slot.intervalSeconds, slot.offset));
      }
      next = Math.min(next, slot.due);
    }
    this.timer = setTimeout(() => this.loop(), Math.max(5, next - this.now()));
  }

  private dispatch(slot: Slot, now: number): void {
    const name = slot.entry.name;
    const current = this.busy.get(name);
    if (current) {
      const skipped = this.registry.create(name, 'scheduled', slot.tick, now);
      skipped.status = 'skipped';
      skipped.finishedAt = now;
      skipped.error = `the previous ${current.info.kind} run (${current.info.id}) was still ${current.info.status}`;
      this.o.hooks?.runFinished?.(skipped);
      this.o.logger.warn({ metric: name, run: current.info.id }, 'tick skipped: the previous run is still going');
      this.o.store.locks
        .recordSkipped({ metricName: name }, skipped.error)
        .catch((e: unknown) => this.o.logger.warn({ metric: name, err: errorMessage(e) }, 'could not record a skip'));
      return;
    }
    const job: Job = {
      entry: slot.entry,
      info: this.registry.create(name, 'scheduled', slot.tick, now),
      abort: new AbortController(),
      opts: { steps: new Set(STEPS), fullRefresh: false, force: false },
    };
    this.busy.set(name, job);
    this.queue.push(job);
    this.pump();
  }

  private pump(): void {
    while (this.active < this.concurrency && this.queue.length > 0) {
      const job = this.queue.shift()!;
      this.active++;
      job.done = this.execute(job).finally(() => {
        this.active--;
        this.busy.delete(job.entry.name);
        this.pump();
      });
    }
  }

  private context(job: Job): { ctx: RunContext; release: () => void } {
    const { info, opts } = job;
    if (info.kind !== 'scheduled' || info.tick === null) {
      return {
        ctx: runContext({ from: opts.from, to: opts.to, alertChannels: this.o.alertChannels }, this.now),
        release: () => undefined,
      };
    }
    const tick = info.tick;
    let shared = this.tickContexts.get(tick);
    if (!shared) {
      shared = { ctx: runContext({ alertChannels: this.o.alertChannels }, this.now), refs: 0 };
      this.tickContexts.set(tick, shared);
    }
    shared.refs++;
    const s = shared;
    return {
      ctx: s.ctx,
      release: () => {
        if (--s.refs === 0) {
          this.tickContexts.delete(tick);
        }
      },
    };
  }

  private async execute(job: Job): Promise<void> {
    const { info, entry } = job;
    info.status = 'running';
    info.startedAt = this.now();
    const { ctx, release } = this.context(job);
    try {
      let metrics: PipelineMetric[] = await expandMetric(this.o.store, this.o.root, entry.loaded!, ctx);
      if (job.series) {
        metrics = metrics.filter((m) => m.name === job.series);
        if (metrics.length === 0) {
          throw new DtkError('not_found', `Metric '${entry.name}' has no series ${job.series} now.`);
        }
      }
      const fresh = metrics.filter((m) => !m.failure && m.name !== entry.name && !this.synced.has(m.name));
      if (fresh.length > 0) {
        await this.o.store.syncMetricInfo(fresh.map((m) => m.info));
        fresh.forEach((m) => this.synced.add(m.name));
      }
      const results = await runMany(
        { store: this.o.store, reporter: progressReporter(info), logger: this.o.logger, now: this.now },
        metrics,
        { ...job.opts, signal: job.abort.signal },
        SERIES_THREADS
      );
      finishRun(info, results, this.now());
    } catch (e) {
      info.status = job.abort.signal.aborted ? 'cancelled' : 'failed';
      info.error = errorMessage(e);
      info.finishedAt = this.now();
    } finally {
      release();
    }
    if (info.status === 'failed') {
      this.o.logger.warn({ metric: info.metric, run: info.id, err: info.error }, 'metric run failed');
    }
    this.o.hooks?.runFinished?.(info);
  }
}
