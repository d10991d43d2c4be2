import { z } from 'zod';
import { timeRangeQuerySchema } from './params';

/**
 * `GET /api/metrics/:name/series?from=<ms>&to=<ms>`: a metric's values with each detector's
 * confidence band and anomaly flags, column-oriented (one entry per timestamp).
 */
export const detectorBandSchema = z.object({
  detectorId: z.string(),
  detectorName: z.string(),
  lower: z.array(z.number().nullable()),
  upper: z.array(z.number().nullable()),
  anomaly: z.array(z.boolean()),
  /**
   * Distance outside the band in half band widths, of the value the detector judged (0 inside the band, > 1 far
   * outside); null where there is no detection, no value, a one-sided or a zero-width band.
   */
  score: z.array(z.number().nullable()),
});

export const seriesResponseSchema = z.object({
  metric: z.string(),
  timestamps: z.array(z.number()),
  values: z.array(z.number().nullable()),
  detectors: z.array(detectorBandSchema),
});

/** The query string: a half-open range in epoch ms (bounded by the service: too many points is a 400). */
export const seriesQuerySchema = timeRangeQuerySchema;

export type DetectorBand = z.infer<typeof detectorBandSchema>;
export type SeriesResponse = z.infer<typeof seriesResponseSchema>;
export type SeriesQuery = z.input<typeof seriesQuerySchema>;
