import { z } from 'zod';

/**
 * detectkit's interval grammar (reference §2.6, `core/interval.py`): a positive integer of seconds or
 * `<number><unit>`. Messages are detectkit's, so users searching for them find the same text.
 */

const UNITS: Record<string, number> = {
  s: 1,
  sec: 1,
  second: 1,
  seconds: 1,
  m: 60,
  min: 60,
  minute: 60,
  minutes: 60,
  h: 3600,
  hour: 3600,
  hours: 3600,
  d: 86400,
  day: 86400,
  days: 86400,
};

export const INTERVAL_UNITS = Object.keys(UNITS).sort();

export type IntervalResult = { ok: true; seconds: number } | { ok: false; message: string };

/** Parses an interval (`600`, `'10min'`, `'1h'`) into seconds, with detectkit's error text. */
export function parseInterval(value: unknown): IntervalResult {
  if (typeof value === 'boolean') {
    // Python's bool is an int: detectkit takes `true` as 1 second. Nobody means that, so we refuse it.
    return { ok: false, message: `Interval must be int or str, got bool` };
  }
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) {
      return { ok: false, message: `Interval must be int or str, got float (${value}); write e.g. 600 or '10min'` };
    }
    if (value <= 0) {
      return { ok: false, message: `Interval must be positive, got ${value}` };
    }
    return { ok: true, seconds: value };
  }
  if (typeof value !== 'string') {
    const kind = value === null || value === undefined ? 'NoneType' : Array.isArray(value) ? 'list' : 'dict';
    return { ok: false, message: `Interval must be int or str, got ${kind}` };
  }
  const m = /^(\d+)([a-z]+)$/.exec(value.trim().toLowerCase());
  if (!m) {
    return {
      ok: false,
      message: `Invalid interval format: '${value}'. Expected format: <number><unit> (e.g., '10min', '1h')`,
    };
  }
  const n = Number(m[1]);
  const unit = m[2] ?? '';
  if (n <= 0) {
    return { ok: false, message: `Interval value must be positive, got ${n}` };
  }
  const factor = UNITS[unit];
  if (factor === undefined) {
    return {
      ok: false,
      message: `Unknown time unit: '${unit}'. Supported units: ${INTERVAL_UNITS.join(', ')}`,
    };
  }
  return { ok: true, seconds: n * factor };
}

/** detectkit's `str(Interval)`: `1d`, `2h`, `10min` or `90s`. */
export function formatInterval(seconds: number): string {
  if (seconds % 86400 === 0) {
    return `${seconds / 86400}d`;
  }
  if (seconds % 3600 === 0) {
    return `${seconds / 3600}h`;
  }
  if (seconds % 60 === 0) {
    return `${seconds / 60}min`;
  }
  return `${seconds}s`;
}

/** An interval as written in YAML (kept as written: detectkit stores `str(interval)` and the raw value). */
export const intervalSchema = z.union([z.number(), z.string()]).superRefine((v, ctx) => {
  const r = parseInterval(v);
  if (!r.ok) {
    ctx.addIssue({ code: 'custom', message: r.message });
  }
});
