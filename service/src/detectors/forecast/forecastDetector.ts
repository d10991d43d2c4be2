import {
  POINT_STATUS,
  type DetectionMetadata,
  type DetectionOutput,
  type DetectorInput,
  FORECAST_CALIBRATION_BLOCKS,
  type ForecastDetectorType,
  type ForecastParams,
} from '../../../../common/detectors';
import { DtkError, errorMessage } from '../../errors';
import { allocateOutput, judge } from '../output';
import { augurs } from './augurs';
import { FitCache } from './cache';
import { Clock, anchorOf, hashValues, inferInterval, lowerBound, trainingWindow } from './grid';
import { fitForecast, type Fit } from './models';

/**
 * The forecast-band detectors (`mstl`, `ets`, `prophet`). Every point t belongs to the block of `refit_every`
 * intervals that starts at its refit point a = anchorOf(t); the model fitted on the `window_size` grid points
 * before a predicts the whole block, so the band of t never uses t itself or anything after a (an in-sample fit
 * would absorb the anomaly it should flag). With the pipeline's batches: each batch reads `window_size +
 * refit_every` points of history before it (contextSize), enough to train the block of its first point; points
 * before `evaluateFrom` are that history and are not judged, so no model is fitted for them.
 */

type Outcome = { fit: Fit; error?: undefined } | { fit?: undefined; error: string };

/** ~1,000 blocks of a few hundred points each: a few MB, and every series of a fan-out query stays warm. */
const cache = new FitCache<Outcome>(1024);

/** For tests and benchmarks: forget cached fits. */
export function clearForecastCache(): void {
  cache.clear();
}

const PACKAGES = {
  mstl: ['ets', 'seasons'],
  ets: ['ets'],
  prophet: ['prophet'],
} as const;

/** Loads the model's WebAssembly (Prophet's Stan model loads asynchronously: see `prepareForecast`). */
function ensureLoaded(kind: ForecastDetectorType): void {
  const a = augurs();
  if (kind === 'prophet' && !a.prophetReady()) {
    throw new DtkError(
      'internal',
      'prophet: the Prophet Stan model is still loading (@bsull/augurs-prophet-wasmstan); run the detector through run(), which waits for it'
    );
  }
  a.ready([...PACKAGES[kind]]);
}

/** Waits for what `ensureLoaded` needs; only Prophet has anything to wait for. */
export async function prepareForecast(kind: ForecastDetectorType): Promise<void> {
  if (kind === 'prophet') {
    await augurs().loadProphet();
  }
}

interface Block {
  anchor: number;
  valid: number;
  outcome?: Outcome;
  /** The band after calibration (index = position in the block). */
  lower?: Float64Array;
  upper?: Float64Array;
  /** Half-width the recent forecast errors call for (NaN: not enough of them yet). */
  calibration: number;
}

/** The judged points' refit points, in order (a point's block is found by its anchor). */
interface Plan {
  I: number;
  clock: Clock;
  start: number;
  processed: Float64Array;
  anchors: number[];
}

function plan(params: ForecastParams, input: DetectorInput): Plan {
  const { timestamps: ts, values } = input;
  const I = inferInterval(ts, input.intervalMs);
  const start = input.evaluateFrom === undefined ? 0 : lowerBound(ts, input.evaluateFrom);
  const anchors: number[] = [];
  if (Number.isFinite(I)) {
    for (let i = start; i < ts.length; i++) {
      const a = anchorOf(ts[i]!, I, params.refit_every);
      if (anchors[anchors.length - 1] !== a) {
        anchors.push(a);
      }
    }
  }
  return {
    I,
    clock: new Clock(I, params.timezone ?? null),
    start,
    processed: Float64Array.from(values, (v) => (Number.isFinite(v) ? v + 0 : NaN)),
    anchors,
  };
}

/** Synchronous detection: every block fitted in one go (`dtk detect`, previews, tests). */
export function runForecast(
  kind: ForecastDetectorType,
  params: ForecastParams,
  cacheId: string,
  input: DetectorInput
): DetectionOutput {
  ensureLoaded(kind);
  const p = plan(params, input);
  const blocks = p.anchors.map((a) => fitBlock(kind, params, cacheId, input.timestamps, p.processed, a, p.clock));
  return assemble(params, input, p, blocks);
}

/**
 * The pipeline's detection: the same, giving the event loop a turn after each block. A cold backfill fits one
 * model per block (hundreds for a long range, ~0.1–0.4 s each), and the service's HTTP API and scheduler share
 * this thread.
 */
export async function runForecastAsync(
  kind: ForecastDetectorType,
  params: ForecastParams,
  cacheId: string,
  input: DetectorInput
): Promise<DetectionOutput> {
  ensureLoaded(kind);
  const p = plan(params, input);
  const blocks: Block[] = [];
  for (const a of p.anchors) {
    blocks.push(fitBlock(kind, params, cacheId, input.timestamps, p.processed, a, p.clock));
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return assemble(params, input, p, blocks);
}

function assemble(params: ForecastParams, input: DetectorInput, p: Plan, blocks: Block[]): DetectionOutput {
  const ts = input.timestamps;
  const n = ts.length;
  const { I, processed } = p;
  const out = allocateOutput(input, processed);
  const expected = new Float64Array(n).fill(NaN);
  const blockOf = new Int32Array(n).fill(-1);
  const horizon = new Int32Array(n);
  out.status.fill(POINT_STATUS.history, 0, p.start);
  let k = -1;
  for (let i = p.start; i < n; i++) {
    if (!Number.isFinite(I)) {
      out.status[i] = POINT_STATUS.insufficientData;
      continue;
    }
    const t = ts[i]!;
    const anchor = anchorOf(t, I, params.refit_every);
    while (k < blocks.length - 1 && blocks[k]?.anchor !== anchor) {
      k++;
    }
    const b = blocks[k]!;
    blockOf[i] = k;
    const h = Math.round((t - anchor) / I);
    horizon[i] = h;
    const x = processed[i]!;
    if (!b.outcome) {
      out.status[i] = POINT_STATUS.insufficientData;
      continue;
    }
    if (!b.outcome.fit) {
      out.status[i] = POINT_STATUS.fitFailed;
      continue;
    }
    const lo = b.lower![h]!;
    const hi = b.upper![h]!;
    expected[i] = b.outcome.fit.point[h]!;
    out.lower[i] = lo;
    out.upper[i] = hi;
    if (Number.isNaN(x)) {
      // The band exists without a measurement (charts keep it continuous); nothing is judged.
      out.status[i] = POINT_STATUS.missingData;
      continue;
    }
    if (judge(out, i, x, lo, hi)) {
      const half = (hi - lo) / 2;
      out.severity[i] = half > 0 ? out.distance[i]! / half : Infinity;
    }
  }

  const metadata = (i: number): DetectionMetadata => {
    const status = out.status[i];
    if (status === POINT_STATUS.history) {
      return { reason: 'history' };
    }
    const b = blocks[blockOf[i]!];
    if (status === POINT_STATUS.insufficientData) {
      return { reason: 'insufficient_data', window_size: b?.valid ?? 0, min_samples: params.min_samples };
    }
    if (status === POINT_STATUS.fitFailed) {
      return { reason: 'fit_failed', error: b?.outcome?.error ?? 'unknown error' };
    }
    if (status === POINT_STATUS.missingData) {
      return { reason: 'missing_data', expected: expected[i] };
    }
    const f = b!.outcome!.fit!;
    const md: DetectionMetadata = {
      model: f.model,
      expected: expected[i],
      periods: f.periods,
      trained_on: b!.valid,
      refit_at: new Date(b!.anchor).toISOString(),
      horizon: horizon[i]! + 1,
    };
    if (!Number.isNaN(b!.calibration)) {
      md.calibration = b!.calibration;
    }
    if (out.isAnomaly[i]) {
      md.direction = processed[i]! < out.lower[i]! ? 'below' : 'above';
      md.distance = out.distance[i];
      md.severity = out.severity[i];
    }
    return md;
  };
  return { ...out, expected, metadata };
}

/** The model's outcome for one refit point (from the cache when the same history was fitted before). */
function fitAt(
  kind: ForecastDetectorType,
  params: ForecastParams,
  cacheId: string,
  ts: Float64Array,
  values: Float64Array,
  anchor: number,
  clock: Clock
): { valid: number; outcome?: Outcome } {
  const I = clock.intervalMs;
  const train = trainingWindow(ts, values, anchor, clock, params.window_size);
  if (train.valid < params.min_samples) {
    return { valid: train.valid };
  }
  const key = `${kind}:${cacheId}:${I}:${anchor}:${train.y.length}:${train.nextSlot}:${hashValues(train.y)}`;
  let outcome = cache.get(key);
  if (!outcome) {
    try {
      const block = Float64Array.from({ length: params.refit_every }, (_, h) => anchor + h * I);
      outcome = { fit: fitForecast(kind, params, train, block, clock) };
    } catch (e) {
      // A window the model cannot fit (augurs: "no model found") gives no band for its block; the run goes on.
      outcome = { error: `${kind} fit failed: ${errorMessage(e)}` };
    }
    cache.set(key, outcome);
  }
  return { valid: train.valid, outcome };
}

/** The `w` quantile (linear interpolation) of a sample; sorts it. */
function quantile(sample: number[], w: number): number {
  sample.sort((x, y) => x - y);
  const pos = w * (sample.length - 1);
  const lo = Math.floor(pos);
  return sample[lo]! + (pos - lo) * ((sample[lo + 1] ?? sample[lo]!) - sample[lo]!);
}

/** Errors further than this many robust standard deviations from the median are incidents, not noise. */
const INCIDENT_SIGMAS = 6;

/**
 * The `w` quantile of |error| without the incidents among them (a spike or an outage in a calibration block would
 * otherwise widen the bands of the blocks after it, and hide the next incident).
 */
function cleanQuantile(errors: number[], w: number): number {
  const sorted = [...errors].sort((x, y) => x - y);
  const med = quantile(sorted, 0.5);
  const sigma =
    1.4826 *
    quantile(
      sorted.map((e) => Math.abs(e - med)),
      0.5
    );
  const kept = sigma > 0 ? sorted.filter((e) => Math.abs(e - med) <= INCIDENT_SIGMAS * sigma) : sorted;
  return quantile(kept.map(Math.abs), w);
}

/**
 * The half-width recent forecasts needed: for each of the FORECAST_CALIBRATION_BLOCKS blocks before the refit
 * point, the `interval_width` quantile of |actual − forecast| under that block's own fit (out of sample, like the
 * band it calibrates), incidents left out; the widest of them. Model intervals alone are too narrow: STL absorbs
 * part of the noise into the seasonal component, and the trend model's residuals then understate a forecast's
 * error. Taking the widest block rather than pooling them keeps the coverage at interval_width when the error
 * level changes from day to day.
 */
function calibrationHalfWidth(
  kind: ForecastDetectorType,
  params: ForecastParams,
  cacheId: string,
  ts: Float64Array,
  values: Float64Array,
  anchor: number,
  clock: Clock
): number {
  const R = params.refit_every;
  const intervalMs = clock.intervalMs;
  let widest = NaN;
  for (let k = 1; k <= FORECAST_CALIBRATION_BLOCKS; k++) {
    const a = anchor - k * R * intervalMs;
    const fit = fitAt(kind, params, cacheId, ts, values, a, clock).outcome?.fit;
    if (!fit) {
      continue;
    }
    const errors: number[] = [];
    for (let j = lowerBound(ts, a); j < ts.length && ts[j]! < a + R * intervalMs; j++) {
      const e = values[j]! - fit.point[Math.round((ts[j]! - a) / intervalMs)]!;
      if (!Number.isNaN(e)) {
        errors.push(e);
      }
    }
    // A block mostly missing says little about the error level.
    if (errors.length >= Math.max(3, R / 2)) {
      const q = cleanQuantile(errors, params.interval_width);
      widest = Number.isNaN(widest) ? q : Math.max(widest, q);
    }
  }
  return widest;
}

function fitBlock(
  kind: ForecastDetectorType,
  params: ForecastParams,
  cacheId: string,
  ts: Float64Array,
  values: Float64Array,
  anchor: number,
  clock: Clock
): Block {
  const { valid, outcome } = fitAt(kind, params, cacheId, ts, values, anchor, clock);
  const fit = outcome?.fit;
  if (!fit) {
    return { anchor, valid, outcome, calibration: NaN };
  }
  const q = calibrationHalfWidth(kind, params, cacheId, ts, values, anchor, clock);
  const lower = fit.lower.slice();
  const upper = fit.upper.slice();
  if (!Number.isNaN(q) && fit.model !== 'constant') {
    for (let h = 0; h < lower.length; h++) {
      lower[h] = Math.min(lower[h]!, fit.point[h]! - q);
      upper[h] = Math.max(upper[h]!, fit.point[h]! + q);
    }
  }
  return { anchor, valid, outcome, lower, upper, calibration: q };
}
