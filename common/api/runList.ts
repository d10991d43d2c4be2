import { z } from 'zod';
import { intParam, metricNameParam } from './params';
import { runInfoSchema } from './runs';

/** `GET /api/runs?metric&limit`: recent runs (scheduled ones included), newest first. */
export const runListQuerySchema = z.object({
  metric: metricNameParam.optional(),
  limit: intParam(1000).default(100),
});

export const runListResponseSchema = z.object({ runs: z.array(runInfoSchema) });

export type RunListQuery = z.input<typeof runListQuerySchema>;
export type RunListResponse = z.infer<typeof runListResponseSchema>;
