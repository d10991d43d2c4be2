import { detectPeriod, medianOf } from './seasonality';

/** Deterministic noise in [-1, 1) (mulberry32 of the index: a plain multiplicative hash repeats with lattice periods). */
function noise(i: number): number {
  let t = (i + 0x6d2b79f5) | 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 2 ** 31 - 1;
}

describe('seasonality of the robust detector', () => {
  it('medianOf (quickselect) equals the median of a sorted copy, duplicates and even lengths included', () => {
    for (let n = 1; n < 60; n++) {
      const a = Float64Array.from({ length: n }, (_, i) => Math.round(10 * noise(i * 7 + n)) + 0);
      const sorted = [...a].sort((x, y) => x - y);
      const want = n % 2 ? sorted[n >> 1]! : (sorted[(n >> 1) - 1]! + sorted[n >> 1]!) / 2;
      expect(medianOf(Float64Array.from(a), n)).toBe(want);
    }
  });

  it('a daily cycle is found, and a 12-hour incident in two weeks of history does not hide it', () => {
    const perDay = 288;
    const x = Float64Array.from(
      { length: 14 * perDay },
      (_, i) =>
        200 +
        40 * Math.sin((2 * Math.PI * i) / perDay) +
        3 * noise(i) +
        (i >= 10 * perDay && i < 10 * perDay + 144 ? 150 : 0)
    );
    expect(detectPeriod(x, 10 * perDay, 300)).toBe(perDay);
    expect(detectPeriod(x, 11 * perDay, 300)).toBe(perDay);
    expect(detectPeriod(x, 14 * perDay, 300)).toBe(perDay);
  });

  it('noise, a trend and too short a history have no period', () => {
    const n = 10 * 288;
    expect(
      detectPeriod(
        Float64Array.from({ length: n }, (_, i) => noise(i)),
        n,
        300
      )
    ).toBe(0);
    expect(
      detectPeriod(
        Float64Array.from({ length: n }, (_, i) => i / 100 + noise(i)),
        n,
        300
      )
    ).toBe(0);
    expect(
      detectPeriod(
        Float64Array.from({ length: 500 }, (_, i) => Math.sin(i / 10)),
        500,
        300
      )
    ).toBe(0);
  });

  it('a weekly cycle (quiet weekends) is chosen over the daily one when it explains more', () => {
    const perDay = 24;
    const x = Float64Array.from({ length: 5 * 7 * perDay }, (_, i) => {
      const day = Math.floor(i / perDay) % 7;
      return (day >= 5 ? 20 : 100) + 30 * Math.sin((2 * Math.PI * i) / perDay) + 2 * noise(i);
    });
    expect(detectPeriod(x, x.length, 3600)).toBe(7 * perDay);
  });
});
