/**
 * A column of a series as JSON array text, with the offset of every element: any contiguous slice of it is a
 * substring. Formatting numbers is what a series response costs (a week of 1-minute points with three bands is
 * over 100,000 numbers); a column formatted once is then served to every request for any range inside it by
 * copying text.
 */
export class JsonColumn {
  private constructor(
    private readonly text: string,
    /** offsets[i] = where element i starts; offsets[n] = text.length + 1 (past a virtual trailing comma). */
    private readonly offsets: Uint32Array
  ) {}

  /** Numbers; NaN and ±Infinity (missing) as null. */
  static numbers(a: ArrayLike<number>): JsonColumn {
    return JsonColumn.build(a.length, (i) => {
      const v = a[i]!;
      return Number.isFinite(v) ? String(v) : 'null';
    });
  }

  /** 0/1 flags as false/true. */
  static flags(a: ArrayLike<number>): JsonColumn {
    return JsonColumn.build(a.length, (i) => (a[i] ? 'true' : 'false'));
  }

  private static build(n: number, cell: (i: number) => string): JsonColumn {
    const parts = new Array<string>(n);
    const offsets = new Uint32Array(n + 1);
    let pos = 0;
    for (let i = 0; i < n; i++) {
      const s = cell(i);
      parts[i] = s;
      offsets[i] = pos;
      pos += s.length + 1;
    }
    offsets[n] = pos;
    return new JsonColumn(parts.join(','), offsets);
  }

  /** Characters held (for the cache's memory bound). */
  get size(): number {
    return this.text.length;
  }

  /** `[…]` of elements lo (inclusive) to hi (exclusive). */
  slice(lo: number, hi: number): string {
    return hi > lo ? `[${this.text.slice(this.offsets[lo], this.offsets[hi]! - 1)}]` : '[]';
  }
}
