import { z } from 'zod';
import { boolParam, epochMsParam, intParam } from './params';

/** `GET /api/metrics/:name/detections?from&to&anomalies&limit`: stored detections, newest first. */
export const detectionsQuerySchema = z
  .object({
    from: epochMsParam.optional(),
    to: epochMsParam.optional(),
    /** Only anomalous points (default true: the list a person reads). */
    anomalies: boolParam.default(true),
    /** One detector (its detector_id). */
    detector: z
      .string({ error: 'detector must be given once' })
      .regex(/^[0-9a-f]{16}$/, { error: 'detector must be a detector_id (16 hex characters)' })
      .optional(),
    limit: intParam(10_000).default(500),
  })
  .refine((q) => q.from === undefined || q.to === undefined || q.from < q.to, {
    error: 'from must be before to',
    path: ['from'],
  });

export const detectionSchema = z.object({
  detectorId: z.string(),
  detectorName: z.string(),
  timestamp: z.number(),
  isAnomaly: z.boolean(),
  value: z.number().nullable(),
  lower: z.number().nullable(),
  upper: z.number().nullable(),
  processedValue: z.number().nullable(),
  /** Distance outside the band in half band widths (see the series response); null where not measurable. */
  score: z.number().nullable(),
  /** detectkit's detection_metadata (direction, severity, …). */
  metadata: z.record(z.string(), z.unknown()),
});

export const detectionsResponseSchema = z.object({
  metric: z.string(),
  detections: z.array(detectionSchema),
  /** True when `limit` cut the list. */
  truncated: z.boolean(),
});

export type DetectionsQuery = z.input<typeof detectionsQuerySchema>;
export type Detection = z.infer<typeof detectionSchema>;
export type DetectionsResponse = z.infer<typeof detectionsResponseSchema>;
