import { SourceError } from './errors';
import { parseExposition, ExpositionError, type ExpositionSample } from './exposition';
import { displayUrl, httpRequest } from './http';
import { lowerBound } from '../util/lowerBound';
import {
  MAX_POINTS_PER_REQUEST,
  queryRange,
  type PromAnswer,
  type PromRangeRequest,
  type PromSeries,
} from './prometheus';

/**
 * One HTTP request per tick for metrics that need the same data (deucalion's shared fetch, done per request
 * instead of per union of names): the same Prometheus query, step and credentials over a window that an earlier
 * (or in-flight) request already covers is served from it; the same scrape URL is scraped once. Lives for one
 * `dtk run` (one tick): nothing is reused across ticks, so no answer is ever stale.
 */

export type PromQuery = Omit<PromRangeRequest, 'startMs' | 'endMs'>;

export interface Scrape {
  /** When the answer arrived (epoch ms). */
  atMs: number;
  samples: ExpositionSample[];
}

interface RangeEntry {
  /** Grid window [start, end) of the request, epoch ms. */
  start: number;
  end: number;
  result: Promise<PromAnswer>;
}

/** Windows kept per query: a backfill walks forward batch by batch, so old windows are not asked again. */
const ENTRIES_PER_QUERY = 8;

export class SharedFetch {
  /** HTTP requests sent, for tests and the run summary. */
  requests = 0;
  private readonly ranges = new Map<string, RangeEntry[]>();
  private readonly scrapes = new Map<string, Promise<Scrape>>();

  constructor(private readonly now: () => number = Date.now) {}

  /**
   * The series of `q` on the step grid over [start, end) (end exclusive; both on the grid). Windows over the
   * Prometheus point limit are split; their series are joined by label set.
   */
  /**
   * One series (by canonical label key) of `q` over [start, end) — undefined when the query has no such series —
   * with the answer's warnings.
   */
  async promSeries(
    q: PromQuery,
    key: string,
    start: number,
    end: number
  ): Promise<{ series: PromSeries | undefined; warnings: string[] }> {
    const hit = this.cached(q, start, end);
    const answer = await (hit ? hit.result : this.answer(q, start, end));
    const s = answer.series.find((x) => x.key === key);
    // Cut only the series asked for: a fan-out of N series would otherwise copy all N for each of them.
    const cut = s && hit && (hit.start !== start || hit.end !== end) ? sliceSeries(s, start, end) : s;
    return { series: cut, warnings: answer.warnings };
  }

  private cached(q: PromQuery, start: number, end: number): RangeEntry | undefined {
    return this.ranges.get(rangeKey(q))?.find((e) => e.start <= start && e.end >= end);
  }

  /**
   * The series of `q` on the step grid over [start, end) (end exclusive; both on the grid). Windows over the
   * Prometheus point limit are split; their series are joined by label set.
   */
  async promRange(q: PromQuery, start: number, end: number): Promise<PromSeries[]> {
    const hit = this.cached(q, start, end);
    if (hit && (hit.start !== start || hit.end !== end)) {
      return (await hit.result).series.map((s) => sliceSeries(s, start, end));
    }
    return (await (hit ? hit.result : this.answer(q, start, end))).series;
  }

  private answer(q: PromQuery, start: number, end: number): Promise<PromAnswer> {
    const key = rangeKey(q);
    const entries = this.ranges.get(key) ?? [];
    const result = this.fetchRange(q, start, end);
    entries.push({ start, end, result });
    if (entries.length > ENTRIES_PER_QUERY) {
      entries.shift();
    }
    this.ranges.set(key, entries);
    // A failure is shared by everyone waiting on it, but must not be cached for a retry within the same run.
    result.catch(() =>
      this.ranges.set(
        key,
        (this.ranges.get(key) ?? []).filter((e) => e.result !== result)
      )
    );
    return result;
  }

  private async fetchRange(q: PromQuery, start: number, end: number): Promise<PromAnswer> {
    const stepMs = q.stepSeconds * 1000;
    const byKey = new Map<string, PromSeries>();
    const warnings = new Set<string>();
    for (let s = start; s < end; s += MAX_POINTS_PER_REQUEST * stepMs) {
      const e = Math.min(end, s + MAX_POINTS_PER_REQUEST * stepMs);
      this.requests++;
      const answer = await queryRange({ ...q, startMs: s, endMs: e - stepMs });
      answer.warnings.forEach((w) => warnings.add(w));
      for (const series of answer.series) {
        const prev = byKey.get(series.key);
        if (prev) {
          for (let i = 0; i < series.timestamps.length; i++) {
            prev.timestamps.push(series.timestamps[i]!);
            prev.values.push(series.values[i]!);
          }
        } else {
          byKey.set(series.key, series);
        }
      }
    }
    return { series: [...byKey.values()], warnings: [...warnings] };
  }

  /** One scrape of `url` per run, parsed. Fails on HTTP errors, HTML pages and anything that is not an exposition. */
  scrape(url: string, timeoutMs: number, what: string): Promise<Scrape> {
    let p = this.scrapes.get(url);
    if (!p) {
      p = this.doScrape(url, timeoutMs, what);
      this.scrapes.set(url, p);
    }
    return p;
  }

  private async doScrape(url: string, timeoutMs: number, what: string): Promise<Scrape> {
    this.requests++;
    const shown = displayUrl(url);
    const res = await httpRequest({
      url,
      headers: { Accept: 'application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1' },
      timeoutMs,
      what,
    });
    const atMs = this.now();
    if (res.status !== 200) {
      throw new SourceError(
        'source_unreachable',
        `${what}: scrape of ${shown} failed: HTTP ${res.status}; check source.url (the target's metrics path)`
      );
    }
    if (/html/i.test(res.contentType) || /^\s*<(!doctype|html)/i.test(res.text)) {
      throw new SourceError(
        'source_unreachable',
        `${what}: scrape of ${shown} returned an HTML page, not a metrics exposition; point source.url at the metrics path (e.g. /metrics)`
      );
    }
    try {
      return { atMs, samples: parseExposition(res.text, { openMetrics: /openmetrics/i.test(res.contentType) }) };
    } catch (e) {
      if (e instanceof ExpositionError) {
        throw new SourceError(
          'source_unreachable',
          `${what}: scrape of ${shown} is not a valid Prometheus exposition (${e.message})`
        );
      }
      throw e;
    }
  }
}

// Credentials are part of the key (tenants see different data); the key never leaves the cache.
function rangeKey(q: PromQuery): string {
  return JSON.stringify([q.url, q.query, q.stepSeconds, q.headers]);
}

function sliceSeries(s: PromSeries, start: number, end: number): PromSeries {
  const a = lowerBound(s.timestamps, start);
  const b = lowerBound(s.timestamps, end);
  return { ...s, timestamps: s.timestamps.slice(a, b), values: s.values.slice(a, b) };
}
