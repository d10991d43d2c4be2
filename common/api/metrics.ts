import { z } from 'zod';
import type { metricConfigSchema } from '../config/metric';
import { runInfoSchema } from './runs';
import { jsonDepth } from './params';

/**
 * Metric definitions through the service API: the list and detail views (`GET /api/metrics[/:name]`) and the
 * writes of UI-managed metrics (`POST`, `PUT`, `DELETE /api/metrics[/:name]`).
 */

export const metricOriginSchema = z.enum(['file', 'ui']);
export const sourceTypeSchema = z.enum(['clickhouse', 'prometheus', 'scrape']);

/** A detector of the metric's current definition. */
export const catalogDetectorSchema = z.object({
  /** detectkit's detector_id (16 hex characters). */
  id: z.string(),
  type: z.string(),
  /** Class name and non-default parameters, e.g. `MADDetector:threshold=2.5`. */
  name: z.string(),
  /** 1-based position in the metric's `detectors:` list. */
  position: z.number().int(),
});

/** Where the metric stands in the schedule of this replica. */
export const scheduleStatusSchema = z.object({
  owned: z.boolean(),
  nextRunAt: z.number().nullable(),
  lastRun: runInfoSchema.nullable(),
  lagSeconds: z.number().nullable(),
});

/** One problem of a definition: the key path inside it (`detectors[0].params.threshold`) and what to fix. */
export const definitionIssueSchema = z.object({
  path: z.string().optional(),
  message: z.string(),
  severity: z.enum(['error', 'warning']),
  /** Position in the metric file (file metrics only). */
  line: z.number().optional(),
  column: z.number().optional(),
});

export const metricSummarySchema = z.object({
  name: z.string(),
  origin: metricOriginSchema,
  /** File path relative to the project root, or `ui:<name>`. */
  relPath: z.string(),
  /** Saved version of a UI metric; 0 for a file. */
  version: z.number().int(),
  /** False when the definition has errors: the metric does not run until they are fixed (see `error`). */
  valid: z.boolean(),
  error: z.string().optional(),
  description: z.string().nullable(),
  intervalSeconds: z.number().nullable(),
  sourceType: sourceTypeSchema.nullable(),
  detectors: z.array(catalogDetectorSchema),
  tags: z.array(z.string()),
  enabled: z.boolean(),
  alerting: z.object({ enabled: z.boolean(), channels: z.array(z.string()) }),
  /** Null when the scheduler does not know the metric (invalid, or not scheduled by this replica yet). */
  status: scheduleStatusSchema.nullable(),
  /** Last stored datapoint (epoch ms); for a fan-out metric, the latest of its series. */
  lastPoint: z.number().nullable(),
  /** The alert state after the metric's latest alert event (`firing`, `ok`, `no_data`), null before any. */
  alertState: z.string().nullable(),
});

export const metricListResponseSchema = z.object({ metrics: z.array(metricSummarySchema) });

export const metricDetailSchema = metricSummarySchema.extend({
  /**
   * The definition as written (the JSON form of a metric YAML file, before environment interpolation). Secret
   * values (`source.bearer_token`, `source.basic_auth.password`, `source.headers`) read `[redacted]` unless they are
   * `${VAR}` references; sending `[redacted]` back in an update keeps the saved value. Null when unreadable.
   */
  definition: z.record(z.string(), z.unknown()).nullable(),
  issues: z.array(definitionIssueSchema),
  /** Series stored for a fan-out (Prometheus) metric, `name{label="value"}`; empty otherwise. */
  series: z.array(z.string()),
  /** Who saved the current version of a UI metric, and when (epoch ms); null for files. */
  updatedBy: z.string().nullable(),
  updatedAt: z.number().nullable(),
});

/** The placeholder the API shows for a secret value, and accepts back as "unchanged". */
export const REDACTED = '[redacted]';

/** Deep enough for any metric definition (`detectors[i].params.seasonality_components[j][k]` is 6 levels). */
export const MAX_DEFINITION_DEPTH = 12;

/**
 * A metric definition in a request: the JSON form of a metric YAML file, validated by the service exactly like a
 * file (same messages). Typed for clients as the metric schema's input; checked here only for shape and size.
 */
export const metricDefinitionSchema = z
  .record(z.string(), z.unknown(), { error: 'definition must be an object: the JSON form of a metric YAML file' })
  .refine((d) => jsonDepth(d, MAX_DEFINITION_DEPTH) <= MAX_DEFINITION_DEPTH, {
    error: `definition is nested deeper than ${MAX_DEFINITION_DEPTH} levels; no metric setting is that deep`,
  });

export type MetricDefinition = z.input<typeof metricConfigSchema>;

const commentSchema = z.string({ error: 'comment must be a string' }).max(1000, { error: 'comment is too long' });

/** `POST /api/metrics`: a new UI-managed metric. */
export const createMetricRequestSchema = z.strictObject({
  definition: metricDefinitionSchema,
  comment: commentSchema.optional(),
});

/** `PUT /api/metrics/:name`: a new version. With `expectedVersion`, refused (409) when someone saved meanwhile. */
export const updateMetricRequestSchema = z.strictObject({
  definition: metricDefinitionSchema,
  expectedVersion: z
    .number({ error: 'expectedVersion must be the version you edited (an integer)' })
    .int({ error: 'expectedVersion must be an integer' })
    .min(1, { error: 'expectedVersion must be at least 1' })
    .optional(),
  comment: commentSchema.optional(),
});

/** `DELETE /api/metrics/:name?expectedVersion=<n>`. */
export const deleteMetricQuerySchema = z.object({
  expectedVersion: z
    .string({ error: 'expectedVersion must be given once' })
    .regex(/^\d{1,9}$/, { error: 'expectedVersion must be an integer' })
    .transform(Number)
    .optional(),
});

export const deleteMetricResponseSchema = z.object({ name: z.string(), deleted: z.literal(true), version: z.number() });

export type MetricOrigin = z.infer<typeof metricOriginSchema>;
export type SourceType = z.infer<typeof sourceTypeSchema>;
export type CatalogDetector = z.infer<typeof catalogDetectorSchema>;
export type ScheduleStatusInfo = z.infer<typeof scheduleStatusSchema>;
export type DefinitionIssue = z.infer<typeof definitionIssueSchema>;
export type MetricSummary = z.infer<typeof metricSummarySchema>;
export type MetricListResponse = z.infer<typeof metricListResponseSchema>;
export type MetricDetail = z.infer<typeof metricDetailSchema>;
/** Request bodies as clients write them: the definition typed as a metric file's content. */
export type CreateMetricRequest = Omit<z.input<typeof createMetricRequestSchema>, 'definition'> & {
  definition: MetricDefinition;
};
export type UpdateMetricRequest = Omit<z.input<typeof updateMetricRequestSchema>, 'definition'> & {
  definition: MetricDefinition;
};
export type DeleteMetricResponse = z.infer<typeof deleteMetricResponseSchema>;
