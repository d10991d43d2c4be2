import type { SeasonalityComponent, SeasonalityKey } from '../../../common/detectors';
import { DtkError } from '../errors';

/**
 * Seasonality grouping (reference §4.4): every component (a column, or a list of columns forming one combined
 * group) becomes one integer group code per point, so per-group windows are plain arrays indexed by code.
 * Keys compare with Python `==`: 1 == 1.0 == true, null == null; NaN equals nothing, not even itself.
 */

export interface Partition {
  /** The component's columns, as detectkit reports them in metadata (`"group": [...]`). */
  columns: string[];
  codes: Int32Array;
  groups: number;
}

function keyOf(k: SeasonalityKey | undefined): string | null {
  if (k === null || k === undefined) {
    return 'null';
  }
  if (typeof k === 'boolean') {
    return k ? 'n1' : 'n0';
  }
  if (typeof k === 'number') {
    return Number.isNaN(k) ? null : `n${k}`;
  }
  return `s${k}`;
}

function encodeColumn(col: ArrayLike<SeasonalityKey>, n: number): Int32Array {
  const codes = new Int32Array(n);
  const seen = new Map<string, number>();
  let next = 0;
  for (let i = 0; i < n; i++) {
    const key = keyOf(col[i]);
    if (key === null) {
      codes[i] = next++; // a NaN key is a group of its own
      continue;
    }
    let c = seen.get(key);
    if (c === undefined) {
      c = next++;
      seen.set(key, c);
    }
    codes[i] = c;
  }
  return codes;
}

export function buildPartitions(
  components: SeasonalityComponent[] | null,
  seasonality: Record<string, ArrayLike<SeasonalityKey>> | undefined,
  n: number
): Partition[] {
  if (!components || components.length === 0) {
    return [];
  }
  const available = Object.keys(seasonality ?? {});
  const columnCodes = new Map<string, Int32Array>();
  const codesFor = (col: string): Int32Array => {
    let c = columnCodes.get(col);
    if (!c) {
      const data = seasonality?.[col];
      if (!data) {
        throw new DtkError(
          'config_invalid',
          `seasonality_components: unknown seasonality column '${col}' (available: ${available.length ? available.join(', ') : 'none'})`
        );
      }
      if (data.length !== n) {
        throw new DtkError('config_invalid', `seasonality column '${col}' has ${data.length} keys for ${n} points`);
      }
      c = encodeColumn(data, n);
      columnCodes.set(col, c);
    }
    return c;
  };
  return components.map((component) => {
    const columns = typeof component === 'string' ? [component] : component;
    const parts = columns.map(codesFor);
    if (parts.length === 1) {
      const codes = parts[0]!;
      return { columns, codes, groups: maxPlusOne(codes) };
    }
    const codes = new Int32Array(n);
    const seen = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      let key = '';
      for (const p of parts) {
        key += `${p[i]!},`;
      }
      let c = seen.get(key);
      if (c === undefined) {
        c = seen.size;
        seen.set(key, c);
      }
      codes[i] = c;
    }
    return { columns, codes, groups: seen.size };
  });
}

function maxPlusOne(codes: Int32Array): number {
  let m = -1;
  for (let i = 0; i < codes.length; i++) {
    if (codes[i]! > m) {
      m = codes[i]!;
    }
  }
  return m + 1;
}
