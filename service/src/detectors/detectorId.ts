import { createHash } from 'node:crypto';
import {
  CUSTOM_LIMIT_PARAMS,
  DETECTOR_CLASS_NAMES,
  FORECAST_CALIBRATION_BLOCKS,
  POSTPROCESS_DEFAULTS,
  isDetectkitType,
  robustParamsSchema,
  type DetectorType,
} from '../../../common/detectors';
import { canonicalJson, orjsonValue, pyValueRepr } from './pyRepr';

/**
 * detectkit's `detector_id` (reference §4.9): sha256(ClassName + str(sorted(non_default.items())))[:16], and
 * `detector_params` = orjson of the same items with sorted keys. Reproduced byte for byte so resumed detections
 * and stored rows keep their ids after migrating from detectkit.
 */

const WINDOWED_DEFAULTS = {
  threshold: 3.0,
  window_size: 100,
  min_samples: 30,
  input_type: 'values',
  smoothing: null,
  smoothing_alpha: 0.3,
  smoothing_window: 10,
  window_weights: null,
  weight_decay: 0.95,
};

const FORECAST_DEFAULTS = { interval_width: 0.95, ...POSTPROCESS_DEFAULTS };

/**
 * Defaults are left out of the hash. The post-processing parameters are ours: at their defaults a detectkit
 * detector hashes exactly as detectkit's; set, they are part of the id (the detector's verdicts differ).
 */
const DEFAULTS: Record<DetectorType, Record<string, unknown>> = {
  mad: { ...WINDOWED_DEFAULTS, min_samples_per_group: 10, ...POSTPROCESS_DEFAULTS },
  zscore: { ...WINDOWED_DEFAULTS, min_samples_per_group: 3, ...POSTPROCESS_DEFAULTS },
  iqr: { ...WINDOWED_DEFAULTS, threshold: 1.5, min_samples_per_group: 4, ...POSTPROCESS_DEFAULTS },
  manual_bounds: { lower_bound: null, upper_bound: null, input_type: 'values', ...POSTPROCESS_DEFAULTS },
  manual: { lower_bound: null, upper_bound: null, input_type: 'values', ...POSTPROCESS_DEFAULTS },
  mstl: { ...FORECAST_DEFAULTS, window_size: 4032, min_samples: 100, refit_every: 288, periods: null, timezone: null },
  ets: { ...FORECAST_DEFAULTS, window_size: 1000, min_samples: 30, refit_every: 50 },
  prophet: {
    ...FORECAST_DEFAULTS,
    window_size: 4320,
    min_samples: 100,
    refit_every: 288,
    periods: null,
    timezone: null,
    seasonality_mode: 'additive',
    changepoint_prior_scale: 0.05,
  },
  custom: { options: {}, window_size: 0, ...POSTPROCESS_DEFAULTS },
  robust: robustParamsSchema.parse({}) as Record<string, unknown>,
};

/** Parameters detectkit leaves out of the hash: detectors differing only in these collide. */
export const ID_EXCLUDED_PARAMS = [
  'seasonality_components',
  'min_samples_per_group',
  'smoothing_alpha',
  'smoothing_window',
  'weight_decay',
] as const;

const NEVER_HASHED = new Set<string>([...ID_EXCLUDED_PARAMS, 'start_time', 'batch_size', ...CUSTOM_LIMIT_PARAMS]);

/**
 * Which numeric parameters were spelt as floats in the source (`2.0` vs `2`). Python hashes `('threshold', 2)`
 * and `('threshold', 2.0)` differently; JS numbers cannot tell them apart, so the loader passes the spelling.
 * Integral numbers not listed here are ints; non-integral numbers are always floats.
 */
export type FloatKeys = ReadonlySet<string>;

export interface DetectorIdentity {
  className: string;
  /** 16 lowercase hex characters. */
  id: string;
  /** Compact JSON with sorted keys, `{}` when every parameter is a default. */
  paramsJson: string;
  /** The hashed items, sorted by key. */
  nonDefault: Array<[string, unknown]>;
}

function isDefault(type: DetectorType, key: string, value: unknown): boolean {
  const def = DEFAULTS[type][key];
  if (type === 'manual_bounds' || type === 'manual') {
    // ManualBounds keeps `v is not None and v != default`.
    return value === null || value === undefined || value === def;
  }
  if (typeof value === 'object' && value !== null) {
    // Only our detectors have list / mapping parameters that are hashed (periods, options).
    return canonicalJson(value) === canonicalJson(def ?? null);
  }
  // Python equality: 3 == 3.0, None == None.
  return (value ?? null) === (def ?? null);
}

export function detectorIdentity(
  type: DetectorType,
  params: Record<string, unknown>,
  floatKeys: FloatKeys = new Set()
): DetectorIdentity {
  const className = DETECTOR_CLASS_NAMES[type];
  // The int/float spelling matters only for detectkit's ids; ours do not depend on how a number is written.
  const floats: FloatKeys = isDetectkitType(type) ? floatKeys : new Set();
  const nonDefault = Object.entries(params)
    .filter(([k, v]) => v !== undefined && !NEVER_HASHED.has(k) && !isDefault(type, k, v))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const repr = `[${nonDefault.map(([k, v]) => `(${pyValueRepr(k, false)}, ${pyValueRepr(v, floats.has(k))})`).join(', ')}]`;
  const id = createHash('sha256')
    .update(className + repr, 'utf8')
    .digest('hex')
    .slice(0, 16);
  const paramsJson = `{${nonDefault.map(([k, v]) => `${JSON.stringify(k)}:${orjsonValue(v, floats.has(k))}`).join(',')}}`;
  return { className, id, paramsJson, nonDefault };
}

/**
 * detectkit's `get_context_size()`: history points the pipeline loads before a batch. Forecast detectors need
 * the training window before the batch's first refit point (which can lie up to `refit_every - 1` points before
 * the batch), and before that the blocks whose errors calibrate the band.
 */
export function contextSize(params: Record<string, unknown>): number {
  if (typeof params.history === 'number') {
    return params.history;
  }
  if (typeof params.refit_every === 'number' && typeof params.window_size === 'number') {
    return params.window_size + params.refit_every * (1 + FORECAST_CALIBRATION_BLOCKS);
  }
  const window = typeof params.window_size === 'number' ? params.window_size : 0;
  const changes = params.input_type !== undefined && params.input_type !== 'values';
  return changes ? Math.max(1, window) : window;
}
