/**
 * Exact running sum (Shewchuk's non-overlapping partials, as Python's math.fsum) that also supports removing a
 * value (adding its negation). The Z-score's mean is this sum divided by n, so it is the correctly rounded mean
 * of the window whatever order values entered and left: a window whose values cancel to exactly 0 has mean 0,
 * which decides detectkit's `mean != 0` guard on seasonal multipliers the same way every time.
 */
export function addPartial(p: number[], value: number): void {
  const typed = Float64Array.from({ length: p.length + 1 }, (_, i) => p[i] ?? 0);
  const len = addPartialTyped(typed, p.length, value);
  p.length = 0;
  for (let i = 0; i < len; i++) {
    p.push(typed[i]!);
  }
}

/** The correctly rounded value of the partials (CPython's fsum epilogue, with its half-even correction). */
export function partialsValue(p: number[]): number {
  return partialsValueTyped(Float64Array.from(p), p.length);
}

/** math.fsum of finite values. */
export function fsum(values: Iterable<number>): number {
  const p: number[] = [];
  for (const v of values) {
    addPartial(p, v);
  }
  return partialsValue(p);
}

/**
 * Typed variant for the hot path: partials in `p[0..len)`, returns the new length. The caller grows `p` when
 * the returned length reaches its capacity (non-overlapping partials of doubles stay well under 48; real data
 * needs 1–3).
 */
export function addPartialTyped(p: Float64Array, len: number, value: number): number {
  let x = value;
  let i = 0;
  for (let j = 0; j < len; j++) {
    let y = p[j]!;
    if (Math.abs(x) < Math.abs(y)) {
      const t = x;
      x = y;
      y = t;
    }
    const hi = x + y;
    const lo = y - (hi - x);
    if (lo !== 0) {
      p[i++] = lo;
    }
    x = hi;
  }
  p[i] = x;
  return i + 1;
}

/** partialsValue over `p[0..len)`. */
export function partialsValueTyped(p: Float64Array, len: number): number {
  let n = len;
  if (n === 0) {
    return 0;
  }
  let hi = p[--n]!;
  if (n === 0) {
    return hi;
  }
  let lo = 0;
  while (n > 0) {
    const x = hi;
    const y = p[--n]!;
    hi = x + y;
    const yr = hi - x;
    lo = y - yr;
    if (lo !== 0) {
      break;
    }
  }
  if (n > 0 && ((lo < 0 && p[n - 1]! < 0) || (lo > 0 && p[n - 1]! > 0))) {
    const y = lo * 2;
    const x = hi + y;
    if (y === x - hi) {
      hi = x;
    }
  }
  return hi;
}
