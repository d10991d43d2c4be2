import type { DetectorInput, SeasonalityKey } from '../../../common/detectors';
import { isTimeFeature, timeFeature } from '../detectors';
import type { Series } from '../storage';

/** The seasonality columns a detector groups by (flattened `seasonality_components`). */
export function seasonalityNeeds(params: Record<string, unknown>): string[] {
  const comps = params.seasonality_components;
  if (!Array.isArray(comps)) {
    return [];
  }
  return [...new Set(comps.flatMap((c) => (Array.isArray(c) ? c.map(String) : [String(c)])))];
}

/**
 * Builds a detector's input from stored datapoints: seasonality keys come from the stored
 * `seasonality_data` JSON, or are derived from the timestamp for the standard time features.
 */
export function detectorInput(series: Series, needs: string[]): DetectorInput {
  if (needs.length === 0) {
    return { timestamps: series.timestamps, values: series.values };
  }
  const n = series.timestamps.length;
  const seasonality: Record<string, ArrayLike<SeasonalityKey>> = {};
  const parsed = series.seasonalityData?.map((s) =>
    s && s !== '{}' ? (JSON.parse(s) as Record<string, SeasonalityKey>) : {}
  );
  for (const col of needs) {
    const stored = parsed?.some((p) => col in p);
    if (stored && parsed) {
      seasonality[col] = parsed.map((p) => p[col] ?? null);
    } else if (isTimeFeature(col)) {
      seasonality[col] = timeFeature(col, series.timestamps.subarray(0, n));
    } else {
      seasonality[col] = new Array<SeasonalityKey>(n).fill(null);
    }
  }
  return { timestamps: series.timestamps, values: series.values, seasonality };
}
