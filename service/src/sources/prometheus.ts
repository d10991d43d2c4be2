import { z } from 'zod';
import { SourceError } from './errors';
import { displayUrl, httpRequest } from './http';

/**
 * Prometheus `query_range` (also Mimir, Thanos, VictoriaMetrics). Prometheus evaluates the expression at start,
 * start + step, …, end (inclusive); our grid point t stands for [t, t + I), so a load of the grid [start, end)
 * asks for start … end − step with step = I, and every answer lands exactly on a grid point.
 */

/** Prometheus refuses more than 11,000 points per series in one query_range; stay below it. */
export const MAX_POINTS_PER_REQUEST = 10_000;

export interface PromRangeRequest {
  /** Base URL of the server, e.g. http://127.0.0.1:9090 (a trailing slash is fine). */
  url: string;
  query: string;
  stepSeconds: number;
  /** First evaluation (epoch ms, on the step grid). */
  startMs: number;
  /** Last evaluation (epoch ms, inclusive). */
  endMs: number;
  headers: Record<string, string>;
  timeoutMs: number;
  maxBytes?: number;
  /** For messages: `metric 'cpu'`. */
  what: string;
}

/** A query's series, and the warnings Prometheus attached to the answer (e.g. a truncated result). */
export interface PromAnswer {
  series: PromSeries[];
  warnings: string[];
}

export interface PromSeries {
  /** Labels without `__name__`. */
  labels: Record<string, string>;
  /** Canonical label set: `{a="x",b="y"}`, labels sorted by name; `{}` for none. */
  key: string;
  timestamps: number[];
  values: number[];
}

/** `{a="x",b="y"}`: labels sorted by name, `__name__` left out, values escaped as in PromQL. */
export function canonicalLabels(labels: Record<string, string>): string {
  const names = Object.keys(labels)
    .filter((k) => k !== '__name__')
    .sort();
  const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
  return `{${names.map((k) => `${k}="${esc(labels[k]!)}"`).join(',')}}`;
}

/** Prometheus sends sample values as strings: `"1.5"`, `"NaN"`, `"+Inf"`, `"-Inf"`. */
export function promValue(s: string): number {
  switch (s) {
    case 'NaN':
      return NaN;
    case '+Inf':
    case 'Inf':
      return Infinity;
    case '-Inf':
      return -Infinity;
    default: {
      const v = Number(s);
      return s.trim() === '' ? NaN : v;
    }
  }
}

const sampleSchema = z.tuple([z.number(), z.string()]);
// The samples of a matrix are checked while they are converted (below): through zod, a week of 100 series is a
// million tuples copied before use.
const successSchema = z.object({
  status: z.literal('success'),
  data: z.object({
    resultType: z.string(),
    result: z.array(
      z.object({
        metric: z.record(z.string(), z.string()),
        values: z.array(z.unknown()).optional(),
        value: sampleSchema.optional(),
      })
    ),
  }),
  warnings: z.array(z.string()).optional(),
});
const errorSchema = z.object({ status: z.literal('error'), errorType: z.string().optional(), error: z.string() });

/** One query_range call (the caller keeps windows under MAX_POINTS_PER_REQUEST). */
export async function queryRange(req: PromRangeRequest): Promise<PromAnswer> {
  const endpoint = `${req.url.replace(/\/+$/, '')}/api/v1/query_range`;
  const shown = displayUrl(endpoint);
  // A form body, never a hand-built query string: PromQL is full of characters URLs mangle.
  const body = new URLSearchParams({
    query: req.query,
    start: String(req.startMs / 1000),
    end: String(req.endMs / 1000),
    step: String(req.stepSeconds),
  }).toString();
  const res = await httpRequest({
    url: endpoint,
    method: 'POST',
    // Uncompressed: Prometheus gzips a week-long answer slower (≈1.5 s per 30 MB) than a LAN carries it raw.
    headers: {
      'Accept-Encoding': 'identity',
      ...req.headers,
      'Content-Type': 'application/x-www-form-urlencoded',
      Accept: 'application/json',
    },
    body,
    timeoutMs: req.timeoutMs,
    maxBytes: req.maxBytes,
    what: req.what,
  });
  let json: unknown;
  try {
    json = JSON.parse(res.text);
  } catch {
    json = undefined;
  }
  const err = errorSchema.safeParse(json);
  if (err.success) {
    // Prometheus's own words (bad_data for PromQL syntax errors, timeout, execution, …), verbatim.
    throw new SourceError(
      res.status === 401 || res.status === 403 ? 'source_auth' : 'source_query',
      `${req.what}: Prometheus at ${shown} refused the query (${err.data.errorType ?? 'error'}): ${err.data.error}`,
      { details: { query: req.query, status: res.status } }
    );
  }
  if (res.status === 401 || res.status === 403) {
    throw new SourceError(
      'source_auth',
      `${req.what}: ${shown} answered HTTP ${res.status} (${snippet(res.text)}); check source.bearer_token, source.basic_auth or source.headers`
    );
  }
  const ok = successSchema.safeParse(json);
  if (res.status !== 200 || !ok.success) {
    throw new SourceError(
      'source_unreachable',
      `${req.what}: ${shown} answered HTTP ${res.status} with ${ok.success ? 'an error' : 'something that is not a Prometheus API answer'} (${snippet(res.text)}); check that source.url is the Prometheus server's base URL`
    );
  }
  const data = ok.data.data;
  if (data.resultType !== 'matrix') {
    throw new SourceError(
      'source_query',
      `${req.what}: the query returned a ${data.resultType}, not a range vector; use an expression that yields series (a scalar: wrap it in vector(...))`
    );
  }
  const series = data.result.map((r) => {
    const labels: Record<string, string> = {};
    for (const [k, v] of Object.entries(r.metric)) {
      if (k !== '__name__') {
        labels[k] = v;
      }
    }
    const key = canonicalLabels(labels);
    const samples = r.values ?? [];
    const timestamps = new Array<number>(samples.length);
    const values = new Array<number>(samples.length);
    for (let i = 0; i < samples.length; i++) {
      const p = samples[i] as [unknown, unknown];
      if (!Array.isArray(p) || typeof p[0] !== 'number' || typeof p[1] !== 'string') {
        throw new SourceError(
          'source_unreachable',
          `${req.what}: ${shown} answered a sample that is not [time, "value"] in series ${key} (${snippet(JSON.stringify(p) ?? '')}); check that source.url is a Prometheus-compatible API`
        );
      }
      // Prometheus sends float seconds; on a whole-second step they are exact after rounding to ms.
      timestamps[i] = Math.round(p[0] * 1000);
      values[i] = promValue(p[1]);
    }
    return { labels, key, timestamps, values };
  });
  return { series, warnings: ok.data.warnings ?? [] };
}

function snippet(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length === 0 ? 'empty body' : JSON.stringify(t.length > 200 ? `${t.slice(0, 200)}…` : t);
}
