import { z } from 'zod';
import { intParam, metricNameParam } from './params';

/** `GET /api/alerts?metric&limit`: alert history (state changes and tests), newest first. */
export const alertsQuerySchema = z.object({
  metric: metricNameParam.optional(),
  limit: intParam(1000).default(100),
});

export const channelDeliverySchema = z.object({
  type: z.string(),
  status: z.enum(['pending', 'sent', 'failed']),
  attempts: z.number(),
  /** Last failure, safe to show (no secrets). */
  error: z.string().optional(),
  sentAt: z.number().optional(),
  nextAttemptAt: z.number().optional(),
  permanent: z.boolean().optional(),
});

export const alertEventSchema = z.object({
  metric: z.string(),
  eventId: z.string(),
  type: z.enum(['firing', 'resolved', 'no_data', 'test']),
  /** The metric's state after the event: firing, ok, no_data (tests: test). */
  state: z.string(),
  /** The evaluated point, epoch ms. */
  timestamp: z.number(),
  value: z.number().nullable(),
  lower: z.number().nullable(),
  upper: z.number().nullable(),
  direction: z.string().nullable(),
  severity: z.number().nullable(),
  consecutiveCount: z.number(),
  detectorIds: z.array(z.string()),
  message: z.string(),
  /** Delivery by channel name. */
  channels: z.record(z.string(), channelDeliverySchema),
  /** When the event was recorded (or its delivery last updated), epoch ms. */
  recordedAt: z.number().nullable(),
});

export const alertsResponseSchema = z.object({ alerts: z.array(alertEventSchema) });

/** `POST /api/metrics/:name/test-alert`: detectkit's mock alert through each of the metric's channels. */
export const testAlertResponseSchema = z.object({
  metric: z.string(),
  eventId: z.string(),
  /** The formatted message (the metric's template, or the default), marked as a test. */
  message: z.string(),
  /** True when every channel defined in profiles.yml accepted it. */
  ok: z.boolean(),
  channels: z.array(
    z.object({
      name: z.string(),
      type: z.string().nullable(),
      status: z.enum(['sent', 'failed', 'skipped']),
      error: z.string().optional(),
      note: z.string().optional(),
    })
  ),
  /** False when the test could not be recorded in `_dtk_alerts` (it was still sent). */
  recorded: z.boolean(),
  warnings: z.array(z.string()),
});

export type AlertsQuery = z.input<typeof alertsQuerySchema>;
export type AlertEvent = z.infer<typeof alertEventSchema>;
export type AlertsResponse = z.infer<typeof alertsResponseSchema>;
export type TestAlertResponse = z.infer<typeof testAlertResponseSchema>;
