import { SourceError } from './errors';
import type { ExpositionSample } from './exposition';
import { gridRange, gridTimestamps, placeRows } from './grid';
import { canonicalLabels, type PromSeries } from './prometheus';
import { checkTimeFeatures, timeSeasonality } from './seasonality';
import type { PromQuery, SharedFetch } from './sharedFetch';

/** What a source returns for a load: the grid [from, to) as in docs/sources.md (structurally the pipeline's LoadedPoints). */
export interface GridPoints {
  timestamps: Float64Array;
  values: Float64Array;
  seasonalityData: string[];
  seasonalityColumns: string;
  /** What the source said besides the data (e.g. Prometheus warnings), for the run's output and log. */
  warnings?: string[];
}

const EMPTY: GridPoints = {
  timestamps: new Float64Array(0),
  values: new Float64Array(0),
  seasonalityData: [],
  seasonalityColumns: '',
};

function withSeasonality(timestamps: Float64Array, values: Float64Array, columns: readonly string[]): GridPoints {
  return {
    timestamps,
    values,
    seasonalityData: timeSeasonality(checkTimeFeatures(columns), timestamps),
    seasonalityColumns: columns.join(','),
  };
}

/**
 * One series of a Prometheus query over [from, to). As with SQL sources, a window where the series has no point
 * stores nothing (retried next run: Prometheus may not have ingested it yet), and the points after its last sample
 * are left for the next run too; gaps before a sample are stored as missing.
 */
export async function loadPromSeries(
  shared: SharedFetch,
  q: PromQuery,
  seriesKey: string,
  fromMs: number,
  toMs: number,
  intervalSeconds: number,
  seasonalityColumns: readonly string[]
): Promise<GridPoints> {
  const range = gridRange(fromMs, toMs, intervalSeconds);
  if (range.length === 0) {
    return EMPTY;
  }
  const { series, warnings } = await shared.promSeries(q, seriesKey, range.start, range.end);
  const points = series ? placeSeries(series, range, seasonalityColumns) : EMPTY;
  return warnings.length > 0
    ? { ...points, warnings: warnings.map((w) => `Prometheus warning for ${q.what}: ${w}`) }
    : points;
}

function placeSeries(
  s: PromSeries,
  range: ReturnType<typeof gridRange>,
  seasonalityColumns: readonly string[]
): GridPoints {
  const placed = placeRows(range, s.timestamps);
  let last = -1;
  for (let i = 0; i < placed.rowAt.length; i++) {
    if (placed.rowAt[i] !== -1) {
      last = i;
    }
  }
  if (last === -1) {
    return EMPTY;
  }
  const timestamps = gridTimestamps({ ...range, length: last + 1, end: range.start + (last + 1) * range.stepMs });
  const values = new Float64Array(last + 1).fill(NaN);
  for (let i = 0; i <= last; i++) {
    const r = placed.rowAt[i]!;
    if (r !== -1) {
      values[i] = s.values[r]!;
    }
  }
  return withSeasonality(timestamps, values, seasonalityColumns);
}

/** Series of a query over a window, with the `max_series` guard: what fan-out turns into metrics. */
export async function discoverSeries(
  shared: SharedFetch,
  q: PromQuery,
  startMs: number,
  endMs: number,
  maxSeries: number
): Promise<PromSeries[]> {
  const series = await shared.promRange(q, startMs, endMs);
  if (series.length > maxSeries) {
    throw new SourceError(
      'source_query',
      `${q.what}: the query returned ${series.length} series, more than source.max_series (${maxSeries}); ` +
        'aggregate or filter it (e.g. sum by (instance) (...), or a label matcher) or raise source.max_series'
    );
  }
  return series.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

export interface ScrapeSpec {
  url: string;
  sample: string;
  labels: Record<string, string>;
  timeoutMs: number;
  what: string;
}

/** The one sample a scrape metric reads; zero or several matches are configuration errors with the candidates. */
export function selectSample(samples: ExpositionSample[], spec: ScrapeSpec): number {
  const named = samples.filter((s) => s.name === spec.sample);
  const matching = named.filter((s) => Object.entries(spec.labels).every(([k, v]) => s.labels[k] === v));
  if (matching.length === 1) {
    return matching[0]!.value;
  }
  const list = (xs: ExpositionSample[]) =>
    xs
      .slice(0, 5)
      .map((s) => `${s.name}${canonicalLabels(s.labels)}`)
      .join(', ') + (xs.length > 5 ? `, … (${xs.length} in all)` : '');
  if (matching.length > 1) {
    throw new SourceError(
      'config_invalid',
      `${spec.what}: ${matching.length} samples match ${spec.sample}${canonicalLabels(spec.labels)} in ${spec.url} (${list(matching)}); add source.labels to pick one`
    );
  }
  throw new SourceError(
    'config_invalid',
    named.length > 0
      ? `${spec.what}: no ${spec.sample} sample has the labels ${canonicalLabels(spec.labels)} in ${spec.url}; found ${list(named)}`
      : `${spec.what}: the exposition of ${spec.url} has no sample named ${spec.sample} (${samples.length} samples); check source.sample (the exact sample name, e.g. with _total)`
  );
}

/**
 * A scrape is an instant reading: the value goes on the grid point of the interval the scrape happened in. Earlier
 * points of the window can never be scraped any more and are stored as missing; a window that does not reach the
 * scrape's interval (a historical --to) is all missing.
 */
export async function loadScrape(
  shared: SharedFetch,
  spec: ScrapeSpec,
  fromMs: number,
  toMs: number,
  intervalSeconds: number,
  seasonalityColumns: readonly string[]
): Promise<GridPoints> {
  const range = gridRange(fromMs, toMs, intervalSeconds);
  if (range.length === 0) {
    return EMPTY;
  }
  const scrape = await shared.scrape(spec.url, spec.timeoutMs, spec.what);
  const value = selectSample(scrape.samples, spec);
  const timestamps = gridTimestamps(range);
  const values = new Float64Array(range.length).fill(NaN);
  const at = Math.floor(scrape.atMs / range.stepMs) * range.stepMs;
  if (at >= range.start && at < range.end) {
    values[(at - range.start) / range.stepMs] = value;
  }
  return withSeasonality(timestamps, values, seasonalityColumns);
}
