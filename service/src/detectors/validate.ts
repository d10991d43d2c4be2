import type { SeasonalityComponent } from '../../../common/detectors';
import { DtkError } from '../errors';
import { ID_EXCLUDED_PARAMS } from './detectorId';
import { where, type Detector, type DetectorContext } from './registry';

/**
 * Metric-level checks that need more than one detector or the metric's columns (reference §11.1 items 14, 15).
 */

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * detectkit's id ignores seasonality, smoothing and weight-decay parameters, so two detectors of one metric
 * differing only there would write over each other's detections. We keep the id (stored rows stay readable)
 * and refuse the configuration instead.
 */
export function checkDetectorIdCollisions(metric: string | undefined, detectors: Detector[]): void {
  const seen = new Map<string, number>();
  detectors.forEach((d, idx) => {
    const first = seen.get(d.identity.id);
    if (first === undefined) {
      seen.set(d.identity.id, idx);
      return;
    }
    const other = detectors[first]!;
    const a = other.params as Record<string, unknown>;
    const b = d.params as Record<string, unknown>;
    const differing = ID_EXCLUDED_PARAMS.filter((k) => !same(a[k], b[k]));
    const head = `${metric !== undefined ? `metric '${metric}': ` : ''}detectors #${first + 1} and #${idx + 1} (${d.type})`;
    const fix =
      'remove one, or make them differ in a parameter that is part of the id (threshold, window_size, min_samples, input_type, smoothing, window_weights)';
    if (differing.length === 0) {
      throw new DtkError('config_invalid', `${head} are identical (detector_id ${d.identity.id}): ${fix}`);
    }
    throw new DtkError(
      'config_invalid',
      `${head} differ only in ${differing.join(', ')}, which detectkit's detector_id ignores: both would be stored as ` +
        `detector_id ${d.identity.id} and overwrite each other's detections; ${fix}`
    );
  });
}

/** A seasonality component must name a column the metric provides (detectkit silently ignored misspellings). */
export function checkSeasonalityColumns(
  components: SeasonalityComponent[] | null | undefined,
  available: readonly string[],
  ctx: DetectorContext & { type?: string } = {}
): void {
  for (const component of components ?? []) {
    for (const col of typeof component === 'string' ? [component] : component) {
      if (!available.includes(col)) {
        throw new DtkError(
          'config_invalid',
          `${where(ctx, ctx.type)}seasonality_components: unknown seasonality column '${col}' ` +
            `(allowed: ${available.length ? available.join(', ') : 'none — set seasonality_columns or query_columns.seasonality'})`
        );
      }
    }
  }
}
