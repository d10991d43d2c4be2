import { SortedRun } from '../sortedRun';

/** The median of the last `capacity` pushed values (missing ones — NaN — hold a slot but are not counted). */
export class RollingMedian {
  private readonly ring: Float64Array;
  private head = 0;
  private count = 0;
  private readonly run: SortedRun;

  constructor(capacity: number) {
    this.ring = new Float64Array(Math.max(1, capacity));
    this.run = new SortedRun(Math.max(1, capacity), false);
  }

  push(v: number): void {
    if (this.count === this.ring.length) {
      const old = this.ring[this.head]!;
      if (old === old) {
        this.run.remove(old);
      }
    } else {
      this.count++;
    }
    this.ring[this.head] = v;
    this.head = (this.head + 1) % this.ring.length;
    if (v === v) {
      this.run.insert(v, 0);
    }
  }

  /** Values counted (not missing). */
  get size(): number {
    return this.run.size;
  }

  median(): number {
    const n = this.run.size;
    const a = this.run.vals;
    if (n === 0) {
      return NaN;
    }
    return n % 2 === 1 ? a[(n - 1) >> 1]! : (a[n / 2 - 1]! + a[n / 2]!) / 2;
  }

  /** The q-quantile (nearest rank), NaN when empty. */
  quantile(q: number): number {
    const n = this.run.size;
    return n === 0 ? NaN : this.run.vals[Math.min(n - 1, Math.floor(q * n))]!;
  }
}

/** Same window; read for its quantiles. */
export { RollingMedian as RollingQuantile };

/** Median of a few values (the same phase of the last few seasonal cycles); NaN when none is finite. */
export function smallMedian(xs: number[]): number {
  const v = xs.filter((x) => x === x);
  if (v.length === 0) {
    return NaN;
  }
  v.sort((a, b) => a - b);
  const m = v.length >> 1;
  return v.length % 2 === 1 ? v[m]! : (v[m - 1]! + v[m]!) / 2;
}
