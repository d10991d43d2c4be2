import { z } from 'zod';
import {
  atLeast,
  executionParams,
  got,
  postprocessParams,
  unknownKeyMessage,
  type PostprocessParams,
} from './schemaParts';

/**
 * Parameters of the forecast-band detectors (`mstl`, `ets`, `prophet`; docs/detectors-forecast.md). A model is
 * fitted on the `window_size` points before a refit point and predicts the band of the `refit_every` points from
 * there; refit points sit on a fixed grid (every `refit_every` intervals since the epoch), so results do not
 * depend on how the pipeline cuts its batches.
 */

/**
 * Blocks before a refit point whose forecast errors calibrate its band (docs/detectors-forecast.md): the pipeline
 * loads `window_size + refit_every × (1 + FORECAST_CALIBRATION_BLOCKS)` points of history before each batch.
 */
export const FORECAST_CALIBRATION_BLOCKS = 3;

interface ForecastDefaults {
  windowSize: number;
  minSamples: number;
  refitEvery: number;
}

const intervalWidth = z
  .number({ error: (iss) => `interval_width must be a number (allowed: 0 < x < 1, e.g. 0.95), got ${got(iss.input)}` })
  .refine((v) => v > 0 && v < 1, {
    error: (iss) => `interval_width must be between 0 and 1 exclusive (e.g. 0.95), got ${got(iss.input)}`,
  })
  .default(0.95);

const periods = z
  .array(
    z
      .number({ error: (iss) => `each period must be an integer number of points >= 2, got ${got(iss.input)}` })
      .refine((v) => Number.isInteger(v) && v >= 2, {
        error: (iss) => `each period must be an integer number of points >= 2, got ${got(iss.input)}`,
      }),
    { error: (iss) => `periods must be a list of season lengths in points (e.g. [288, 2016]), got ${got(iss.input)}` }
  )
  .min(1, { error: 'periods must list at least one season length; omit it to detect them' })
  .max(4, { error: 'periods: at most 4 season lengths' })
  .nullable()
  .default(null);

/** True for names the runtime's Intl knows (IANA zones, UTC): in browsers and Node alike. */
export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Wall-clock zone of the seasonality (null = UTC): a daily cycle driven by people's local day moves with DST. */
const timezone = z
  .string({ error: (iss) => `timezone must be an IANA time zone name such as Europe/Berlin, got ${got(iss.input)}` })
  .refine(isTimeZone, {
    error: (iss) => `timezone: unknown time zone ${got(iss.input)}; use an IANA name such as Europe/Berlin or UTC`,
  })
  .nullable()
  .default(null);

function forecastShape(d: ForecastDefaults) {
  return {
    /** Points of history each fit trains on. */
    window_size: atLeast('window_size', 10, d.windowSize),
    /** Fewer valid (non-missing) training points than this: no band (insufficient_data). */
    min_samples: atLeast('min_samples', 3, d.minSamples),
    /** Band level of the prediction interval. */
    interval_width: intervalWidth,
    /** Points between refits; the points in between are forecast from the last fit. */
    refit_every: atLeast('refit_every', 1, d.refitEvery),
    ...postprocessParams,
    ...executionParams,
  };
}

interface ForecastCommon {
  window_size: number;
  min_samples: number;
  refit_every: number;
}

function checkWindow(p: ForecastCommon & { periods?: number[] | null }, ctx: z.RefinementCtx): void {
  if (p.min_samples > p.window_size) {
    ctx.addIssue({
      code: 'custom',
      path: ['min_samples'],
      message: `min_samples cannot exceed window_size (allowed: 3..${p.window_size}), got ${p.min_samples}`,
    });
  }
  for (const period of p.periods ?? []) {
    if (2 * period > p.window_size) {
      ctx.addIssue({
        code: 'custom',
        path: ['periods'],
        message: `period ${period} needs at least ${2 * period} points of history (two cycles), but window_size is ${p.window_size}; raise window_size or remove the period`,
      });
    }
  }
}

export const mstlParamsSchema = z
  .strictObject(
    {
      ...forecastShape({ windowSize: 4032, minSamples: 100, refitEvery: 288 }),
      /** Season lengths in points (`[288, 2016]`: daily and weekly at 5 minutes); null = detect from the data. */
      periods,
      timezone,
    },
    { error: unknownKeyMessage }
  )
  .superRefine(checkWindow);

export const etsParamsSchema = z
  .strictObject(forecastShape({ windowSize: 1000, minSamples: 30, refitEvery: 50 }), { error: unknownKeyMessage })
  .superRefine(checkWindow);

export const PROPHET_SEASONALITY_MODES = ['additive', 'multiplicative'] as const;

export const prophetParamsSchema = z
  .strictObject(
    {
      // 15 days at 5 minutes: Prophet turns its automatic weekly season on only for more than two weeks of history.
      ...forecastShape({ windowSize: 4320, minSamples: 100, refitEvery: 288 }),
      /** Season lengths in points; null = Prophet's own daily/weekly/yearly seasonalities (by timestamp). */
      periods,
      timezone,
      seasonality_mode: z
        .enum(PROPHET_SEASONALITY_MODES, {
          error: (iss) =>
            `seasonality_mode must be one of: ${PROPHET_SEASONALITY_MODES.join(', ')}; got ${got(iss.input)}`,
        })
        .default('additive'),
      changepoint_prior_scale: z
        .number({ error: (iss) => `changepoint_prior_scale must be a number > 0, got ${got(iss.input)}` })
        .refine((v) => v > 0, {
          error: (iss) => `changepoint_prior_scale must be > 0 (Prophet's default 0.05), got ${got(iss.input)}`,
        })
        .default(0.05),
    },
    { error: unknownKeyMessage }
  )
  .superRefine(checkWindow);

export interface ForecastParams extends PostprocessParams {
  window_size: number;
  min_samples: number;
  interval_width: number;
  refit_every: number;
  /** mstl and prophet only. */
  periods?: number[] | null;
  timezone?: string | null;
  start_time?: string;
  batch_size?: number;
}

export type MstlParams = z.output<typeof mstlParamsSchema>;
export type EtsParams = z.output<typeof etsParamsSchema>;
export type ProphetParams = z.output<typeof prophetParamsSchema>;
