import type { DetectionMetadata } from '../../../common/detectors';
import { pyFloatRepr } from './pyRepr';

/**
 * `detection_metadata` as detectkit stores it: Python `json.dumps` (", " and ": " separators, insertion order,
 * floats with `.0`, `Infinity`/`NaN` tokens). Counts are ints in Python; every other number is a float.
 */
const INT_KEYS = new Set(['window_size', 'min_samples', 'group_size']);

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
    return `[${v.map((e) => encode(e, null)).join(', ')}]`;
  }
  const entries = Object.entries(v as Record<string, unknown>);
  return `{${entries.map(([k, e]) => `${JSON.stringify(k)}: ${encode(e, k)}`).join(', ')}}`;
}

export function metadataJson(md: DetectionMetadata | null | undefined): string {
  return md ? encode(md, null) : '{}';
}
