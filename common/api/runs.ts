import { z } from 'zod';

/** Why a run happened: the schedule, a user's "run now", or a backfill / full refresh over a range. */
export const runKindSchema = z.enum(['scheduled', 'manual', 'backfill']);
export const runStatusSchema = z.enum(['queued', 'running', 'success', 'failed', 'skipped', 'cancelled']);

/** One run of one metric (or one series of a fan-out metric), as the service reports it. */
export const runInfoSchema = z.object({
  id: z.string(),
  metric: z.string(),
  kind: runKindSchema,
  status: runStatusSchema,
  /** Epoch ms. */
  queuedAt: z.number(),
  startedAt: z.number().nullable(),
  finishedAt: z.number().nullable(),
  /** The tick (interval boundary, epoch ms) a scheduled run serves; null for manual runs. */
  tick: z.number().nullable(),
  progress: z.object({
    step: z.enum(['load', 'detect', 'alert']).nullable(),
    done: z.number(),
    total: z.number(),
  }),
  datapointsLoaded: z.number(),
  anomaliesDetected: z.number(),
  alertsSent: z.number(),
  error: z.string().optional(),
});

/** `POST /api/metrics/:name/runs`: run now, or backfill / fully refresh a range. */
export const runRequestSchema = z
  .object({
    /** Epoch ms, inclusive; with `to`, a backfill of that range. */
    from: z.number().int().nonnegative().optional(),
    /** Epoch ms, exclusive. */
    to: z.number().int().positive().optional(),
    /** Delete and rewrite datapoints and detections in the range. */
    fullRefresh: z.boolean().default(false),
    steps: z
      .array(z.enum(['load', 'detect', 'alert']))
      .min(1)
      .optional(),
  })
  .strict()
  .refine((r) => r.from === undefined || r.to === undefined || r.from < r.to, {
    message: 'from must be before to',
    path: ['from'],
  });

export type RunKind = z.infer<typeof runKindSchema>;
export type RunStatus = z.infer<typeof runStatusSchema>;
export type RunInfo = z.infer<typeof runInfoSchema>;
export type RunRequest = z.infer<typeof runRequestSchema>;
