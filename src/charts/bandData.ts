import type uPlot from 'uplot';
import type { SeriesResponse } from '../../common/api/series';

/**
 * SeriesResponse[] → what uPlot draws, without touching the DOM: one shared x column (epoch ms), then every
 * detector's upper and lower bound, then every value line. Bands come first so the value lines are drawn over
 * them. Columns without gaps become Float64Arrays (uPlot iterates them fastest); a column with gaps stays a
 * plain array, because uPlot reads `null` as a gap and a typed array cannot hold one.
 */

export type Column = Float64Array | Array<number | null>;

export interface BandDetector {
  /** Stable key of the legend item, also used to hide it: `d:<metric>:<detectorId>`. */
  key: string;
  id: string;
  name: string;
  color: string;
  /** uPlot series indices of the band's edges. */
  upperIdx: number;
  lowerIdx: number;
  upper: Column;
  lower: Column;
  /** The service's score per point (not drawn: the tooltip shows it). */
  score: Column;
  /** Indices into x where the detector flagged the point (and the point has a value), ascending. */
  anomalies: Uint32Array;
}

export interface BandMetric {
  /** `m:<metric>`. */
  key: string;
  name: string;
  color: string;
  valueIdx: number;
  values: Column;
  detectors: BandDetector[];
}

export interface BandModel {
  /** Epoch ms, ascending, unique: the union of every series' timestamps. */
  x: Float64Array;
  data: uPlot.AlignedData;
  metrics: BandMetric[];
  /** Changes when the series layout (names, detectors, colours) changes; equal layouts take `setData` only. */
  layout: string;
  anomalyCount: number;
}

export interface BuildOptions {
  /** Detector ids to show; every detector when absent. */
  detectors?: string[];
  /** CSS colours handed out in order: a metric, then each of its detectors, then the next metric. */
  colors: string[];
}

export function buildBandModel(data: SeriesResponse[], opts: BuildOptions): BandModel {
  const shown = opts.detectors ? new Set(opts.detectors) : null;
  const sorted = data.map(sortByTime);
  const { x, maps } = alignTimestamps(sorted.map((s) => s.timestamps));
  const n = x.length;
  const palette = opts.colors.length > 0 ? opts.colors : ['#73BF69'];
  let nextColor = 0;
  const color = () => palette[nextColor++ % palette.length]!;

  const bandColumns: Column[] = [];
  const valueColumns: Column[] = [];
  const metrics: BandMetric[] = [];
  let anomalyCount = 0;
  sorted.forEach((s, k) => {
    const map = maps[k] ?? null;
    const metricColor = color();
    const values = toColumn(s.values, map, n);
    const detectors: BandDetector[] = [];
    for (const d of s.detectors) {
      if (shown && !shown.has(d.detectorId)) {
        continue;
      }
      const anomalies = anomalyIndices(d.anomaly, s.values, map);
      anomalyCount += anomalies.length;
      bandColumns.push(toColumn(d.upper, map, n), toColumn(d.lower, map, n));
      detectors.push({
        key: `d:${s.metric}:${d.detectorId}`,
        id: d.detectorId,
        name: d.detectorName,
        color: color(),
        // 1-based (x is column 0); the value lines' indices are fixed below, once every band is placed.
        upperIdx: bandColumns.length - 1,
        lowerIdx: bandColumns.length,
        upper: bandColumns[bandColumns.length - 2]!,
        lower: bandColumns[bandColumns.length - 1]!,
        score: toColumn(d.score, map, n),
        anomalies,
      });
    }
    valueColumns.push(values);
    metrics.push({ key: `m:${s.metric}`, name: s.metric, color: metricColor, valueIdx: -1, values, detectors });
  });
  metrics.forEach((m, i) => (m.valueIdx = 1 + bandColumns.length + i));

  const layout = JSON.stringify(metrics.map((m) => [m.name, m.color, m.detectors.map((d) => [d.id, d.name, d.color])]));
  return { x, data: [x, ...bandColumns, ...valueColumns] as uPlot.AlignedData, metrics, layout, anomalyCount };
}

/** The service returns points in time order; anything else (a hand-made frame) is sorted here once. */
function sortByTime(s: SeriesResponse): SeriesResponse {
  const ts = s.timestamps;
  let ordered = true;
  for (let i = 1; i < ts.length && ordered; i++) {
    ordered = ts[i - 1]! <= ts[i]!;
  }
  if (ordered) {
    return s;
  }
  const order = ts.map((_, i) => i).sort((a, b) => ts[a]! - ts[b]!);
  const pick = <T>(xs: T[]) => order.map((i) => xs[i]!);
  return {
    metric: s.metric,
    timestamps: pick(ts),
    values: pick(s.values),
    detectors: s.detectors.map((d) => ({
      ...d,
      lower: pick(d.lower),
      upper: pick(d.upper),
      anomaly: pick(d.anomaly),
      score: pick(d.score),
    })),
  };
}

/**
 * One x column for all series. Series of one query share their timestamps, which is the fast path (no index
 * maps). Otherwise x is the sorted union and maps[k][i] is where point i of series k lands.
 */
export function alignTimestamps(all: number[][]): { x: Float64Array; maps: Array<Int32Array | null> } {
  const first = all[0] ?? [];
  const same = all.every((ts) => ts === first || (ts.length === first.length && ts.every((t, i) => t === first[i])));
  if (same) {
    return { x: Float64Array.from(first), maps: all.map(() => null) };
  }
  const merged = new Float64Array(all.reduce((n, ts) => n + ts.length, 0));
  let at = 0;
  for (const ts of all) {
    merged.set(ts, at);
    at += ts.length;
  }
  merged.sort();
  let unique = 0;
  for (let i = 0; i < merged.length; i++) {
    if (i === 0 || merged[i] !== merged[unique - 1]) {
      merged[unique++] = merged[i]!;
    }
  }
  const x = merged.slice(0, unique);
  const maps = all.map((ts) => {
    const map = new Int32Array(ts.length);
    let j = 0;
    for (let i = 0; i < ts.length; i++) {
      while (x[j]! < ts[i]!) {
        j++;
      }
      map[i] = j;
    }
    return map;
  });
  return { x, maps };
}

function toColumn(values: Array<number | null>, map: Int32Array | null, n: number): Column {
  if (map === null) {
    return values.includes(null) ? values : Float64Array.from(values as number[]);
  }
  const out: Array<number | null> = new Array(n).fill(null);
  for (let i = 0; i < values.length; i++) {
    out[map[i]!] = values[i] ?? null;
  }
  return out;
}

function anomalyIndices(flags: boolean[], values: Array<number | null>, map: Int32Array | null): Uint32Array {
  const out: number[] = [];
  for (let i = 0; i < flags.length; i++) {
    // A flagged point without a value has nowhere to be drawn.
    if (flags[i] && values[i] !== null && values[i] !== undefined) {
      out.push(map ? map[i]! : i);
    }
  }
  return Uint32Array.from(out);
}

/** Value of a column at an aligned index; null for a gap. */
export function at(column: Column, idx: number): number | null {
  const v = column[idx];
  return v === undefined || v === null || Number.isNaN(v) ? null : v;
}

/** Whether a sorted index list holds idx (binary search: anomaly lists are short, lookups happen on hover). */
export function hasIndex(sorted: Uint32Array, idx: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = sorted[mid]!;
    if (v === idx) {
      return true;
    }
    if (v < idx) {
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return false;
}
