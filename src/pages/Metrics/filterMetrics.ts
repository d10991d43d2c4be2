import type { MetricSummary } from '../../../common/api/metrics';

export interface MetricFilter {
  /** Free text: matched against name, description, tags, source type and detector names. */
  text: string;
  /** Every selected tag must be on the metric. */
  tags: string[];
}

export function filterMetrics(metrics: MetricSummary[], f: MetricFilter): MetricSummary[] {
  const words = f.text.toLowerCase().split(/\s+/).filter(Boolean);
  return metrics.filter((m) => {
    if (!f.tags.every((t) => m.tags.includes(t))) {
      return false;
    }
    if (words.length === 0) {
      return true;
    }
    const haystack = [
      m.name,
      m.description ?? '',
      m.sourceType ?? '',
      m.origin,
      ...m.tags,
      ...m.detectors.map((d) => d.name),
    ]
      .join(' ')
      .toLowerCase();
    return words.every((w) => haystack.includes(w));
  });
}

/** Every tag in use, sorted, for the filter pills. */
export function allTags(metrics: MetricSummary[]): string[] {
  return [...new Set(metrics.flatMap((m) => m.tags))].sort();
}
