import type { Store, TimeRange } from '../storage';
import { JsonColumn } from './jsonColumn';
import { detectorLabel } from './present';
import { RawJson } from './route';
import { lowerBound } from '../util/lowerBound';
import { bandScore } from '../../../common/detectors/score';

/**
 * Values and bands of one stored series, for `GET /api/metrics/:name/series`.
 *
 * A dashboard asks for the same week of the same metrics from every panel and on every refresh, and the stored data
 * only changes when a run writes. So a read is cached per series, formatted as JSON once (see JsonColumn), shared
 * while in flight, and reused for any range inside it until its data version changes (a run of the metric
 * started, progressed or finished on this replica) or it is `ttlMs` old (runs on other replicas, or `dtk run`
 * against the same ClickHouse). A read that reached the present also serves later "up to now" ranges: points after
 * it can only come from a write, which the version or the age catches.
 */

/** The detectors to show, in order: the metric's current ones (bands of removed or changed detectors are not shown). */
export interface BandSpec {
  id: string;
  name: string;
}

/** One read of a series, as JSON columns. */
interface Columns {
  timestamps: Float64Array;
  json: {
    timestamps: JsonColumn;
    values: JsonColumn;
    detectors: Array<{ head: string; lower: JsonColumn; upper: JsonColumn; anomaly: JsonColumn; score: JsonColumn }>;
  };
  /** Characters held. */
  size: number;
  /** The last few answers as bytes, by `lo:hi` (a dashboard repeats its ranges): sent without re-encoding. */
  bodies: Map<string, Buffer>;
}

const BODIES_PER_SERIES = 4;

interface Entry {
  key: string;
  from: number;
  to: number;
  /** Serves any range after `from` (it was read up to the present). */
  openEnded: boolean;
  fetchedAt: number;
  columns: Columns;
}

export interface SeriesOptions {
  ttlMs: number;
  /** Memory bound of the cache: characters of JSON held (least recently used series dropped first). */
  maxChars: number;
  now: () => number;
}

export class SeriesService {
  private readonly cache = new Map<string, Entry>();
  private readonly inflight = new Map<string, Promise<Entry>>();
  private chars = 0;

  constructor(
    private readonly store: Store,
    private readonly opts: SeriesOptions
  ) {}

  /**
   * The series response over [from, to). `version` changes whenever stored data may have changed (see above);
   * `detectors` are the bands to return (null: every stored detector, for a metric without a valid definition).
   */
  async read(
    metric: string,
    range: Required<TimeRange>,
    version: string,
    detectors: BandSpec[] | null,
    /** Most points the range can hold: small reads of several series at once then share one statement. */
    maxPoints?: number
  ): Promise<RawJson> {
    const key = `${version}\u0000${detectors === null ? '*' : detectors.map((d) => d.id).join(',')}`;
    const hit = this.cache.get(metric);
    if (hit && hit.key === key && this.opts.now() - hit.fetchedAt < this.opts.ttlMs && covers(hit, range)) {
      this.cache.delete(metric);
      this.cache.set(metric, hit); // most recently used
      return respond(metric, hit.columns, range);
    }
    const flightKey = `${metric}\u0000${key}\u0000${range.from}\u0000${range.to}`;
    let flight = this.inflight.get(flightKey);
    if (!flight) {
      flight = this.fetch(metric, range, key, detectors, maxPoints).finally(() => this.inflight.delete(flightKey));
      this.inflight.set(flightKey, flight);
    }
    return respond(metric, (await flight).columns, range);
  }

  /** Forgets cached reads (of one series, or all). */
  invalidate(metric?: string): void {
    for (const [name, e] of this.cache) {
      if (metric === undefined || name === metric) {
        this.cache.delete(name);
        this.chars -= e.columns.size;
      }
    }
  }

  private async fetch(
    metric: string,
    range: Required<TimeRange>,
    key: string,
    detectors: BandSpec[] | null,
    maxPoints?: number
  ) {
    const fetchedAt = this.opts.now();
    const [series, bands] = await Promise.all([
      this.store.readSeries(metric, range, { maxPoints }),
      this.store.readBands(metric, detectors === null ? null : detectors.map((d) => d.id), range),
    ]);
    const names = new Map(detectors?.map((d) => [d.id, d.name]));
    const order = detectors === null ? bands.map((b) => b.detectorId) : detectors.map((d) => d.id);
    const byId = new Map(bands.map((b) => [b.detectorId, b]));
    const ts = series.timestamps;
    const n = ts.length;
    let size = 0;
    const column = (c: JsonColumn) => {
      size += c.size;
      return c;
    };
    const columns: Columns = {
      timestamps: ts,
      json: {
        timestamps: column(JsonColumn.numbers(ts)),
        values: column(JsonColumn.numbers(series.values)),
        detectors: order.map((id) => {
          const b = byId.get(id);
          const lower = new Float64Array(n).fill(NaN);
          const upper = new Float64Array(n).fill(NaN);
          const anomaly = new Uint8Array(n);
          const score = new Float64Array(n).fill(NaN);
          if (b) {
            // Both sorted by time: one merge pass places each detection on its datapoint.
            let j = 0;
            for (let i = 0; i < b.timestamps.length; i++) {
              const t = b.timestamps[i]!;
              while (j < n && ts[j]! < t) {
                j++;
              }
              if (j < n && ts[j] === t) {
                lower[j] = b.lower[i]!;
                upper[j] = b.upper[i]!;
                anomaly[j] = b.anomaly[i]!;
                score[j] = bandScore(b.processed[i]!, b.lower[i]!, b.upper[i]!);
              }
            }
          }
          const name = names.get(id) ?? (b ? detectorLabel(b.detectorName, b.detectorParams) : id);
          return {
            head: `{"detectorId":${JSON.stringify(id)},"detectorName":${JSON.stringify(name)}`,
            lower: column(JsonColumn.numbers(lower)),
            upper: column(JsonColumn.numbers(upper)),
            anomaly: column(JsonColumn.flags(anomaly)),
            // Non-finite (NaN: not measurable; Infinity: a zero-width band) is written as null.
            score: column(JsonColumn.numbers(score)),
          };
        }),
      },
      size: 0,
      bodies: new Map(),
    };
    columns.size = size;
    const entry: Entry = { key, from: range.from, to: range.to, openEnded: range.to >= fetchedAt, fetchedAt, columns };
    this.remember(metric, entry);
    return entry;
  }

  private remember(metric: string, entry: Entry): void {
    const prev = this.cache.get(metric);
    // Keep the wider of two fresh reads of the same version: a zoomed-in panel must not evict the whole week.
    if (
      prev &&
      prev.key === entry.key &&
      entry.fetchedAt - prev.fetchedAt < this.opts.ttlMs &&
      prev.to - prev.from > entry.to - entry.from
    ) {
      return;
    }
    if (prev) {
      this.cache.delete(metric);
      this.chars -= prev.columns.size;
    }
    if (entry.columns.size > this.opts.maxChars) {
      return;
    }
    this.cache.set(metric, entry);
    this.chars += entry.columns.size;
    for (const [name, e] of this.cache) {
      if (this.chars <= this.opts.maxChars) {
        break;
      }
      this.cache.delete(name);
      this.chars -= e.columns.size;
    }
  }
}

function covers(e: Entry, r: Required<TimeRange>): boolean {
  return r.from >= e.from && (r.to <= e.to || e.openEnded);
}

/** The response for [from, to) out of a (possibly wider) read: `seriesResponseSchema`, assembled from text. */
function respond(metric: string, c: Columns, range: Required<TimeRange>): RawJson {
  const lo = lowerBound(c.timestamps, range.from);
  const hi = lowerBound(c.timestamps, range.to);
  const key = `${lo}:${hi}`;
  const cached = c.bodies.get(key);
  if (cached) {
    return new RawJson(cached);
  }
  const j = c.json;
  const detectors = j.detectors.map(
    (d) =>
      `${d.head},"lower":${d.lower.slice(lo, hi)},"upper":${d.upper.slice(lo, hi)},"anomaly":${d.anomaly.slice(lo, hi)},"score":${d.score.slice(lo, hi)}}`
  );
  const body = Buffer.from(
    `{"metric":${JSON.stringify(metric)},"timestamps":${j.timestamps.slice(lo, hi)},"values":${j.values.slice(lo, hi)},"detectors":[${detectors.join(',')}]}`
  );
  if (c.bodies.size >= BODIES_PER_SERIES) {
    c.bodies.delete(c.bodies.keys().next().value!);
  }
  c.bodies.set(key, body);
  return new RawJson(body);
}
