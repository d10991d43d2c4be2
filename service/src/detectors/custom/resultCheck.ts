import { isRecord } from '../../../../common/config/aliases';
import { DtkError } from '../../errors';

/**
 * What a custom module's `detect()` must return (docs/detectors-forecast.md, "Custom detectors"), checked in the
 * main thread before anything is stored: one entry per input point in `lower`, `upper` and the optional
 * `anomaly`, `expected` and `metadata`; bounds finite numbers or null (no bound); `lower <= upper`.
 */
export interface CustomResult {
  lower: Float64Array;
  upper: Float64Array;
  /** null: decided from the bounds. */
  anomaly: Uint8Array | null;
  expected: Float64Array | null;
  metadata: Array<Record<string, unknown> | null> | null;
  /** undefined: keep the stored state. */
  state: unknown;
}

const MAX_STATE_BYTES = 16 * 1024 * 1024;

function kind(v: unknown): string {
  if (v === null) {
    return 'null';
  }
  if (Array.isArray(v)) {
    return 'an array';
  }
  if (ArrayBuffer.isView(v)) {
    return v.constructor.name;
  }
  return typeof v;
}

function isArrayLike(v: unknown): v is ArrayLike<unknown> {
  return Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));
}

export function malformed(label: string, problem: string): DtkError {
  return new DtkError('config_invalid', `${label}: detect() returned a malformed result: ${problem}`);
}

function numbers(label: string, name: string, v: unknown, n: number, required: boolean): Float64Array | null {
  if (v === undefined || (v === null && !required)) {
    if (required) {
      throw malformed(
        label,
        `'${name}' is missing: return { lower, upper } with one entry per input point (null for no bound)`
      );
    }
    return null;
  }
  if (!isArrayLike(v)) {
    throw malformed(label, `'${name}' must be an array, got ${kind(v)}`);
  }
  if (v.length !== n) {
    throw malformed(label, `'${name}' has ${v.length} entries, expected ${n} (one per input point)`);
  }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = v[i];
    if (x === null || x === undefined) {
      out[i] = NaN;
    } else if (typeof x !== 'number') {
      throw malformed(label, `${name}[${i}] must be a number or null, got ${kind(x)}`);
    } else if (!Number.isFinite(x)) {
      throw malformed(label, `${name}[${i}] is ${String(x)}; use null for "no bound" / "no value"`);
    } else {
      out[i] = x;
    }
  }
  return out;
}

function flags(label: string, v: unknown, n: number): Uint8Array | null {
  if (v === undefined || v === null) {
    return null;
  }
  if (!isArrayLike(v)) {
    throw malformed(label, `'anomaly' must be an array of booleans, got ${kind(v)}`);
  }
  if (v.length !== n) {
    throw malformed(label, `'anomaly' has ${v.length} entries, expected ${n} (one per input point)`);
  }
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const x = v[i];
    if (x === true || x === 1) {
      out[i] = 1;
    } else if (!(x === false || x === 0 || x === null || x === undefined)) {
      throw malformed(label, `anomaly[${i}] must be true or false, got ${kind(x)}`);
    }
  }
  return out;
}

function metadata(label: string, v: unknown, n: number): Array<Record<string, unknown> | null> | null {
  if (v === undefined || v === null) {
    return null;
  }
  if (!Array.isArray(v)) {
    throw malformed(label, `'metadata' must be an array of objects (or null per point), got ${kind(v)}`);
  }
  if (v.length !== n) {
    throw malformed(label, `'metadata' has ${v.length} entries, expected ${n} (one per input point)`);
  }
  return v.map((m: unknown, i) => {
    if (m === null || m === undefined) {
      return null;
    }
    if (!isRecord(m)) {
      throw malformed(label, `metadata[${i}] must be an object or null, got ${kind(m)}`);
    }
    return m;
  });
}

function checkState(label: string, state: unknown): void {
  if (state === undefined) {
    return;
  }
  let text: string | undefined;
  try {
    text = JSON.stringify(state);
  } catch (e) {
    throw malformed(label, `'state' must be JSON-serialisable (${e instanceof Error ? e.message : String(e)})`);
  }
  if (text !== undefined && text.length > MAX_STATE_BYTES) {
    throw malformed(label, `'state' is ${text.length} bytes as JSON; the limit is ${MAX_STATE_BYTES}`);
  }
}

/** Checks the raw result against the input length and returns it as columns (null bounds become NaN). */
export function checkResult(label: string, raw: unknown, n: number): CustomResult {
  if (!isRecord(raw)) {
    throw malformed(
      label,
      `expected an object { lower, upper, anomaly?, expected?, metadata?, state? }, got ${kind(raw)}`
    );
  }
  const lower = numbers(label, 'lower', raw.lower, n, true)!;
  const upper = numbers(label, 'upper', raw.upper, n, true)!;
  for (let i = 0; i < n; i++) {
    if (lower[i]! > upper[i]!) {
      throw malformed(label, `lower[${i}] (${lower[i]}) is above upper[${i}] (${upper[i]})`);
    }
  }
  checkState(label, raw.state);
  return {
    lower,
    upper,
    anomaly: flags(label, raw.anomaly, n),
    expected: numbers(label, 'expected', raw.expected, n, false),
    metadata: metadata(label, raw.metadata, n),
    state: raw.state,
  };
}
