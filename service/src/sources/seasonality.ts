import { orjsonValue } from '../detectors/pyRepr';
import { TIME_FEATURES, isTimeFeature, timeFeature, type TimeFeature } from '../detectors/timeFeatures';
import { baseType, isFloatType } from './cells';
import { SourceError } from './errors';

/**
 * Per-point seasonality as detectkit stores it in `_dtk_datapoints.seasonality_data`: compact JSON with sorted keys
 * (orjson `OPT_SORT_KEYS`), e.g. `{"day_of_week":5,"hour":15,"is_weekend":true,"month":1}`; `{}` when there is none.
 */

export const EMPTY_SEASONALITY = '{}';

/** detectkit's validation of `seasonality_columns`, with its messages. */
export function checkTimeFeatures(columns: readonly string[]): TimeFeature[] {
  const seen = new Set<string>();
  for (const c of columns) {
    if (!isTimeFeature(c)) {
      throw new SourceError(
        'config_invalid',
        `Invalid seasonality column: '${c}'. Allowed: ${[...TIME_FEATURES].sort().join(', ')}`,
        { details: { column: c } }
      );
    }
    if (seen.has(c)) {
      throw new SourceError('config_invalid', 'Duplicate seasonality columns not allowed', { details: { column: c } });
    }
    seen.add(c);
  }
  return columns as TimeFeature[];
}

/** `{"k":v,...}` from already-encoded JSON values, keys in code-point order like Python's `sorted`. */
export function objectJson(entries: Array<[string, string]>): string {
  if (entries.length === 0) {
    return EMPTY_SEASONALITY;
  }
  const sorted = [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${sorted.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`;
}

const HOUR_MS = 3600000;

/** Features of UTC timestamps (reference §6.3), computed by the detectors' own code so both sides agree. */
export function timeSeasonality(columns: readonly TimeFeature[], timestamps: Float64Array): string[] {
  const out = new Array<string>(timestamps.length);
  if (columns.length === 0) {
    return out.fill(EMPTY_SEASONALITY);
  }
  // A year of minutes is half a million points, but every feature is constant within a UTC hour: compute the
  // JSON once per distinct hour and share it.
  const hourIndex = new Map<number, number>();
  const hours: number[] = [];
  const slot = new Int32Array(timestamps.length);
  for (let i = 0; i < timestamps.length; i++) {
    const h = Math.floor(timestamps[i]! / HOUR_MS) * HOUR_MS;
    let k = hourIndex.get(h);
    if (k === undefined) {
      k = hours.length;
      hours.push(h);
      hourIndex.set(h, k);
    }
    slot[i] = k;
  }
  const hourTs = Float64Array.from(hours);
  const sorted = [...columns].sort();
  const features = sorted.map((c) => timeFeature(c, hourTs));
  const json = hours.map((_, k) => objectJson(sorted.map((c, j) => [c, JSON.stringify(features[j]![k] ?? null)])));
  for (let i = 0; i < timestamps.length; i++) {
    out[i] = json[slot[i]!]!;
  }
  return out;
}

/**
 * orjson's encoding of one query cell as the Python driver would have returned it: floats keep `.0`, NaN and ±inf
 * become null, 128/256-bit integers and decimals (quoted in JSON output) are numbers; everything else as returned.
 */
export function cellJson(cell: unknown, type: string): string {
  if (cell === null || cell === undefined) {
    return 'null';
  }
  const float = isFloatType(type);
  if (typeof cell === 'number') {
    return orjsonValue(cell, float);
  }
  if (typeof cell === 'string') {
    if (float) {
      const v = Number(cell);
      return Number.isFinite(v) ? orjsonValue(v, true) : 'null';
    }
    if (/^(?:U?Int\d+|Decimal\d*\(.*\))$/.test(baseType(type)) && /^-?\d+(?:\.\d+)?$/.test(cell)) {
      return cell;
    }
  }
  return JSON.stringify(cell);
}
