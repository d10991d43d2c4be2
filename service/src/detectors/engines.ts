import type { WindowWeights } from '../../../common/detectors';
import { GroupMoments } from './moments';
import { madAround, quantile, sortedWeights, weightedMad, weightedQuantile } from './orderStats';
import { SortedRun } from './sortedRun';
import { computeWeights } from './weights';

/**
 * Incremental window statistics for the windowed detectors. Partition 0 is the whole window; partitions 1..k
 * are the seasonality components, each split into groups by code. The driver slides the window one point at a
 * time (one value in, one out) and asks for the statistics of a partition's group.
 */

export type StatKind = 'mad' | 'zscore' | 'iqr';

/** Statistics per kind, in detectkit's metadata order. */
export const STAT_WIDTH: Record<StatKind, number> = { mad: 2, zscore: 2, iqr: 3 };

export interface PartitionCodes {
  codes: Int32Array | null;
  groups: number;
}

export interface WindowEngine {
  /** Moves one valid point out of the window (index -1: none) and one valid point in (index -1: none). */
  slide(outIdx: number, inIdx: number): void;
  size(part: number, g: number): number;
  /** Writes the kind's statistics of group g of partition `part` over the window [ws, end). */
  stats(part: number, g: number, ws: number, end: number, out: Float64Array, off: number): void;
}

export interface EngineOptions {
  kind: StatKind;
  values: Float64Array;
  partitions: PartitionCodes[];
  window: number;
  weights: WindowWeights | null;
  decay: number;
}

// Local bindings: transpiled CommonJS turns imported calls into getter reads on every call in the hot loop.
const madAroundFast = madAround;
const quantileFast = quantile;

const groupOf = (p: PartitionCodes, i: number): number => (p.codes === null ? 0 : p.codes[i]!);

/** Weight vectors by window length; a sliding window mostly asks for the same few lengths. */
class WeightCache {
  private readonly cache = new Map<number, Float64Array>();
  constructor(
    private readonly method: WindowWeights,
    private readonly decay: number
  ) {}
  get(n: number): Float64Array {
    let w = this.cache.get(n);
    if (!w) {
      if (this.cache.size > 64) {
        this.cache.clear();
      }
      w = computeWeights(n, this.method, this.decay);
      this.cache.set(n, w);
    }
    return w;
  }
}

/** Sorted runs per group: O(1) type-7 quantiles and an O(log n) MAD; O(n) walks for weighted windows. */
class SortedEngine implements WindowEngine {
  private readonly runs: SortedRun[][];
  /** Chronological ordinal of each point within its group, and how many of the group have left the window. */
  private readonly ordinals: Int32Array[] = [];
  private readonly removed: Int32Array[] = [];
  private readonly wcache: WeightCache | null;
  private sortedW = new Float64Array(0);
  private devs = new Float64Array(0);
  private devW = new Float64Array(0);

  constructor(private readonly o: EngineOptions) {
    const weighted = o.weights !== null;
    this.runs = o.partitions.map((p) => {
      const cap = p.codes === null ? o.window : Math.min(o.window, 64);
      return Array.from({ length: p.groups }, () => new SortedRun(cap, weighted));
    });
    this.wcache = weighted ? new WeightCache(o.weights!, o.decay) : null;
    if (weighted) {
      for (const p of o.partitions) {
        const ord = new Int32Array(o.values.length);
        const seen = new Int32Array(p.groups);
        for (let i = 0; i < o.values.length; i++) {
          if (!Number.isNaN(o.values[i]!)) {
            const g = groupOf(p, i);
            ord[i] = seen[g]!;
            seen[g] = seen[g]! + 1;
          }
        }
        this.ordinals.push(ord);
        this.removed.push(new Int32Array(p.groups));
      }
    }
  }

  slide(outIdx: number, inIdx: number): void {
    const values = this.o.values;
    const parts = this.o.partitions;
    for (let p = 0; p < parts.length; p++) {
      const part = parts[p]!;
      const runs = this.runs[p]!;
      const gOut = outIdx >= 0 ? groupOf(part, outIdx) : -1;
      const gIn = inIdx >= 0 ? groupOf(part, inIdx) : -1;
      if (gOut >= 0 && this.wcache) {
        this.removed[p]![gOut] = this.removed[p]![gOut]! + 1;
      }
      if (gOut >= 0 && gOut === gIn) {
        runs[gOut]!.replace(values[outIdx]!, values[inIdx]!, inIdx);
        continue;
      }
      if (gOut >= 0) {
        runs[gOut]!.remove(values[outIdx]!);
      }
      if (gIn >= 0) {
        runs[gIn]!.insert(values[inIdx]!, inIdx);
      }
    }
  }

  size(part: number, g: number): number {
    return this.runs[part]![g]!.size;
  }

  stats(part: number, g: number, _ws: number, _end: number, out: Float64Array, off: number): void {
    const run = this.runs[part]![g]!;
    if (this.wcache) {
      this.weightedStats(part, g, run, out, off);
      return;
    }
    if (this.o.kind === 'mad') {
      const m = quantileFast(run, 0.5);
      out[off] = m;
      out[off + 1] = madAroundFast(run, m);
    } else {
      const q1 = quantileFast(run, 0.25);
      const q3 = quantileFast(run, 0.75);
      out[off] = q1;
      out[off + 1] = q3;
      out[off + 2] = q3 - q1;
    }
  }

  private weightedStats(part: number, g: number, run: SortedRun, out: Float64Array, off: number): void {
    const n = run.size;
    if (this.sortedW.length < n) {
      this.sortedW = new Float64Array(this.o.window);
      this.devs = new Float64Array(this.o.window);
      this.devW = new Float64Array(this.o.window);
    }
    const ord = this.ordinals[part]!;
    const base = this.removed[part]![g]!;
    const rankOf = (index: number) => ord[index]! - base;
    sortedWeights(run, rankOf, this.wcache!.get(n), this.sortedW);
    if (this.o.kind === 'mad') {
      const m = weightedQuantile(run, this.sortedW, 50);
      out[off] = m;
      out[off + 1] = weightedMad(run, this.sortedW, m, rankOf, this.devs, this.devW);
    } else {
      const q1 = weightedQuantile(run, this.sortedW, 25);
      const q3 = weightedQuantile(run, this.sortedW, 75);
      out[off] = q1;
      out[off + 1] = q3;
      out[off + 2] = q3 - q1;
    }
  }
}

/** Running sums per group for the Z-score with uniform weights: O(1) per point. */
class MomentEngine implements WindowEngine {
  private readonly moments: GroupMoments[];

  constructor(private readonly o: EngineOptions) {
    this.moments = o.partitions.map((p) => new GroupMoments(p.groups, o.values, p.codes, o.window));
  }

  slide(outIdx: number, inIdx: number): void {
    const values = this.o.values;
    const parts = this.o.partitions;
    for (let p = 0; p < parts.length; p++) {
      const part = parts[p]!;
      const m = this.moments[p]!;
      if (outIdx >= 0) {
        m.remove(groupOf(part, outIdx), values[outIdx]!);
      }
      if (inIdx >= 0) {
        m.add(groupOf(part, inIdx), inIdx, values[inIdx]!);
      }
    }
  }

  size(part: number, g: number): number {
    return this.moments[part]!.size(g);
  }

  stats(part: number, g: number, ws: number, end: number, out: Float64Array, off: number): void {
    this.moments[part]!.stats(g, ws, end, out, off);
  }
}

/**
 * Weighted Z-score: the weighted mean and std need every value's rank-dependent weight, so each point gathers
 * its group's window (O(window), no sort).
 */
class WeightedMomentEngine implements WindowEngine {
  private readonly counts: Int32Array[];
  private readonly wcache: WeightCache;
  private buf: Float64Array;

  constructor(private readonly o: EngineOptions) {
    this.counts = o.partitions.map((p) => new Int32Array(p.groups));
    this.wcache = new WeightCache(o.weights!, o.decay);
    this.buf = new Float64Array(o.window);
  }

  slide(outIdx: number, inIdx: number): void {
    const parts = this.o.partitions;
    for (let p = 0; p < parts.length; p++) {
      const c = this.counts[p]!;
      if (outIdx >= 0) {
        const g = groupOf(parts[p]!, outIdx);
        c[g] = c[g]! - 1;
      }
      if (inIdx >= 0) {
        const g = groupOf(parts[p]!, inIdx);
        c[g] = c[g]! + 1;
      }
    }
  }

  size(part: number, g: number): number {
    return this.counts[part]![g]!;
  }

  stats(part: number, g: number, ws: number, end: number, out: Float64Array, off: number): void {
    const codes = this.o.partitions[part]!.codes;
    const values = this.o.values;
    let n = 0;
    for (let j = ws; j < end; j++) {
      const v = values[j]!;
      if (v === v && (codes === null || codes[j] === g)) {
        this.buf[n++] = v;
      }
    }
    weightedMeanStd(this.buf, this.wcache.get(n), n, out, off);
  }
}

/** detectkit's weighted_mean and weighted_std(ddof=1): Σw(x-m)² / (1 - Σw²). */
export function weightedMeanStd(
  x: ArrayLike<number>,
  w: ArrayLike<number>,
  n: number,
  out: Float64Array,
  off: number
): void {
  let mean = 0;
  for (let j = 0; j < n; j++) {
    mean += x[j]! * w[j]!;
  }
  let v = 0;
  let w2 = 0;
  for (let j = 0; j < n; j++) {
    const d = x[j]! - mean;
    v += w[j]! * d * d;
    w2 += w[j]! * w[j]!;
  }
  out[off] = mean;
  out[off + 1] = Math.sqrt(v / (1 - w2));
}

export function createEngine(o: EngineOptions): WindowEngine {
  if (o.kind === 'zscore') {
    return o.weights === null ? new MomentEngine(o) : new WeightedMomentEngine(o);
  }
  return new SortedEngine(o);
}
