import { dateTimeFormat, dateTimeFormatTimeAgo, rangeUtil } from '@grafana/data';

/** Display helpers shared by the pages: one spelling for times, durations and values everywhere. */

export const NONE = '—';

export function formatTime(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? NONE : dateTimeFormat(ms);
}

export function formatAgo(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? NONE : dateTimeFormatTimeAgo(ms);
}

export function formatSeconds(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) {
    return NONE;
  }
  return seconds < 1 ? `${Math.round(seconds * 1000)}ms` : rangeUtil.secondsToHms(Math.round(seconds));
}

/** Six significant digits: bands and values of very different scales stay readable without noise digits. */
export function formatValue(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) {
    return NONE;
  }
  return String(Number(v.toPrecision(6)));
}
