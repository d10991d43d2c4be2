import type { PreviewResponse } from '../../../common/api/preview';
import type { SeriesResponse } from '../../../common/api/series';
import { finiteScore } from '../../../common/detectors/score';
import type { MetricCatalog } from '../catalog';
import { DtkError, isDtkError } from '../errors';
import { alignDown, type LoadedPoints, type PipelineMetric } from '../pipeline';
import { detectorInput, seasonalityNeeds } from '../pipeline/detectInput';
import { expandMetric, runContext } from '../pipeline/fromConfig';
import type { Store } from '../storage';
import { HttpError } from './httpErrors';
import { detectorLabel } from './present';

/**
 * `POST /api/preview`: a definition's load and detect over a range, in memory. The same pieces as a run (the
 * pipeline's source for the definition, the detectors' `detect`), nothing stored. Bounded: at most `maxPoints`
 * grid points per series (and as many again of detector history before the range), `maxSeries` series of a
 * fan-out query, and `timeoutMs` in all.
 */
export interface PreviewLimits {
  maxPoints: number;
  maxSeries: number;
  timeoutMs: number;
}

export interface PreviewDeps {
  store: Store;
  catalog: MetricCatalog;
  now: () => number;
  limits: PreviewLimits;
}

/** Points per source request: the Prometheus limit, and small enough that the deadline is checked often. */
const LOAD_BATCH = 10_000;

export async function runPreview(
  deps: PreviewDeps,
  req: { definition: Record<string, unknown>; from: number; to: number }
): Promise<PreviewResponse> {
  const metric = deps.catalog.validate(req.definition);
  const iv = metric.intervalSeconds;
  const I = iv * 1000;
  const now = deps.now();
  const scrape = metric.config.source?.type === 'scrape';
  const from = alignDown(req.from, iv);
  // As a run: complete intervals only, except a scrape, whose current value is final when read.
  const to = scrape && req.to >= now ? alignDown(now, iv) + I : alignDown(Math.min(req.to, now), iv);
  if (to <= from) {
    throw new HttpError(
      400,
      'range_empty',
      `the range holds no complete ${iv}s interval before now; widen it or move it into the past`
    );
  }
  const points = Math.round((to - from) / I);
  if (points > deps.limits.maxPoints) {
    throw new HttpError(
      400,
      'range_too_large',
      `the range holds ${points.toLocaleString('en-US')} points of ${iv}s; a preview takes at most ${deps.limits.maxPoints.toLocaleString('en-US')}: narrow the range`,
      { points, maxPoints: deps.limits.maxPoints }
    );
  }
  // Detector history before the range, so the bands start at `from` (capped like the range itself).
  const history = Math.min(
    deps.limits.maxPoints,
    Math.max(
      0,
      ...metric.detectors.map((d) => {
        const smoothing = typeof d.params.smoothing_window === 'number' ? d.params.smoothing_window : 0;
        return d.detector.contextSize + 1 + smoothing;
      })
    )
  );
  const loadFrom = scrape ? from : from - history * I;
  const deadline = Date.now() + deps.limits.timeoutMs;
  const work = (async () => {
    const ctx = runContext({ from: loadFrom, to }, deps.now);
    const expanded = await expandMetric(deps.store, deps.catalog.root, metric, ctx);
    const warnings: string[] = [];
    const failed = expanded.find((m) => m.failure);
    if (failed?.failure) {
      throw failed.failure;
    }
    if (expanded.length > deps.limits.maxSeries) {
      warnings.push(
        `the query returned ${expanded.length} series; the preview shows the first ${deps.limits.maxSeries}`
      );
    }
    const series: SeriesResponse[] = [];
    for (const m of expanded.slice(0, deps.limits.maxSeries)) {
      const loaded = await loadAll(m, loadFrom, to, deadline, deps.limits.timeoutMs);
      series.push(await detectAll(m, loaded, from));
    }
    if (series.every((s) => s.timestamps.length === 0)) {
      warnings.push('the source returned no points in this range');
    }
    return { from, to, intervalSeconds: iv, series, warnings };
  })();
  return withDeadline(work, deadline, deps.limits.timeoutMs);
}

async function loadAll(
  m: PipelineMetric,
  from: number,
  to: number,
  deadline: number,
  budgetMs: number
): Promise<LoadedPoints> {
  const I = m.intervalSeconds * 1000;
  const parts: LoadedPoints[] = [];
  const batch = Math.min(m.loadingBatchSize, LOAD_BATCH) * I;
  for (let cur = from; cur < to; cur = Math.min(cur + batch, to)) {
    if (Date.now() > deadline) {
      throw overBudget(budgetMs);
    }
    try {
      parts.push(await m.source.load(cur, Math.min(cur + batch, to)));
    } catch (e) {
      throw asSourceError(e);
    }
  }
  const n = parts.reduce((a, p) => a + p.timestamps.length, 0);
  const timestamps = new Float64Array(n);
  const values = new Float64Array(n);
  const seasonalityData: string[] = [];
  let k = 0;
  for (const p of parts) {
    timestamps.set(p.timestamps, k);
    values.set(p.values, k);
    seasonalityData.push(...p.seasonalityData);
    k += p.timestamps.length;
  }
  return { timestamps, values, seasonalityData, seasonalityColumns: parts[0]?.seasonalityColumns ?? '' };
}

/**
 * Runs every detector over the loaded points (history included) and returns the part from `from` on. Through
 * `run()`, as the pipeline does: post-processing applies and custom (worker) detectors work. No metric name is
 * passed, so a custom detector's stored state is neither read nor written: a preview stores nothing.
 */
async function detectAll(m: PipelineMetric, p: LoadedPoints, from: number): Promise<SeriesResponse> {
  let lo = 0;
  while (lo < p.timestamps.length && p.timestamps[lo]! < from) {
    lo++;
  }
  const orNull = (x: number) => (Number.isFinite(x) ? x : null);
  const series = { timestamps: p.timestamps, values: p.values, seasonalityData: p.seasonalityData };
  return {
    metric: m.name,
    timestamps: Array.from(p.timestamps.subarray(lo)),
    values: Array.from(p.values.subarray(lo), orNull),
    detectors: await Promise.all(
      m.detectors.map(async (d) => {
        const out = await d.detector.run({
          ...detectorInput(series, seasonalityNeeds(d.detector.params as Record<string, unknown>)),
          intervalMs: m.intervalSeconds * 1000,
          evaluateFrom: from,
        });
        return {
          detectorId: d.detector.identity.id,
          detectorName: detectorLabel(d.detector.identity.className, d.detector.identity.paramsJson),
          lower: Array.from(out.lower.subarray(lo), orNull),
          upper: Array.from(out.upper.subarray(lo), orNull),
          anomaly: Array.from(out.isAnomaly.subarray(lo), (x) => x === 1),
          score: Array.from(out.processed.subarray(lo), (x, k) =>
            finiteScore(x, orNull(out.lower[lo + k]!), orNull(out.upper[lo + k]!))
          ),
        };
      })
    ),
  };
}

/**
 * The metric's own SQL failing is the editor's to fix (422), not the service's: keep the engine's message. The
 * store being down stays a 503, an unreachable Prometheus a 502.
 */
function asSourceError(e: unknown): unknown {
  if (isDtkError(e) && e.code === 'storage_query') {
    return new DtkError('source_query', e.message, { details: e.details });
  }
  return e;
}

const overBudget = (ms: number) =>
  new HttpError(
    422,
    'preview_too_slow',
    `the preview took longer than its ${Math.round(ms / 1000)} s budget; narrow the range or simplify the query`
  );

/** Settles with the work, or with a 422 at the deadline (the work is left to finish; its outcome is dropped). */
function withDeadline<T>(work: Promise<T>, deadline: number, budgetMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(overBudget(budgetMs)), Math.max(0, deadline - Date.now()));
  });
  work.catch(() => undefined);
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
