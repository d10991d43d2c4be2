/**
 * Date-times in configuration files (`loading_start_time`, detector `start_time`). detectkit wants the string
 * `YYYY-MM-DD HH:MM:SS` (naive = UTC); YAML 1.1 turns an unquoted one into a timestamp, which detectkit then
 * refuses or crashes on. We accept both, plus ISO 8601 with `T`, fractions and an offset, and normalise to
 * detectkit's string in UTC.
 */

const PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** Epoch milliseconds (UTC) of a date-time written in a config file, or undefined when unparseable. */
export function parseConfigDateTime(value: unknown): number | undefined {
  if (Object.prototype.toString.call(value) === '[object Date]') {
    const t = (value as Date).getTime();
    return Number.isNaN(t) ? undefined : t;
  }
  if (typeof value !== 'string') {
    return undefined;
  }
  const m = PATTERN.exec(value.trim());
  if (!m) {
    return undefined;
  }
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', tz] = m;
  const ms = Math.floor(Number(`0.${frac || '0'}`) * 1000);
  let t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  const check = new Date(t);
  if (
    check.getUTCFullYear() !== Number(y) ||
    check.getUTCMonth() !== Number(mo) - 1 ||
    check.getUTCDate() !== Number(d) ||
    Number(h) > 23 ||
    Number(mi) > 59 ||
    Number(s) > 59
  ) {
    return undefined; // 2024-02-30, 25:00 and friends
  }
  if (tz && tz.toUpperCase() !== 'Z') {
    const sign = tz.startsWith('-') ? -1 : 1;
    const digits = tz.slice(1).replace(':', '');
    const offset = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0');
    t -= sign * offset * 60000;
  }
  return t;
}

/** detectkit's `%Y-%m-%d %H:%M:%S` rendering of a UTC instant. */
export function formatConfigDateTime(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 19).replace('T', ' ');
}

export const DATETIME_HINT = "write it as 'YYYY-MM-DD HH:MM:SS' (UTC), e.g. '2024-01-01 00:00:00'";
