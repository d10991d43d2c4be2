/**
 * The detector contract (DESIGN §7), shared by the service and the plugin. Plain types only: this file is
 * bundled into the browser plugin, so it must not import anything from Node.
 */

/** detectkit 0.3.5's detector types (`manual` is its factory alias of `manual_bounds`). */
export const DETECTKIT_DETECTOR_TYPES = ['mad', 'zscore', 'iqr', 'manual_bounds', 'manual'] as const;
export type DetectkitDetectorType = (typeof DETECTKIT_DETECTOR_TYPES)[number];

/** Forecast-band detectors (ours, through @bsull/augurs): a model fitted on history predicts each point's band. */
export const FORECAST_DETECTOR_TYPES = ['mstl', 'ets', 'prophet'] as const;
export type ForecastDetectorType = (typeof FORECAST_DETECTOR_TYPES)[number];

/** The recommended detector for new metrics (docs/detectors-robust.md): what `dtk init` and the editor start with. */
export const RECOMMENDED_DETECTOR_TYPE = 'robust';

/**
 * Detector type names accepted in metric files: detectkit's, the recommended `robust`, the forecast ones and
 * `custom` (a user module).
 */
export const DETECTOR_TYPES = [
  ...DETECTKIT_DETECTOR_TYPES,
  RECOMMENDED_DETECTOR_TYPE,
  ...FORECAST_DETECTOR_TYPES,
  'custom',
] as const;
export type DetectorType = (typeof DETECTOR_TYPES)[number];

/**
 * Class names: stored in `_dtk_detections.detector_name` and hashed into `detector_id`. detectkit's are its Python
 * class names; ours follow the same pattern.
 */
export const DETECTOR_CLASS_NAMES: Record<DetectorType, string> = {
  mad: 'MADDetector',
  zscore: 'ZScoreDetector',
  iqr: 'IQRDetector',
  manual_bounds: 'ManualBoundsDetector',
  manual: 'ManualBoundsDetector',
  robust: 'RobustDetector',
  mstl: 'MSTLDetector',
  ets: 'ETSDetector',
  prophet: 'ProphetDetector',
  custom: 'CustomDetector',
};

export function isDetectkitType(t: DetectorType): t is DetectkitDetectorType {
  return (DETECTKIT_DETECTOR_TYPES as readonly string[]).includes(t);
}

export const INPUT_TYPES = ['values', 'changes', 'absolute_changes', 'log_changes'] as const;
export type InputType = (typeof INPUT_TYPES)[number];

export const SMOOTHING_METHODS = ['ema', 'sma'] as const;
export type SmoothingMethod = (typeof SMOOTHING_METHODS)[number];

export const WINDOW_WEIGHTS = ['exponential', 'linear'] as const;
export type WindowWeights = (typeof WINDOW_WEIGHTS)[number];

/** One item of `seasonality_components`: a column, or several columns that form one combined group. */
export type SeasonalityComponent = string | string[];

/** A seasonality key as it arrives from JSON / CSV / timestamp features. Python `==` semantics apply (1 == true). */
export type SeasonalityKey = string | number | boolean | null;

/** Column arrays in: timestamps are UTC epoch milliseconds, NaN values are missing points. */
export interface DetectorInput {
  timestamps: Float64Array;
  values: Float64Array;
  /** Seasonality columns by name, each with one key per point. */
  seasonality?: Record<string, ArrayLike<SeasonalityKey>>;
  /** The metric's interval in ms (the pipeline passes it; otherwise the smallest step between timestamps). */
  intervalMs?: number;
  /**
   * Points before this timestamp are history for the ones after it: a detector may leave them unevaluated
   * (forecast and custom detectors do, to skip model fits whose results would be thrown away).
   */
  evaluateFrom?: number;
}

/** Why a point was not evaluated (detectkit's `reason` metadata; `history` and `fit_failed` are ours). */
export type SkipReason = 'missing_data' | 'insufficient_data' | 'history' | 'fit_failed';

export type Direction = 'above' | 'below';

/** Point status codes in `DetectionOutput.status`. */
export const POINT_STATUS = { evaluated: 0, missingData: 1, insufficientData: 2, history: 3, fitFailed: 4 } as const;

/** One seasonality group entry of detectkit's `seasonality_groups` metadata. */
export interface SeasonalityGroupEntry {
  group: string[];
  [multiplier: string]: number | string | string[];
}

/** Metadata of one point, with the keys and key order detectkit writes into `detection_metadata`. */
export type DetectionMetadata = Record<string, unknown>;

/** One per-point result, detectkit's `DetectionResult` (bounds `null` when absent). */
export interface DetectionResult {
  timestamp: number;
  value: number;
  processedValue: number;
  isAnomaly: boolean;
  lower: number | null;
  upper: number | null;
  metadata: DetectionMetadata;
}

/**
 * Per-point results out, as columns (one entry per input point, same order). Absent bounds are NaN.
 * `metadata(i)` builds detectkit's metadata object on demand, so bulk detection does not allocate one object
 * per point.
 */
export interface DetectionOutput {
  length: number;
  timestamps: Float64Array;
  values: Float64Array;
  processed: Float64Array;
  isAnomaly: Uint8Array;
  lower: Float64Array;
  upper: Float64Array;
  /** POINT_STATUS codes. */
  status: Uint8Array;
  /** Anomalies only (NaN elsewhere): detectkit's `severity` and `distance`. */
  severity: Float64Array;
  distance: Float64Array;
  /** The model's expected value per point (forecast and custom detectors; NaN where none). */
  expected?: Float64Array;
  metadata(i: number): DetectionMetadata;
}

/** Describes a detector type for the UI catalog and the registry. */
export interface DetectorDescriptor {
  type: DetectorType;
  className: string;
  title: string;
  description: string;
}
