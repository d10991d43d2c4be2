import { RECOMMENDED_DETECTOR_TYPE } from '../../../common/detectors/types';
import type { SourceType } from '../../../common/api/metrics';

/**
 * The editor edits one object: the metric definition in the very shape of a metric YAML file
 * (common/config/metric.ts, docs/configuration.md). Keys the form does not show (query_file, tables, templates,
 * source headers, …) are kept as they were, so saving never drops what someone wrote elsewhere.
 */
export type Definition = Record<string, unknown>;
export type Path = Array<string | number>;

export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export function getIn(obj: unknown, path: Path): unknown {
  let cur = obj;
  for (const k of path) {
    if (Array.isArray(cur) && typeof k === 'number') {
      cur = cur[k];
    } else if (isRecord(cur) && typeof k === 'string') {
      cur = cur[k];
    } else {
      return undefined;
    }
  }
  return cur;
}

/** A copy of `obj` with the value at `path` replaced; `undefined` removes the key (the default then applies). */
export function setIn<T>(obj: T, path: Path, value: unknown): T {
  if (path.length === 0) {
    return value as T;
  }
  const [head, ...rest] = path;
  if (typeof head === 'number') {
    const arr = Array.isArray(obj) ? [...obj] : [];
    arr[head] = setIn(arr[head], rest, value);
    return arr as T;
  }
  const rec: Record<string, unknown> = isRecord(obj) ? { ...obj } : {};
  const next = setIn(rec[head as string], rest, value);
  if (next === undefined) {
    delete rec[head as string];
  } else {
    rec[head as string] = next;
  }
  return rec as T;
}

/** `a.b[0].c` — the spelling of key paths in the service's messages. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const s of path) {
    out += typeof s === 'number' ? `[${s}]` : out ? `.${String(s)}` : String(s);
  }
  return out;
}

export const EXAMPLE_SQL = `SELECT toStartOfInterval(timestamp, INTERVAL {{ interval_seconds }} SECOND) AS timestamp,
       avg(value) AS value
FROM my_database.my_table
WHERE timestamp >= toDateTime('{{ dtk_start_time }}', 'UTC')
  AND timestamp < toDateTime('{{ dtk_end_time }}', 'UTC')
GROUP BY timestamp
ORDER BY timestamp`;

/**
 * What "New metric" starts from: a SQL source, ten minutes, the recommended detector with its defaults (the
 * benchmarked configuration: no tuning needed), no alerting.
 */
export function newDefinition(): Definition {
  return {
    name: '',
    interval: '10min',
    query: EXAMPLE_SQL,
    detectors: [{ type: RECOMMENDED_DETECTOR_TYPE, params: {} }],
  };
}

/** The source as the editor shows it: no `source:` key is detectkit's SQL source. */
export function sourceTypeOf(def: Definition): SourceType {
  const t = getIn(def, ['source', 'type']);
  return t === 'prometheus' || t === 'scrape' ? t : 'clickhouse';
}

/**
 * Switches the source, keeping what still applies: the URL between Prometheus and scrape. A SQL query and a
 * `source:` of another type cannot coexist (the schema refuses both), so one is removed.
 */
export function withSourceType(def: Definition, type: SourceType): Definition {
  if (type === sourceTypeOf(def)) {
    return def;
  }
  const url = getIn(def, ['source', 'url']);
  const next: Definition = { ...def };
  if (type === 'clickhouse') {
    delete next.source;
    next.query = typeof def.query === 'string' && def.query ? def.query : EXAMPLE_SQL;
    return next;
  }
  delete next.query;
  delete next.query_file;
  next.source =
    type === 'prometheus'
      ? { type, url: typeof url === 'string' ? url : '', query: '' }
      : { type, url: typeof url === 'string' ? url : '', sample: '' };
  return next;
}

/** `600` stays a number of seconds (as in YAML); anything else is kept as written (`10min`, `1h`). */
export function intervalFromInput(text: string): string | number | undefined {
  const t = text.trim();
  if (!t) {
    return undefined;
  }
  return /^\d+$/.test(t) ? Number(t) : t;
}
