import { dateTime, isDateTime, rangeUtil, type DateTime, type TimeRange } from '@grafana/data';

/**
 * Time ranges kept in the URL (`?from=now-24h&to=now`, or epoch ms for absolute ranges), so a view can be
 * bookmarked and shared, like Grafana's own pages.
 */

export const DEFAULT_RANGE = { from: 'now-24h', to: 'now' };

function fromUrl(s: string): string | DateTime {
  return /^\d+$/.test(s) ? dateTime(Number(s)) : s;
}

function toUrl(v: string | DateTime): string {
  return isDateTime(v) ? String(v.valueOf()) : v;
}

/** The range of `?from=&to=` (either may be missing: the default's bound is used). */
export function rangeFromUrl(from: string | null, to: string | null, def = DEFAULT_RANGE): TimeRange {
  try {
    return rangeUtil.convertRawToRange({ from: fromUrl(from || def.from), to: fromUrl(to || def.to) });
  } catch {
    return rangeUtil.convertRawToRange(def);
  }
}

/** A copy of `params` with the range set (other parameters kept). */
export function paramsWithRange(params: URLSearchParams, range: TimeRange): URLSearchParams {
  const next = new URLSearchParams(params);
  next.set('from', toUrl(range.raw.from));
  next.set('to', toUrl(range.raw.to));
  return next;
}

/** Epoch ms bounds, evaluated now: relative bounds (`now-24h`) move forward with each call. */
export function rangeMs(range: TimeRange): { from: number; to: number } {
  const r = rangeUtil.convertRawToRange(range.raw);
  return { from: r.from.valueOf(), to: r.to.valueOf() };
}

/** An absolute range (a zoom on the chart) in Grafana's TimeRange form. */
export function absoluteRange(r: { from: number; to: number }): TimeRange {
  const from = dateTime(r.from);
  const to = dateTime(r.to);
  return { from, to, raw: { from, to } };
}
