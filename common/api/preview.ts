import { z } from 'zod';
import { metricDefinitionSchema, type MetricDefinition } from './metrics';
import { epochMsSchema } from './params';
import { seriesResponseSchema } from './series';

/**
 * `POST /api/preview`: load a metric definition's data over a range and run its detectors in memory, storing
 * nothing: the metric editor's live preview of the bands before saving.
 */
export const previewRequestSchema = z
  .strictObject({
    definition: metricDefinitionSchema,
    /** Epoch ms, inclusive. */
    from: epochMsSchema,
    /** Epoch ms, exclusive; the interval in progress is never included. */
    to: epochMsSchema,
  })
  .refine((r) => r.from < r.to, { error: 'from must be before to', path: ['from'] });

export const previewResponseSchema = z.object({
  /** The range actually evaluated: `from` aligned down to the interval grid, `to` to the last complete interval. */
  from: z.number(),
  to: z.number(),
  intervalSeconds: z.number(),
  /** One per series: a single one, or one per label set of a Prometheus query (`name{label="value"}`). */
  series: z.array(seriesResponseSchema),
  /** Notes a user should see (series left out, nothing loaded, …). */
  warnings: z.array(z.string()),
});

export type PreviewRequest = Omit<z.input<typeof previewRequestSchema>, 'definition'> & {
  definition: MetricDefinition;
};
export type PreviewResponse = z.infer<typeof previewResponseSchema>;
