import { SourceError } from './errors';

/**
 * The interval grid. Points sit at epoch multiples of the interval, `floor(t / I) · I` (detectkit anchored the grid
 * at the load start, so an unaligned `loading_start_time` or `--from` made every point NaN). A grid point t stands
 * for the interval [t, t + I); a range [from, to) holds the points whose whole interval lies inside it.
 */

export function intervalMs(intervalSeconds: number): number {
  if (!Number.isInteger(intervalSeconds) || intervalSeconds <= 0) {
    throw new SourceError(
      'config_invalid',
      `interval must be a positive whole number of seconds, got ${intervalSeconds}`
    );
  }
  return intervalSeconds * 1000;
}

/** The grid point at or before `ms`. */
export function alignDown(ms: number, intervalSeconds: number): number {
  const step = intervalMs(intervalSeconds);
  return Math.floor(ms / step) * step;
}

/** The grid point at or after `ms`. */
export function alignUp(ms: number, intervalSeconds: number): number {
  const step = intervalMs(intervalSeconds);
  return Math.ceil(ms / step) * step;
}

export interface GridRange {
  /** First point (inclusive), epoch ms. */
  start: number;
  /** End (exclusive): one interval past the last point; equals start when the grid is empty. */
  end: number;
  stepMs: number;
  length: number;
}

/**
 * The complete intervals inside [from, to): from rounds up and to rounds down to the grid, so an unaligned end (now)
 * never yields the current, incomplete interval, and an unaligned start never yields a point before it.
 */
export function gridRange(fromMs: number, toMs: number, intervalSeconds: number): GridRange {
  const stepMs = intervalMs(intervalSeconds);
  const start = alignUp(fromMs, intervalSeconds);
  const end = Math.max(start, alignDown(toMs, intervalSeconds));
  return { start, end, stepMs, length: (end - start) / stepMs };
}

export function gridTimestamps(range: GridRange): Float64Array {
  const out = new Float64Array(range.length);
  for (let i = 0; i < range.length; i++) {
    out[i] = range.start + i * range.stepMs;
  }
  return out;
}

export interface Placement {
  /** For each grid point, the index of the row placed there, or -1 (a gap). */
  rowAt: Int32Array;
  /** Rows whose timestamp is before the start or at/after the end of the range. */
  outOfRange: number;
  /** Rows inside the range whose timestamp is not a grid point (the query did not bucket by the interval). */
  offGrid: number;
  /** Rows on a grid point an earlier row already took: the later row wins, as in detectkit. */
  duplicates: number;
}

/** Places rows on the grid by exact timestamp. Rows are taken in result order, so the last duplicate wins. */
export function placeRows(range: GridRange, rowTimestamps: ArrayLike<number>): Placement {
  const rowAt = new Int32Array(range.length).fill(-1);
  let outOfRange = 0;
  let offGrid = 0;
  let duplicates = 0;
  for (let r = 0; r < rowTimestamps.length; r++) {
    const t = rowTimestamps[r]!;
    if (!(t >= range.start && t < range.end)) {
      outOfRange++;
      continue;
    }
    const offset = t - range.start;
    if (offset % range.stepMs !== 0) {
      offGrid++;
      continue;
    }
    const i = offset / range.stepMs;
    if (rowAt[i] !== -1) {
      duplicates++;
    }
    rowAt[i] = r;
  }
  return { rowAt, outOfRange, offGrid, duplicates };
}
