import { addPartialTyped, partialsValueTyped } from './exactSum';

/**
 * Running mean and sample standard deviation per group over a sliding window, O(1) per step. Sums are kept
 * around a shift K (the last exact mean) so large levels do not cancel; they are recomputed exactly from the
 * window when rounding could have built up: after 2·window updates, or when the magnitude that passed through
 * the sums dwarfs the current spread (a spike leaving the window).
 *
 * The mean itself comes from an exact running sum (exactSum.ts), so it is the correctly rounded mean.
 *
 * A window whose values are all equal has mean = that value and std = 0 exactly, tracked by remembering where
 * the latest run of equal values began, so constant windows get detectkit's ±1e-10 bounds without noise.
 */
const EMPTY = new Float64Array(0);
// Local bindings: transpiled CommonJS turns imported calls into getter reads on every call in the hot loop.
const addPartialFast = addPartialTyped;
const partialsValueFast = partialsValueTyped;

export class GroupMoments {
  private readonly count: Int32Array;
  private readonly shift: Float64Array;
  private readonly s1: Float64Array;
  private readonly s2: Float64Array;
  private readonly mass: Float64Array;
  private readonly ops: Int32Array;
  private readonly lastVal: Float64Array;
  private readonly lastIdx: Int32Array;
  /** Index of the last value before the current run of equal values (-1: none). */
  private readonly runBreak: Int32Array;
  private readonly sums: Float64Array[];
  private readonly sumLen: Int32Array;

  constructor(
    groups: number,
    private readonly values: Float64Array,
    private readonly codes: Int32Array | null,
    private readonly window: number
  ) {
    this.count = new Int32Array(groups);
    this.shift = new Float64Array(groups);
    this.s1 = new Float64Array(groups);
    this.s2 = new Float64Array(groups);
    this.mass = new Float64Array(groups);
    this.ops = new Int32Array(groups);
    this.lastVal = new Float64Array(groups);
    this.lastIdx = new Int32Array(groups).fill(-1);
    this.runBreak = new Int32Array(groups).fill(-1);
    this.sums = Array.from({ length: groups }, () => EMPTY);
    this.sumLen = new Int32Array(groups);
  }

  private addExact(g: number, v: number): void {
    let p = this.sums[g]!;
    const len = this.sumLen[g]!;
    if (len + 1 >= p.length) {
      // Allocated on first use and grown rarely: most groups need 1–3 partials.
      const bigger = new Float64Array(Math.max(4, p.length * 2));
      bigger.set(p.subarray(0, len));
      p = bigger;
      this.sums[g] = p;
    }
    this.sumLen[g] = addPartialFast(p, len, v);
  }

  size(g: number): number {
    return this.count[g]!;
  }

  add(g: number, i: number, v: number): void {
    if (this.count[g] === 0) {
      this.shift[g] = v;
      this.s1[g] = 0;
      this.s2[g] = 0;
      this.mass[g] = 0;
      this.ops[g] = 0;
    }
    const d = v - this.shift[g]!;
    this.s1[g] = this.s1[g]! + d;
    this.s2[g] = this.s2[g]! + d * d;
    this.mass[g] = this.mass[g]! + d * d;
    this.ops[g] = this.ops[g]! + 1;
    this.count[g] = this.count[g]! + 1;
    this.addExact(g, v);
    if (this.lastIdx[g]! >= 0 && this.lastVal[g] !== v) {
      this.runBreak[g] = this.lastIdx[g]!;
    }
    this.lastVal[g] = v;
    this.lastIdx[g] = i;
  }

  remove(g: number, v: number): void {
    const d = v - this.shift[g]!;
    this.s1[g] = this.s1[g]! - d;
    this.s2[g] = this.s2[g]! - d * d;
    this.mass[g] = this.mass[g]! + d * d;
    this.ops[g] = this.ops[g]! + 1;
    this.count[g] = this.count[g]! - 1;
    this.addExact(g, -v);
  }

  /** Exact two-pass sums over the group's values in [ws, end), re-centred on their mean. */
  private recompute(g: number, ws: number, end: number): void {
    const values = this.values;
    const codes = this.codes;
    let sum = 0;
    let n = 0;
    for (let j = ws; j < end; j++) {
      const v = values[j]!;
      if (v === v && (codes === null || codes[j] === g)) {
        sum += v;
        n++;
      }
    }
    const k = sum / n;
    let s1 = 0;
    let s2 = 0;
    for (let j = ws; j < end; j++) {
      const v = values[j]!;
      if (v === v && (codes === null || codes[j] === g)) {
        const d = v - k;
        s1 += d;
        s2 += d * d;
      }
    }
    this.shift[g] = k;
    this.s1[g] = s1;
    this.s2[g] = s2;
    this.mass[g] = s2;
    this.ops[g] = 0;
  }

  /** Mean and sample std (ddof 1; NaN for a single value, as numpy's 0/0) of group g over [ws, end). */
  stats(g: number, ws: number, end: number, out: Float64Array, off: number): void {
    const n = this.count[g]!;
    if (this.runBreak[g]! < ws) {
      out[off] = this.lastVal[g]!;
      out[off + 1] = n > 1 ? 0 : NaN;
      return;
    }
    let varSum = this.s2[g]! - (this.s1[g]! * this.s1[g]!) / n;
    if (this.ops[g]! > 2 * this.window + 16 || !(varSum > 0) || this.mass[g]! > 1e4 * varSum) {
      this.recompute(g, ws, end);
      varSum = this.s2[g]! - (this.s1[g]! * this.s1[g]!) / n;
    }
    out[off] = partialsValueFast(this.sums[g]!, this.sumLen[g]!) / n;
    out[off + 1] = n > 1 ? Math.sqrt(Math.max(0, varSum) / (n - 1)) : NaN;
  }
}
