import type { StatKind } from './engines';

/**
 * What differs between MAD, Z-score and IQR once the window statistics are known (reference §4.4–4.7):
 * statistic names, seasonal multipliers, bounds and severity.
 */

export const STAT_NAMES: Record<StatKind, readonly string[]> = {
  mad: ['median', 'mad'],
  zscore: ['mean', 'std'],
  iqr: ['q1', 'q3', 'iqr'],
};

/** Bound offset used when the spread statistic is exactly 0 (detectkit's 1e-10). */
export const EPSILON = 1e-10;

/** group/global per statistic; 1.0 where detectkit guards a zero (or non-positive spread) global value. */
export function multipliers(
  kind: StatKind,
  global: Float64Array,
  go: number,
  group: Float64Array,
  out: Float64Array
): void {
  if (kind === 'iqr') {
    out[0] = global[go] !== 0 ? group[0]! / global[go]! : 1;
    out[1] = global[go + 1] !== 0 ? group[1]! / global[go + 1]! : 1;
    out[2] = global[go + 2]! > 0 ? group[2]! / global[go + 2]! : 1;
    return;
  }
  out[0] = global[go] !== 0 ? group[0]! / global[go]! : 1;
  if (kind === 'mad') {
    out[1] = global[go + 1] !== 0 ? group[1]! / global[go + 1]! : 1;
  } else {
    out[1] = global[go + 1]! > 0 ? group[1]! / global[go + 1]! : 1;
  }
}

export interface Bounds {
  lower: number;
  upper: number;
}

/** Confidence bounds from the adjusted statistics at `adj[o..]`. */
export function bounds(kind: StatKind, adj: Float64Array, o: number, k: number, out: Bounds): void {
  if (kind === 'iqr') {
    const q1 = adj[o]!;
    const q3 = adj[o + 1]!;
    const iqr = adj[o + 2]!;
    if (iqr === 0) {
      out.lower = q1 - EPSILON;
      out.upper = q3 + EPSILON;
    } else {
      out.lower = q1 - k * iqr;
      out.upper = q3 + k * iqr;
    }
    return;
  }
  const c = adj[o]!;
  const s = adj[o + 1]!;
  if (s === 0) {
    out.lower = c - EPSILON;
    out.upper = c + EPSILON;
  } else {
    out.lower = c - k * s;
    out.upper = c + k * s;
  }
}

/** MAD and IQR: distance in spread units; Z-score: the z-score itself. `inf` when the spread is 0. */
export function severity(kind: StatKind, adj: Float64Array, o: number, x: number, distance: number): number {
  if (kind === 'iqr') {
    const iqr = adj[o + 2]!;
    return iqr > 0 ? distance / iqr : Infinity;
  }
  const s = adj[o + 1]!;
  if (kind === 'mad') {
    return s > 0 ? distance / s : Infinity;
  }
  return s > 0 ? Math.abs(x - adj[o]!) / s : Infinity;
}
