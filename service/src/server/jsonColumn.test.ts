import { JsonColumn } from './jsonColumn';

/** A seeded PRNG (mulberry32): the same cases on every run. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SPECIAL = [
  NaN,
  Infinity,
  -Infinity,
  -0,
  0,
  1e21,
  1e-7,
  -1.5e-300,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  1735689600000,
];

describe('JsonColumn', () => {
  it('slices equal JSON.stringify of the same slice (missing values as null)', () => {
    const rnd = prng(7);
    for (let trial = 0; trial < 50; trial++) {
      const n = Math.floor(rnd() * 40);
      const a = Float64Array.from({ length: n }, () =>
        rnd() < 0.3 ? SPECIAL[Math.floor(rnd() * SPECIAL.length)]! : (rnd() - 0.5) * 10 ** Math.floor(rnd() * 30 - 15)
      );
      const col = JsonColumn.numbers(a);
      const lo = Math.floor(rnd() * (n + 1));
      const hi = lo + Math.floor(rnd() * (n - lo + 1));
      const expected = JSON.stringify(Array.from(a.subarray(lo, hi), (v) => (Number.isFinite(v) ? v : null)));
      expect(col.slice(lo, hi)).toBe(expected);
      expect(JSON.parse(col.slice(0, n))).toHaveLength(n);
    }
  });

  it('writes flags as booleans', () => {
    const col = JsonColumn.flags(Uint8Array.from([1, 0, 0, 1]));
    expect(col.slice(0, 4)).toBe('[true,false,false,true]');
    expect(col.slice(1, 3)).toBe('[false,false]');
    expect(col.slice(2, 2)).toBe('[]');
  });
});
