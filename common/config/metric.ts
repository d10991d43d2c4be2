import { z } from 'zod';
import {
  DETECTOR_PARAM_SCHEMAS,
  DETECTOR_TYPES,
  isTimeZone,
  parseDetectorParams,
  type DetectorType,
} from '../detectors';
import { isRecord, shown } from './aliases';
import { DATETIME_HINT, formatConfigDateTime, parseConfigDateTime } from './datetime';
import { intervalSchema, parseInterval } from './interval';
import { sourceConfigSchema } from './source';

/**
 * Metric files `metrics/**\/*.yml|yaml` (reference §2.4, §2.5), flat or nested under `metric:`.
 * Names, defaults and messages are detectkit's; each message adds what to write instead.
 */

/** detectkit's timestamp-derived seasonality columns (UTC). */
export const SEASONALITY_COLUMNS = ['day_of_month', 'day_of_week', 'hour', 'is_holiday', 'is_weekend', 'month'];

/** The docs' `{name, extract}` spelling, for a message that says which column to write instead. */
const EXTRACT_TO_COLUMN: Record<string, string> = {
  hour: 'hour',
  dow: 'day_of_week',
  day_of_week: 'day_of_week',
  day: 'day_of_month',
  month: 'month',
};

/**
 * Accepted by detectkit's config validation, refused by its factory at run time (reference F25). Its other one,
 * `prophet`, is implemented here (docs/detectors-forecast.md).
 */
const UNIMPLEMENTED_DETECTORS = ['timesfm'];

/** Cross-field checks run even when a field failed, so one pass reports every problem of a file. */
const everyMapping = { when: (payload: { value: unknown }) => isRecord(payload.value) };

const isAlnumName = (s: string): boolean => /^[\p{L}\p{N}_-]+$/u.test(s);

/** A YAML 1.1 timestamp (unquoted date) or a date-time string, normalised to `YYYY-MM-DD HH:MM:SS` UTC. */
const dateTimeSchema = (name: string) =>
  z.unknown().transform((v, ctx) => {
    const t = parseConfigDateTime(v);
    if (t === undefined) {
      ctx.addIssue({ code: 'custom', message: `${name}: cannot parse ${shown(v)} as a date-time; ${DATETIME_HINT}` });
      return z.NEVER;
    }
    return formatConfigDateTime(t);
  });

const boolean = (name: string, def: boolean) =>
  z.boolean({ error: (iss) => `${name} must be true or false, got ${shown(iss.input)}` }).default(def);

const atLeastOne = (name: string, def: number) =>
  z
    .number({ error: (iss) => `${name} must be an integer, got ${shown(iss.input)}` })
    .int({ error: (iss) => `${name} must be an integer, got ${shown(iss.input)}` })
    .min(1, { error: `${name} must be at least 1` })
    .default(def);

export const ALERT_DIRECTIONS = ['same', 'any', 'up', 'down'] as const;

export const alertConfigSchema = z.strictObject(
  {
    enabled: boolean('enabled', true),
    /** IANA zone in which alert times are shown (detectkit printed it as a label without converting). */
    timezone: z
      .string()
      .nullish()
      .refine((tz) => !tz || isTimeZone(tz), {
        error: (iss) =>
          `timezone: unknown time zone ${shown(iss.input)}; use an IANA name such as Europe/Moscow or UTC`,
      }),
    channels: z
      .array(z.string({ error: 'each channel must be the name of an alert channel in profiles.yml' }), {
        error: 'channels must be a list of alert channel names from profiles.yml alert_channels',
      })
      .nullish()
      .transform((v) => v ?? []),
    min_detectors: atLeastOne('min_detectors', 1),
    direction: z
      .enum(ALERT_DIRECTIONS, {
        error: (iss) => `direction must be one of: ${ALERT_DIRECTIONS.join(', ')}; got ${shown(iss.input)}`,
      })
      .default('same'),
    consecutive_anomalies: atLeastOne('consecutive_anomalies', 3),
    no_data_alert: boolean('no_data_alert', false),
    template_single: z.string().nullish(),
    template_consecutive: z.string().nullish(),
    alert_cooldown: intervalSchema.nullish(),
    cooldown_reset_on_recovery: boolean('cooldown_reset_on_recovery', true),
  },
  { error: (iss) => (iss.code === 'invalid_type' ? 'alerting must be a mapping of alert settings' : undefined) }
);

export type AlertConfig = z.output<typeof alertConfigSchema>;

/** `start_time` is an execution parameter: normalised here, never part of the detector's id. */
function normalizeParams(v: unknown): unknown {
  if (v === null || v === undefined) {
    return {};
  }
  if (!isRecord(v) || !('start_time' in v)) {
    return v;
  }
  const t = parseConfigDateTime(v.start_time);
  return t === undefined ? v : { ...v, start_time: formatConfigDateTime(t) };
}

function allowedParams(type: DetectorType): string[] {
  const schema = DETECTOR_PARAM_SCHEMAS[type] as unknown as { shape?: Record<string, unknown> };
  return Object.keys(schema.shape ?? {});
}

/** The docs' parameter spellings that have a code equivalent (reference Appendix B). */
const PARAM_HINTS: Record<string, string> = {
  recent_weight: 'window_weights: linear | exponential (with weight_decay)',
};

function paramHints(params: Record<string, unknown>): string {
  const hints = Object.keys(params)
    .filter((k) => k in PARAM_HINTS)
    .map((k) => `; instead of ${k} write ${PARAM_HINTS[k]}`);
  return hints.join('');
}

export const detectorConfigSchema = z
  .strictObject(
    {
      type: z
        .string({ error: `type is required: one of ${[...DETECTOR_TYPES].sort().join(', ')}` })
        .transform((t) => t.trim().toLowerCase()),
      params: z.preprocess(
        normalizeParams,
        z.record(z.string(), z.unknown(), { error: 'params must be a mapping of parameter names to values' })
      ),
    },
    {
      error: (iss) =>
        iss.code === 'invalid_type' ? 'each detector must be a mapping with `type:` and `params:`' : undefined,
    }
  )
  .superRefine((d, ctx) => {
    if (typeof d.type !== 'string' || !isRecord(d.params)) {
      return; // already reported
    }
    if (!(DETECTOR_TYPES as readonly string[]).includes(d.type)) {
      const why = UNIMPLEMENTED_DETECTORS.includes(d.type)
        ? ' (detectkit accepts it in config but has no implementation)'
        : '';
      ctx.addIssue({
        code: 'custom',
        path: ['type'],
        message: `Unknown detector type: '${d.type}'${why}. Available types: ${[...DETECTOR_TYPES].sort().join(', ')}`,
      });
      return;
    }
    if (d.params.start_time !== undefined && parseConfigDateTime(d.params.start_time) === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['params', 'start_time'],
        message: `start_time: cannot parse ${shown(d.params.start_time)} as a date-time; ${DATETIME_HINT}`,
      });
      return;
    }
    const type = d.type as DetectorType;
    const r = parseDetectorParams(type, d.params);
    if (!r.ok) {
      for (const iss of r.issues) {
        const unknown = iss.param === '' && iss.message.startsWith('unknown parameter');
        ctx.addIssue({
          code: 'custom',
          path: iss.param ? ['params', ...iss.param.split('.')] : ['params'],
          message: unknown
            ? `${iss.message} for ${type}${paramHints(d.params)}. Allowed: ${allowedParams(type).join(', ')}`
            : iss.param && !iss.message.startsWith(iss.param)
              ? `${iss.param}: ${iss.message}`
              : iss.message,
        });
      }
    }
  }, everyMapping);

export type DetectorConfig = z.output<typeof detectorConfigSchema>;

const tagsSchema = z
  .array(z.unknown(), { error: 'tags must be a list of strings, e.g. [critical, api]' })
  .nullish()
  .superRefine((tags, ctx) => {
    if (tags === null || tags === undefined) {
      return;
    }
    if (tags.length === 0) {
      ctx.addIssue({ code: 'custom', message: 'tags list cannot be empty (use null instead)' });
    }
    const seen = new Set<unknown>();
    tags.forEach((t, i) => {
      if (t === '') {
        ctx.addIssue({ code: 'custom', path: [i], message: 'Empty tag not allowed' });
      } else if (typeof t !== 'string' || !isAlnumName(t)) {
        ctx.addIssue({
          code: 'custom',
          path: [i],
          message: `Invalid tag ${shown(t)}: only alphanumeric characters, underscores, and dashes allowed`,
        });
      } else if (seen.has(t)) {
        ctx.addIssue({ code: 'custom', path: [i], message: `Duplicate tags not allowed: '${t}'` });
      }
      seen.add(t);
    });
  })
  .transform((v) => (v ?? null) as string[] | null);

const seasonalityColumnsSchema = z
  .array(z.unknown(), { error: `seasonality_columns must be a list of: ${SEASONALITY_COLUMNS.join(', ')}` })
  .nullish()
  .superRefine((cols, ctx) => {
    const seen = new Set<unknown>();
    (cols ?? []).forEach((c, i) => {
      if (isRecord(c) && 'extract' in c) {
        const col = EXTRACT_TO_COLUMN[String(c.extract)];
        ctx.addIssue({
          code: 'custom',
          path: [i],
          message:
            `the documented {name, extract} form is not supported (detectkit refuses it too); ` +
            (col
              ? `write '${col}' and use '${col}' instead of ${shown(c.name)} in seasonality_components`
              : `extract ${shown(c.extract)} has no equivalent. Allowed: ${SEASONALITY_COLUMNS.join(', ')}`),
        });
      } else if (typeof c !== 'string' || !SEASONALITY_COLUMNS.includes(c)) {
        ctx.addIssue({
          code: 'custom',
          path: [i],
          message: `Invalid seasonality column: ${shown(c)}. Allowed: ${SEASONALITY_COLUMNS.join(', ')}`,
        });
      } else if (seen.has(c)) {
        ctx.addIssue({ code: 'custom', path: [i], message: `Duplicate seasonality columns not allowed: '${c}'` });
      }
      seen.add(c);
    });
  })
  .transform((v) => (v ?? []) as string[]);

export const queryColumnsSchema = z.strictObject(
  {
    timestamp: z.string({ error: 'query_columns.timestamp must be a column name' }).min(1).default('timestamp'),
    metric: z.string({ error: 'query_columns.metric must be a column name' }).min(1).default('value'),
    seasonality: z
      .array(z.string({ error: 'each query_columns.seasonality entry must be a column name' }), {
        error: 'query_columns.seasonality must be a list of column names',
      })
      .nullish(),
  },
  {
    error: (iss) =>
      iss.code === 'invalid_type' ? 'query_columns must be a mapping (timestamp, metric, seasonality)' : undefined,
  }
);

export const metricConfigSchema = z
  .strictObject(
    {
      name: z
        .string({ error: 'name is required: the metric name (letters, digits, _ and -)' })
        .refine((s) => s.length > 0, { error: 'Metric name cannot be empty' })
        .refine((s) => s.length === 0 || isAlnumName(s), {
          error: 'Metric name can only contain alphanumeric characters, underscores, and dashes',
        }),
      description: z.string({ error: 'description must be a string' }).nullish(),
      tags: tagsSchema,
      /** Parsed and unused, as in detectkit: the profile comes from --profile or profiles.yml. */
      profile: z.string().nullish(),
      query: z.string({ error: 'query must be a string (the SQL template)' }).nullish(),
      /** Relative to the project root (detectkit: the current directory). */
      query_file: z.string({ error: 'query_file must be a path relative to the project root' }).nullish(),
      query_columns: queryColumnsSchema.prefault({}),
      /** Our addition: a non-SQL source (Prometheus, scrape). Replaces `query`/`query_file`. */
      source: sourceConfigSchema.nullish(),
      interval: z.union([z.number(), z.string()], {
        error: "interval is required: seconds (600) or '<number><unit>' ('10min', '1h', '1d')",
      }),
      loading_start_time: dateTimeSchema('loading_start_time').nullish(),
      seasonality_columns: seasonalityColumnsSchema,
      loading_batch_size: z
        .number({ error: 'loading_batch_size must be an integer (allowed: 1..1,000,000)' })
        .int({ error: 'loading_batch_size must be an integer (allowed: 1..1,000,000)' })
        .min(1, { error: 'loading_batch_size must be at least 1' })
        .max(1_000_000, {
          error: 'loading_batch_size too large (max 1,000,000). Use smaller batches to avoid memory issues.',
        })
        .default(10000),
      detectors: z
        .array(detectorConfigSchema, { error: 'detectors must be a list of {type, params}' })
        .nullish()
        .transform((v) => v ?? []),
      alerting: alertConfigSchema.nullish(),
      /** Parsed and unused, as in detectkit. */
      tables: z.strictObject({ datapoints: z.string().nullish(), detections: z.string().nullish() }).nullish(),
      /** `false` skips the metric in `dtk run` (detectkit's docs; its code ignored the flag). */
      enabled: boolean('enabled', true),
    },
    { error: (iss) => (iss.code === 'invalid_type' ? 'a metric file must be a mapping of keys' : undefined) }
  )
  .superRefine((m, ctx) => {
    const hasQuery = m.query !== null && m.query !== undefined;
    const hasFile = m.query_file !== null && m.query_file !== undefined;
    // `source: {type: clickhouse}` is the implicit SQL source spelled out: it still needs query or query_file.
    const hasSource = m.source !== null && m.source !== undefined && m.source.type !== 'clickhouse';
    if (hasSource && (hasQuery || hasFile)) {
      ctx.addIssue({
        code: 'custom',
        path: [hasQuery ? 'query' : 'query_file'],
        message: `'${hasQuery ? 'query' : 'query_file'}' cannot be used with source type '${m.source?.type}': the query goes in source.${m.source?.type === 'scrape' ? 'sample' : 'query'}; remove it`,
      });
    } else if (!hasSource && !hasQuery && !hasFile) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        // detectkit's text, unchanged: users search for it. docs/sources.md lists `source:` as the alternative.
        message: "Either 'query' or 'query_file' must be specified",
      });
    } else if (hasQuery && hasFile) {
      ctx.addIssue({
        code: 'custom',
        path: ['query_file'],
        message: "Only one of 'query' or 'query_file' can be specified, not both",
      });
    }
    if (typeof m.interval === 'number' || typeof m.interval === 'string') {
      const r = parseInterval(m.interval);
      if (!r.ok) {
        ctx.addIssue({ code: 'custom', path: ['interval'], message: r.message });
      }
      const step = m.source?.type === 'prometheus' && m.source.step != null ? parseInterval(m.source.step) : undefined;
      if (r.ok && step?.ok && step.seconds !== r.seconds) {
        ctx.addIssue({
          code: 'custom',
          path: ['source', 'step'],
          message: `source.step (${step.seconds}s) must equal the interval (${r.seconds}s): every point sits on the interval grid; remove source.step`,
        });
      }
    }
  }, everyMapping);

export type MetricConfig = z.output<typeof metricConfigSchema>;

/** detectkit's nested form: `metric: {…}` at the top level is the metric. */
export function unwrapMetric(raw: unknown): { config: unknown; nested: boolean } {
  if (isRecord(raw) && isRecord(raw.metric)) {
    return { config: raw.metric, nested: true };
  }
  return { config: raw, nested: false };
}

/** The seasonality columns a metric offers its detectors: the query's when given, else the derived ones. */
export function availableSeasonalityColumns(m: MetricConfig): string[] {
  return m.query_columns.seasonality ?? m.seasonality_columns;
}
