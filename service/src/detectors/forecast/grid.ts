/**
 * The interval grid under a forecast detector: refit points ("anchors"), the training window before each, and the
 * clock that numbers the points. Anchors sit every `refit_every` intervals counted from the epoch (UTC), so a
 * point's anchor — and with it the model that judges it — depends only on its timestamp, never on where a
 * pipeline batch starts.
 */

/** The metric's interval: given by the pipeline, else the smallest step between consecutive timestamps. */
export function inferInterval(timestamps: Float64Array, given?: number): number {
  if (given !== undefined && given > 0) {
    return given;
  }
  let best = Infinity;
  for (let i = 1; i < timestamps.length; i++) {
    const d = timestamps[i]! - timestamps[i - 1]!;
    if (d > 0 && d < best) {
      best = d;
    }
  }
  return Number.isFinite(best) ? best : NaN;
}

/** The refit point of timestamp t: the start of its block of `every` intervals. */
export function anchorOf(t: number, intervalMs: number, every: number): number {
  return Math.floor(Math.floor(t / intervalMs) / every) * every * intervalMs;
}

/** First index with timestamps[i] >= t. */
export function lowerBound(timestamps: Float64Array, t: number): number {
  let lo = 0;
  let hi = timestamps.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (timestamps[mid]! < t) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

/**
 * Numbers the grid for the seasonal models. In UTC a slot is floor(t / interval). With a `timezone`, slots count
 * wall-clock time there: the hour skipped when DST starts is a gap of slots (interpolated), the hour repeated when
 * it ends shares slots (averaged), and a daily season stays 24 wall-clock hours long — which is what a daily
 * cycle driven by people's local day does.
 */
export class Clock {
  private readonly offsets = new Map<number, number>();
  private readonly format?: Intl.DateTimeFormat;

  constructor(
    readonly intervalMs: number,
    readonly timeZone: string | null
  ) {
    if (timeZone && timeZone !== 'UTC') {
      this.format = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
      });
    }
  }

  /** UTC offset at t (ms). Zones change offset on quarter hours at the finest: one lookup per quarter hour. */
  offset(t: number): number {
    if (!this.format) {
      return 0;
    }
    const q = Math.floor(t / 900_000) * 900_000;
    let off = this.offsets.get(q);
    if (off === undefined) {
      const p: Record<string, number> = {};
      for (const part of this.format.formatToParts(new Date(q))) {
        p[part.type] = Number(part.value);
      }
      off = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!) - q;
      this.offsets.set(q, off);
    }
    return off;
  }

  /** Local wall-clock time at t, as if it were UTC (Prophet's `ds` with a time zone). */
  local(t: number): number {
    return t + this.offset(t);
  }

  slot(t: number): number {
    return Math.floor(this.local(t) / this.intervalMs);
  }
}

export interface Training {
  /** Values by slot, interior gaps interpolated; leading and trailing gaps cut off. */
  y: Float64Array;
  /** A UTC timestamp (ms) of each slot of `y` (the first point that fell in it; NaN for an interpolated gap). */
  times: Float64Array;
  /** 1 where `y` is an observed value, 0 where it was interpolated. */
  observed: Uint8Array;
  /** Non-missing points in the window before interpolation. */
  valid: number;
  /** The slot right after the last one of `y`: a forecast's first step. */
  nextSlot: number;
}

/**
 * The `window` grid points before `anchor`, read from the input (absent or non-finite = missing), laid out by
 * `clock` slots. Interior gaps are filled linearly: STL and ETS need a complete series, and a straight line
 * across a short gap biases them least. Edges are cut, not extrapolated.
 */
export function trainingWindow(
  timestamps: Float64Array,
  values: Float64Array,
  anchor: number,
  clock: Clock,
  window: number
): Training {
  const I = clock.intervalMs;
  const start = anchor - window * I;
  const first0 = clock.slot(start);
  const size = clock.slot(anchor - I) - first0 + 1;
  const sum = new Float64Array(size);
  const count = new Uint16Array(size);
  const times = new Float64Array(size).fill(NaN);
  let valid = 0;
  for (let j = lowerBound(timestamps, start); j < timestamps.length && timestamps[j]! < anchor; j++) {
    const v = values[j]!;
    const k = clock.slot(timestamps[j]!) - first0;
    if (k >= 0 && k < size && Number.isFinite(v)) {
      sum[k] = sum[k]! + v;
      if (count[k] === 0) {
        times[k] = timestamps[j]!;
      }
      count[k] = count[k]! + 1;
      valid++;
    }
  }
  let first = 0;
  while (first < size && count[first] === 0) {
    first++;
  }
  let last = size - 1;
  while (last >= first && count[last] === 0) {
    last--;
  }
  if (last < first) {
    return {
      y: new Float64Array(0),
      times: new Float64Array(0),
      observed: new Uint8Array(0),
      valid: 0,
      nextSlot: first0,
    };
  }
  const len = last - first + 1;
  const y = new Float64Array(len);
  const observed = new Uint8Array(len);
  let prev = -1;
  for (let k = 0; k < len; k++) {
    const c = count[first + k]!;
    if (c === 0) {
      continue;
    }
    y[k] = sum[first + k]! / c;
    observed[k] = 1;
    if (prev >= 0 && k - prev > 1) {
      const a = y[prev]!;
      const step = (y[k]! - a) / (k - prev);
      for (let m = prev + 1; m < k; m++) {
        y[m] = a + step * (m - prev);
      }
    }
    prev = k;
  }
  return { y, times: times.slice(first, last + 1), observed, valid, nextSlot: first0 + last + 1 };
}

/**
 * Two independent 32-bit hashes (FNV-1a and a multiply-rotate one) of the values' bits: the fit cache's key for
 * "same training data". 64 bits keep collisions negligible even across thousands of series of one query.
 */
export function hashValues(y: Float64Array): string {
  const words = new Uint32Array(y.buffer, y.byteOffset, y.length * 2);
  let a = 0x811c9dc5;
  let b = 0x9e3779b9;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    a = Math.imul(a ^ w, 0x01000193);
    b = Math.imul((b ^ w) + 0x7f4a7c15, 0x85ebca6b);
    b = (b << 13) | (b >>> 19);
  }
  return `${(a >>> 0).toString(16)}${(b >>> 0).toString(16)}`;
}
