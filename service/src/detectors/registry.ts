import {
  DETECTOR_CLASS_NAMES,
  DETECTOR_TYPES,
  parseDetectorParams,
  type DetectionOutput,
  type DetectorDescriptor,
  type DetectorInput,
  type DetectorType,
  type ManualBoundsParams,
  type WindowedParams,
} from '../../../common/detectors';
import { DtkError } from '../errors';
import { contextSize, detectorIdentity, type DetectorIdentity, type FloatKeys } from './detectorId';
import { runManualBounds } from './manualBounds';
import { runWindowed } from './windowed';

/**
 * Detectors by type name (reference §4.10). `create` validates parameters once, fills defaults and computes
 * detectkit's id; `detect` is then a pure function of the input columns.
 */

export interface DetectorContext {
  /** For messages: the metric and the detector's 1-based position in its `detectors:` list. */
  metric?: string;
  position?: number;
}

export interface Detector {
  type: DetectorType;
  params: WindowedParams | ManualBoundsParams;
  identity: DetectorIdentity;
  /** History points the pipeline should load before a batch. */
  contextSize: number;
  detect(input: DetectorInput): DetectionOutput;
}

export const DETECTOR_CATALOG: DetectorDescriptor[] = [
  {
    type: 'mad',
    className: DETECTOR_CLASS_NAMES.mad,
    title: 'MAD',
    description: 'Median ± threshold × median absolute deviation of the previous window_size points.',
  },
  {
    type: 'zscore',
    className: DETECTOR_CLASS_NAMES.zscore,
    title: 'Z-score',
    description: 'Mean ± threshold × sample standard deviation of the previous window_size points.',
  },
  {
    type: 'iqr',
    className: DETECTOR_CLASS_NAMES.iqr,
    title: 'IQR',
    description: 'Quartiles ± threshold × interquartile range of the previous window_size points.',
  },
  {
    type: 'manual_bounds',
    className: DETECTOR_CLASS_NAMES.manual_bounds,
    title: 'Manual bounds',
    description: 'Fixed lower and/or upper bound.',
  },
];

export function where(ctx: DetectorContext, type?: string): string {
  const parts: string[] = [];
  if (ctx.metric !== undefined) {
    parts.push(`metric '${ctx.metric}'`);
  }
  if (ctx.position !== undefined) {
    parts.push(`detector #${ctx.position}${type ? ` (${type})` : ''}`);
  } else if (type) {
    parts.push(`detector ${type}`);
  }
  return parts.length ? `${parts.join(', ')}: ` : '';
}

export function isDetectorType(t: string): t is DetectorType {
  return (DETECTOR_TYPES as readonly string[]).includes(t);
}

export function resolveType(rawType: unknown, ctx: DetectorContext = {}): DetectorType {
  const t = typeof rawType === 'string' ? rawType.toLowerCase() : '';
  if (!isDetectorType(t)) {
    throw new DtkError(
      'config_invalid',
      `${where(ctx)}Unknown detector type: '${String(rawType)}'. Available types: ${[...DETECTOR_TYPES].sort().join(', ')}`
    );
  }
  return t;
}

/** Validates and builds a detector; errors name the metric, position, parameter and allowed range. */
export function createDetector(
  rawType: unknown,
  rawParams: unknown,
  options: DetectorContext & { floatKeys?: FloatKeys } = {}
): Detector {
  const type = resolveType(rawType, options);
  const r = parseDetectorParams(type, rawParams);
  if (!r.ok) {
    const detail = r.issues.map((i) => (i.param ? `${i.param}: ${i.message}` : i.message)).join('; ');
    throw new DtkError('config_invalid', `${where(options, type)}${detail}`, { details: { issues: r.issues } });
  }
  const params = r.params;
  const identity = detectorIdentity(type, params as Record<string, unknown>, options.floatKeys);
  const detect = (input: DetectorInput): DetectionOutput => {
    try {
      if (type === 'manual_bounds' || type === 'manual') {
        return runManualBounds(params as ManualBoundsParams, input);
      }
      return runWindowed(type, params as WindowedParams, input);
    } catch (e) {
      if (e instanceof DtkError) {
        throw new DtkError(e.code, `${where(options, type)}${e.message}`, { cause: e });
      }
      throw e;
    }
  };
  return { type, params, identity, contextSize: contextSize(params as Record<string, unknown>), detect };
}
