import { nextDue, offsetMs, ownsMetric, parseShard } from './timing';

describe('scheduling arithmetic', () => {
  test('--shard i/n is 1-based and checked', () => {
    expect(parseShard('1/3')).toEqual({ index: 0, count: 3 });
    expect(parseShard(' 3/3 ')).toEqual({ index: 2, count: 3 });
    for (const bad of ['0/3', '4/3', '1/0', 'a/b', '1-3', '']) {
      expect(() => parseShard(bad)).toThrow(/expected i\/n with 1 ≤ i ≤ n/);
    }
  });

  test('every metric belongs to exactly one shard, and the split is roughly even', () => {
    const names = Array.from({ length: 3000 }, (_, i) => `metric_${i}`);
    const shards = [0, 1, 2].map((index) => ({ index, count: 3 }));
    const counts = shards.map((sh) => names.filter((n) => ownsMetric(n, sh)).length);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(3000);
    names.forEach((n) => expect(shards.filter((sh) => ownsMetric(n, sh)).length).toBe(1));
    counts.forEach((c) => expect(c).toBeGreaterThan(850));
    expect(ownsMetric('x', undefined)).toBe(true);
  });

  test('due times sit on the grid plus the metric offset, strictly after now', () => {
    const I = 60;
    const now = Date.UTC(2026, 0, 1, 12, 0, 30);
    expect(nextDue(now, I, 5_000)).toEqual({ tick: Date.UTC(2026, 0, 1, 12, 1), due: Date.UTC(2026, 0, 1, 12, 1, 5) });
    // Just before this minute's run (12:00:05) it is still ahead.
    expect(nextDue(Date.UTC(2026, 0, 1, 12, 0, 4), I, 5_000).due).toBe(Date.UTC(2026, 0, 1, 12, 0, 5));
    // Exactly at a due time, the next one is a whole interval later.
    expect(nextDue(Date.UTC(2026, 0, 1, 12, 0, 5), I, 5_000).due).toBe(Date.UTC(2026, 0, 1, 12, 1, 5));
  });

  test('offsets are delay plus a stable jitter, capped at a fifth of the interval', () => {
    const t = { delayMs: 2_000, jitterMs: 10_000 };
    const a = offsetMs('cpu', 60, t);
    expect(offsetMs('cpu', 60, t)).toBe(a);
    expect(a).toBeGreaterThanOrEqual(2_000);
    expect(a).toBeLessThan(12_000);
    const spread = new Set(Array.from({ length: 50 }, (_, i) => offsetMs(`m${i}`, 60, t)));
    expect(spread.size).toBeGreaterThan(40);
    for (let i = 0; i < 50; i++) {
      expect(offsetMs(`m${i}`, 10, t)).toBeLessThan(2_000 + 2_000);
    }
  });
});
