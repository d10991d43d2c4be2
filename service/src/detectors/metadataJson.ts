import type { DetectionMetadata } from '../../../common/detectors';
import { pyFloatRepr } from './pyRepr';

/**
 * `detection_metadata` as detectkit stores it: Python `json.dumps` (", " and ": " separators, insertion order,
 * floats with `.0`, `Infinity`/`NaN` tokens). Counts are ints in Python; every other number is a float.
 */
const INT_KEYS = new Set([
  'window_size',
  'min_samples',
  'group_size',
  // Ours (forecast detectors): counts and season lengths in points.
  'trained_on',
  'horizon',
  'periods',
]);

/** `"key": ` per key, built once: metadata has a handful of distinct keys and millions of rows. */
const keyPrefixes = new Map<string, string>();
function keyPrefix(k: string): string {
  let p = keyPrefixes.get(k);
  if (p === undefined) {
    p = `${JSON.stringify(k)}: `;
    keyPrefixes.set(k, p);
  }
  return p;
}

function encode(v: unknown, key: string | null): string {
  if (v === null || v === undefined) {
    return 'null';
  }
  if (typeof v === 'number') {
    if (Number.isNaN(v)) {
      return 'NaN';
    }
    if (!Number.isFinite(v)) {
      return v > 0 ? 'Infinity' : '-Infinity';
    }
    return key !== null && INT_KEYS.has(key) && Number.isInteger(v) ? String(v) : pyFloatRepr(v);
  }
  if (typeof v === 'string' || typeof v === 'boolean') {
    // Python escapes non-ASCII (ensure_ascii); JSON.stringify keeps it — both parse to the same text.
    return JSON.stringify(v);
  }
  if (Array.isArray(v)) {
    let out = '[';
    for (let i = 0; i < v.length; i++) {
      // Elements take their list's key: `periods: [288, 2016]` holds ints.
      out += (i ? ', ' : '') + encode(v[i], key);
    }
    return `${out}]`;
  }
  // A plain loop: this runs once per stored point, so it avoids the intermediate arrays.
  let out = '{';
  let first = true;
  const obj = v as Record<string, unknown>;
  for (const k in obj) {
    out += (first ? '' : ', ') + keyPrefix(k) + encode(obj[k], k);
    first = false;
  }
  return `${out}}`;
}

export function metadataJson(md: DetectionMetadata | null | undefined): string {
  return md ? encode(md, null) : '{}';
}
