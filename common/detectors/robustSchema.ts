import { z } from 'zod';
import {
  atLeast,
  BAND_DIRECTIONS,
  executionParams,
  got,
  intBetween,
  nonNegative,
  positiveNumber,
  unknownKeyMessage,
} from './schemaParts';

/**
 * Parameters of `robust`, the recommended detector (docs/detectors-robust.md). Every default is the benchmarked
 * configuration (`npm run bench:quality`): one set for 1-minute, 5-minute and hourly data, no per-metric tuning.
 * `direction`, `min_deviation` and `min_relative_deviation` have the shared post-processing's names and meaning,
 * but here they shape the band itself (a floor on its half-width), so the score measures against the band the
 * verdict used.
 */
export const ROBUST_SEASONALITY = ['auto', 'none'] as const;

const seasonality = z
  .union(
    [
      z.enum(ROBUST_SEASONALITY),
      z.number().refine((v) => Number.isInteger(v) && v >= 2, {
        error: (iss) => `seasonality must be auto, none or a period in points >= 2, got ${got(iss.input)}`,
      }),
    ],
    { error: (iss) => `seasonality must be auto, none or a period in points (e.g. 1440), got ${got(iss.input)}` }
  )
  .default('auto');

export const robustParamsSchema = z
  .strictObject(
    {
      /** Half-width of the band in robust standard deviations (1.4826 × median absolute residual). */
      threshold: positiveNumber('threshold', 5),
      /** Points of the rolling median that sets the level (and the offset from the seasonal profile). */
      window_size: atLeast('window_size', 3, 60),
      /** Normal points whose residuals set the spread. */
      scale_window: atLeast('scale_window', 10, 720),
      /** `auto`: a daily or weekly cycle when the data shows one (re-checked daily); `none`; or a period in points. */
      seasonality,
      /** Past cycles whose same-phase median is the seasonal expectation. */
      seasonal_cycles: intBetween('seasonal_cycles', 1, 12, 4),
      /** Valid points seen before the first verdict. */
      min_samples: atLeast('min_samples', 3, 30),
      /** Absolute floor of the band's half-width (value units). */
      min_deviation: nonNegative('min_deviation', 0),
      /** Floor of the half-width as a fraction of |expected| (0.1 = 10 %). */
      min_relative_deviation: nonNegative('min_relative_deviation', 0.1),
      /** Floor of the half-width in the series' smallest step (counters move by whole steps). */
      quantum_floor: nonNegative('quantum_floor', 2),
      direction: z
        .enum(BAND_DIRECTIONS, {
          error: (iss) => `direction must be one of: ${BAND_DIRECTIONS.join(', ')}; got ${got(iss.input)}`,
        })
        .default('both'),
      /** A point with a score below this is flagged only when the point before it was outside the band too. */
      confirm_score: positiveNumber('confirm_score', 1.5),
      /** After an anomaly, points still at this score or above stay flagged (one incident, one event). */
      hold_score: nonNegative('hold_score', 0.7),
      /** Excursions per day the series may have as part of its normal life (they widen the band once seen). */
      tail_per_day: nonNegative('tail_per_day', 1),
      /** The band is never narrower than this × the size of those daily excursions. */
      tail_factor: nonNegative('tail_factor', 1.3),
      /** Days of residuals the excursion size is learnt from. */
      tail_days: positiveNumber('tail_days', 14),
      /** Points of history loaded before each batch (the detector's memory in scheduled runs). */
      history: atLeast('history', 100, 10080),
      ...executionParams,
    },
    { error: unknownKeyMessage }
  )
  .superRefine((p, ctx) => {
    if (p.min_samples > p.history) {
      ctx.addIssue({
        code: 'custom',
        path: ['min_samples'],
        message: `min_samples cannot exceed history (allowed: 3..${p.history}), got ${p.min_samples}`,
      });
    }
  });

export type RobustDetectorParams = z.output<typeof robustParamsSchema>;
