import type { MetricDetail } from '../../../common/api/metrics';
import { toServiceError } from '../../api/errors';
import { getMetric } from '../../api/service';

/** `cpu{instance="a"}` → `cpu`: the definition a fan-out series belongs to; null for a plain name. */
export function seriesBase(name: string): string | null {
  const brace = name.indexOf('{');
  return brace > 0 && name.endsWith('}') ? name.slice(0, brace) : null;
}

export interface LoadedMetric {
  detail: MetricDetail;
  /** Set when the page shows one series of a fan-out definition (`detail` is then the definition). */
  seriesName: string | null;
}

/**
 * The metric a detail page names. The service lists definitions, not the series of a fan-out Prometheus metric, so
 * a series name resolves to its definition and the page then shows that one series.
 */
export async function loadMetric(name: string): Promise<LoadedMetric> {
  try {
    return { detail: await getMetric(name), seriesName: null };
  } catch (e) {
    const base = seriesBase(name);
    if (base && toServiceError(e).kind === 'not_found') {
      return { detail: await getMetric(base), seriesName: name };
    }
    throw e;
  }
}
