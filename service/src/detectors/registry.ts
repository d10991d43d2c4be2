import {
  DETECTOR_CLASS_NAMES,
  DETECTOR_TYPES,
  isDetectkitType,
  parseDetectorParams,
  POSTPROCESS_DEFAULTS,
  type AnyDetectorParams,
  type CustomParams,
  type DetectionOutput,
  type DetectorDescriptor,
  type DetectorInput,
  type DetectorType,
  type ForecastParams,
  type ManualBoundsParams,
  type PostprocessParams,
  type RobustDetectorParams,
  type WindowedParams,
} from '../../../common/detectors';
import { DtkError } from '../errors';
import { resolveCustomModule, runCustom } from './custom/customDetector';
import { StateStore } from './custom/stateStore';
import { contextSize, detectorIdentity, type DetectorIdentity, type FloatKeys } from './detectorId';
import { prepareForecast, runForecast, runForecastAsync } from './forecast/forecastDetector';
import { runManualBounds } from './manualBounds';
import { postprocess } from './postprocess';
import { runRobust } from './robust/detector';
import { runWindowed } from './windowed';

/**
 * Detectors by type name (reference §4.10). `create` validates parameters once, fills defaults and computes
 * the id; `detect` / `run` are then functions of the input columns (custom modules: and of their saved state).
 */

export interface DetectorContext {
  /** For messages: the metric and the detector's 1-based position in its `detectors:` list. */
  metric?: string;
  position?: number;
}

/** Per call: which series is being judged (custom detectors key their state by it) and a stop signal. */
export interface RunContext {
  metric?: string;
  signal?: AbortSignal;
}

export interface Detector {
  type: DetectorType;
  params: AnyDetectorParams;
  identity: DetectorIdentity;
  /** History points the pipeline should load before a batch. */
  contextSize: number;
  /**
   * Synchronous detection. Every type but `custom` (a worker thread) has it; `prophet` once its Stan model has
   * loaded (a `run` waits for that).
   */
  detect(input: DetectorInput): DetectionOutput;
  /** What the pipeline calls: every type, post-processing applied. */
  run(input: DetectorInput, ctx?: RunContext): Promise<DetectionOutput>;
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
  {
    type: 'robust',
    className: DETECTOR_CLASS_NAMES.robust,
    title: 'Robust (recommended)',
    description:
      'Seasonal median (daily/weekly cycle found automatically) ± threshold robust standard deviations, with floors for flat, quantised and bursty series and hysteresis: one event per incident. The default for new metrics.',
  },
  {
    type: 'mstl',
    className: DETECTOR_CLASS_NAMES.mstl,
    title: 'MSTL forecast',
    description:
      'Seasonal-trend decomposition (one STL per season length, given or detected) with an AutoETS trend, fitted on window_size points and refitted every refit_every points; the band is its prediction interval.',
  },
  {
    type: 'ets',
    className: DETECTOR_CLASS_NAMES.ets,
    title: 'ETS forecast',
    description:
      'Exponential smoothing (AutoETS, non-seasonal) fitted on window_size points and refitted every refit_every points; the band is its prediction interval.',
  },
  {
    type: 'prophet',
    className: DETECTOR_CLASS_NAMES.prophet,
    title: 'Prophet forecast',
    description:
      'Prophet (trend, changepoints, daily/weekly seasonality) fitted on window_size points and refitted every refit_every points; the band is the forecast ± the in-sample residual spread.',
  },
  {
    type: 'custom',
    className: DETECTOR_CLASS_NAMES.custom,
    title: 'Custom module',
    description:
      'A JavaScript module of the project (module: path from the project root) returning lower/upper bands, run in a worker thread with a timeout and a memory limit; options are passed to it.',
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
  options: DetectorContext & { floatKeys?: FloatKeys; root?: string } = {}
): Detector {
  const type = resolveType(rawType, options);
  const r = parseDetectorParams(type, rawParams);
  if (!r.ok) {
    const detail = r.issues.map((i) => (i.param ? `${i.param}: ${i.message}` : i.message)).join('; ');
    throw new DtkError('config_invalid', `${where(options, type)}${detail}`, { details: { issues: r.issues } });
  }
  const params = r.params;
  const identity = detectorIdentity(type, params as Record<string, unknown>, options.floatKeys);
  const named = (e: unknown): unknown =>
    e instanceof DtkError
      ? new DtkError(e.code, `${where(options, type)}${e.message}`, { cause: e, details: e.details })
      : e;
  // robust's direction and floors shape its band already: post-processing only adds the score there.
  const pp: PostprocessParams = type === 'robust' ? { ...POSTPROCESS_DEFAULTS } : (params as PostprocessParams);
  const scoreAlways = !isDetectkitType(type);
  const base = { type, params, identity, contextSize: contextSize(params as Record<string, unknown>) };

  if (type === 'custom') {
    const p = params as CustomParams;
    const root = options.root ?? process.cwd();
    let mod;
    try {
      mod = resolveCustomModule(root, p.module);
    } catch (e) {
      throw named(e);
    }
    const states = StateStore.forProject(root);
    return {
      ...base,
      detect: () => {
        throw new DtkError(
          'usage',
          `${where(options, type)}custom detectors run in a worker thread and have no synchronous detect(); call run()`
        );
      },
      run: async (input, ctx = {}) => {
        try {
          return postprocess(await runCustom(mod, p, identity.id, input, ctx, states), pp, scoreAlways);
        } catch (e) {
          throw named(e);
        }
      },
    };
  }

  const compute = (input: DetectorInput): DetectionOutput => {
    if (type === 'mstl' || type === 'ets' || type === 'prophet') {
      return runForecast(type, params as ForecastParams, identity.id, input);
    }
    if (type === 'manual_bounds' || type === 'manual') {
      return runManualBounds(params as ManualBoundsParams, input);
    }
    if (type === 'robust') {
      return runRobust(params as RobustDetectorParams, input);
    }
    return runWindowed(type, params as WindowedParams, input);
  };
  const detect = (input: DetectorInput): DetectionOutput => {
    try {
      return postprocess(compute(input), pp, scoreAlways);
    } catch (e) {
      throw named(e);
    }
  };
  if (type === 'prophet') {
    // Start loading the Stan model now, so a synchronous detect soon after usually finds it ready.
    prepareForecast(type).catch(() => undefined);
  }
  return {
    ...base,
    detect,
    run: async (input) => {
      if (type !== 'mstl' && type !== 'ets' && type !== 'prophet') {
        return detect(input);
      }
      await prepareForecast(type).catch((e: unknown) => {
        throw named(new DtkError('internal', `cannot load the ${type} model (@bsull/augurs): ${String(e)}`));
      });
      try {
        return postprocess(await runForecastAsync(type, params as ForecastParams, identity.id, input), pp, scoreAlways);
      } catch (e) {
        throw named(e);
      }
    },
  };
}
