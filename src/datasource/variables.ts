import type { MetricFindValue } from '@grafana/data';
import type { MetricDetail, MetricSummary } from '../../common/api/metrics';

/**
 * Template variable queries (the data source's `metricFindQuery`):
 *
 * - `metrics()` — every metric; `metrics(tag)` — the metrics with that tag
 * - `tags()` — every tag used by a metric
 * - `detectors(metric)` — the metric's detectors (text: name, value: detector id)
 * - `series(metric)` — the stored series of a fan-out (Prometheus) metric, `name{label="v"}`
 *
 * An empty query means `metrics()`.
 */
export type VariableQuery =
  | { kind: 'metrics'; tag?: string }
  | { kind: 'tags' }
  | { kind: 'detectors'; metric: string }
  | { kind: 'series'; metric: string };

const CALL = /^\s*(metrics|tags|detectors|series)\s*\(\s*(.*?)\s*\)\s*$/s;

export function parseVariableQuery(query: string): VariableQuery {
  if (query.trim() === '') {
    return { kind: 'metrics' };
  }
  const m = CALL.exec(query);
  if (!m) {
    throw new Error(
      `unknown variable query "${query}": use metrics(), metrics(<tag>), tags(), detectors(<metric>) or series(<metric>)`
    );
  }
  const fn = m[1]!;
  const arg = unquote(m[2]!);
  switch (fn) {
    case 'metrics':
      return arg ? { kind: 'metrics', tag: arg } : { kind: 'metrics' };
    case 'tags':
      return { kind: 'tags' };
    default:
      if (!arg) {
        throw new Error(`${fn}() needs a metric name, e.g. ${fn}(cpu_usage)`);
      }
      return { kind: fn as 'detectors' | 'series', metric: arg };
  }
}

/** Arguments may be quoted: metrics("team a"). */
function unquote(s: string): string {
  const q = /^(['"])(.*)\1$/s.exec(s);
  return q ? q[2]! : s;
}

const byText = (a: MetricFindValue, b: MetricFindValue) => String(a.text).localeCompare(String(b.text));

/** Values of a metrics() or tags() query from the metric list. */
export function listValues(
  q: Extract<VariableQuery, { kind: 'metrics' | 'tags' }>,
  metrics: MetricSummary[]
): MetricFindValue[] {
  if (q.kind === 'tags') {
    return [...new Set(metrics.flatMap((m) => m.tags))].map((t) => ({ text: t, value: t })).sort(byText);
  }
  return metrics
    .filter((m) => !q.tag || m.tags.includes(q.tag))
    .map((m) => ({ text: m.name, value: m.name }))
    .sort(byText);
}

/** Values of a detectors() or series() query from the metric's detail. */
export function detailValues(
  q: Extract<VariableQuery, { kind: 'detectors' | 'series' }>,
  metric: MetricDetail
): MetricFindValue[] {
  if (q.kind === 'detectors') {
    return metric.detectors.map((d) => ({ text: d.name, value: d.id }));
  }
  return metric.series.map((s) => ({ text: s, value: s }));
}
