import { z } from 'zod';

/** `GET /api/detectors`: the detector types a metric can use, with their parameters as JSON Schema (the UI renders forms from them). */
export const detectorInfoSchema = z.object({
  type: z.string(),
  /** detectkit's class name, stored in `_dtk_detections.detector_name`. */
  className: z.string(),
  title: z.string(),
  description: z.string(),
  /** Other accepted spellings of the type (`manual` for `manual_bounds`). */
  aliases: z.array(z.string()),
  /** JSON Schema (draft 2020-12) of `params`, with defaults. */
  params: z.record(z.string(), z.unknown()),
});

export const detectorsResponseSchema = z.object({ detectors: z.array(detectorInfoSchema) });

export type DetectorInfo = z.infer<typeof detectorInfoSchema>;
export type DetectorsResponse = z.infer<typeof detectorsResponseSchema>;
