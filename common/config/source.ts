import { z } from 'zod';
import { shown } from './aliases';
import { parseInterval } from './interval';

/**
 * A metric's `source:` (our addition; detectkit metric files never have it, their source is the ClickHouse
 * `query`/`query_file`). Secrets (`bearer_token`, `basic_auth.password`, header values) are interpolated from the
 * environment like profiles (`${VAR}`) and never logged.
 */

export const SOURCE_TYPES = ['prometheus', 'scrape', 'clickhouse'] as const;

const httpUrl = (what: string) =>
  z
    .string({ error: `${what} must be an http(s) URL, e.g. http://127.0.0.1:9090` })
    .refine((s) => /^https?:\/\/[^\s/]+/.test(s), {
      error: (iss) => `${what} must be an http(s) URL, e.g. http://127.0.0.1:9090; got ${shown(iss.input)}`,
    });

const duration = (name: string) =>
  z
    .union([z.number(), z.string()], { error: `${name} must be a duration: seconds (30) or '30s', '1min'` })
    .refine((v) => parseInterval(v).ok, {
      error: (iss) => `${name} must be a duration: seconds (30) or '30s', '1min'; got ${shown(iss.input)}`,
    });

const headers = z.record(z.string(), z.string({ error: 'each header value must be a string' }), {
  error: 'headers must be a mapping of header names to values',
});

export const prometheusSourceSchema = z.strictObject({
  type: z.literal('prometheus'),
  /** The server's base URL (Prometheus, Mimir, Thanos, VictoriaMetrics): `/api/v1/query_range` is appended. */
  url: httpUrl('source.url'),
  query: z
    .string({ error: 'query is required: a PromQL expression, e.g. rate(http_requests_total[5m])' })
    .refine((s) => s.trim().length > 0, { error: 'source.query cannot be empty' }),
  /** Defaults to the metric's interval; anything else would put points off the grid. */
  step: duration('source.step').nullish(),
  headers: headers.nullish(),
  bearer_token: z.string({ error: 'source.bearer_token must be a string (use ${VAR} for secrets)' }).nullish(),
  basic_auth: z
    .strictObject(
      {
        username: z.string({ error: 'username is required' }),
        password: z.string({ error: 'password is required (use ${VAR} for secrets)' }),
      },
      { error: 'source.basic_auth must be a mapping {username, password}' }
    )
    .nullish(),
  timeout: duration('source.timeout').nullish(),
  max_series: z
    .number({ error: 'source.max_series must be an integer' })
    .int({ error: 'source.max_series must be an integer' })
    .min(1, { error: 'source.max_series must be at least 1' })
    .default(100),
});

export const scrapeSourceSchema = z.strictObject({
  type: z.literal('scrape'),
  /** A Prometheus text 0.0.4 / OpenMetrics exposition endpoint, e.g. http://127.0.0.1:9100/metrics. */
  url: httpUrl('source.url'),
  /** The exact sample name (`node_load1`, `http_requests_total`, `..._bucket`). */
  sample: z
    .string({ error: 'sample is required: the sample name to read, e.g. node_load1' })
    .regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, { error: 'source.sample must be a metric name like node_load1' }),
  /** Label values the sample must have; exactly one sample must match. */
  labels: z.record(z.string(), z.string({ error: 'each label value must be a string' })).nullish(),
  timeout: duration('source.timeout').nullish(),
});

/** The implicit source of detectkit files: `query`/`query_file` on the store's engine. */
export const clickhouseSourceSchema = z.strictObject({ type: z.literal('clickhouse') });

export const sourceConfigSchema = z.discriminatedUnion(
  'type',
  [prometheusSourceSchema, scrapeSourceSchema, clickhouseSourceSchema],
  {
    error: (iss) =>
      iss.code === 'invalid_union' || iss.code === 'invalid_type'
        ? `source.type must be one of: ${SOURCE_TYPES.join(', ')}` +
          ((iss.input as { type?: unknown } | undefined)?.type !== undefined
            ? `; got ${shown((iss.input as { type?: unknown }).type)}`
            : '')
        : undefined,
  }
);

export type SourceConfig = z.output<typeof sourceConfigSchema>;
export type PrometheusSourceConfig = z.output<typeof prometheusSourceSchema>;
export type ScrapeSourceConfig = z.output<typeof scrapeSourceSchema>;

/** Seconds of a duration the schema accepted. */
export function durationSeconds(v: number | string | null | undefined, def: number): number {
  if (v === null || v === undefined) {
    return def;
  }
  const r = parseInterval(v);
  return r.ok ? r.seconds : def;
}
