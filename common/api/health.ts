import { z } from 'zod';

/** `GET /api/health` of the dtk service. */
export const healthResponseSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  version: z.string(),
  storage: z.object({ kind: z.enum(['embedded', 'clickhouse']), ok: z.boolean() }).optional(),
});
export type HealthResponse = z.infer<typeof healthResponseSchema>;

/** Error body of every failing service API call. */
export const apiErrorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});
export type ApiError = z.infer<typeof apiErrorSchema>;

/** `GET /api/ready`: 200 when the service can do its work (storage answers, metrics loaded), else 503. */
export const readyResponseSchema = z.object({
  ready: z.boolean(),
  storage: z.object({ kind: z.enum(['embedded', 'clickhouse']), ok: z.boolean(), error: z.string().optional() }),
  catalog: z.object({ metrics: z.number(), invalid: z.number(), error: z.string().optional() }),
});
export type ReadyResponse = z.infer<typeof readyResponseSchema>;
