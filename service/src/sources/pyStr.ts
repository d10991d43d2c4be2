import { pyFloatRepr, pyIntRepr, pyStrRepr } from '../detectors/pyRepr';

/**
 * Python's `str()` / `repr()` of the values a Jinja2 template can print, so that templates written for detectkit
 * render the same SQL: `True`/`False`, `None`, `['a', 'b']`, `{'k': 1}`, `0.95`, `1e-05`.
 * JS has one number type: an integral number prints as a Python int (`1`, not `1.0`).
 */

export function pyNumber(x: number): string {
  return Number.isInteger(x) ? pyIntRepr(x) : pyFloatRepr(x);
}

/** `datetime.__str__`: `2024-01-01 00:00:00`, microseconds only when non-zero. */
function pyDatetime(d: Date): string {
  const iso = d.toISOString(); // always UTC, the only timezone detectkit knows
  const ms = d.getUTCMilliseconds();
  const base = `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
  return ms === 0 ? base : `${base}.${String(ms * 1000).padStart(6, '0')}`;
}

export function pyRepr(v: unknown): string {
  if (typeof v === 'string') {
    return pyStrRepr(v);
  }
  if (v instanceof Date) {
    // repr(datetime) would be `datetime.datetime(...)`; nobody templates that, str() is the useful form.
    return pyStrRepr(pyDatetime(v));
  }
  return pyStr(v);
}

export function pyStr(v: unknown): string {
  if (v === null || v === undefined) {
    return 'None';
  }
  switch (typeof v) {
    case 'string':
      return v;
    case 'boolean':
      return v ? 'True' : 'False';
    case 'number':
      return pyNumber(v);
    case 'bigint':
      return v.toString();
    default:
      break;
  }
  if (Array.isArray(v)) {
    return `[${v.map(pyRepr).join(', ')}]`;
  }
  if (v instanceof Date) {
    return pyDatetime(v);
  }
  if (v instanceof Map) {
    return `{${[...v.entries()].map(([k, x]) => `${pyRepr(k)}: ${pyRepr(x)}`).join(', ')}}`;
  }
  if (v instanceof Set) {
    return v.size === 0 ? 'set()' : `{${[...v].map(pyRepr).join(', ')}}`;
  }
  if (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null) {
    const entries = Object.entries(v as Record<string, unknown>);
    return `{${entries.map(([k, x]) => `${pyStrRepr(k)}: ${pyRepr(x)}`).join(', ')}}`;
  }
  // SafeString and other objects: their own text.
  return String(v);
}
