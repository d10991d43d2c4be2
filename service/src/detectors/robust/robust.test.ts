import { scoreEvents, runs, figures } from '../../../bench/quality/events';
import { detectRobust, intervalOf, ROBUST_DEFAULTS } from './robust';

const MIN = 60_000;

function series(n: number, f: (i: number) => number) {
  return {
    timestamps: Float64Array.from({ length: n }, (_, i) => Date.UTC(2026, 0, 1) + i * MIN),
    values: Float64Array.from({ length: n }, (_, i) => f(i)),
  };
}

/** Deterministic noise in [-1, 1). */
const noise = (i: number) => ((i * 2654435761) >>> 0) / 2 ** 31 - 1;

describe('the recommended (robust) detector', () => {
  test('flags a spike and a dip on a noisy series, nothing else', () => {
    const s = series(3000, (i) => 100 + 3 * noise(i) + (i === 2000 ? 60 : 0) + (i === 2500 ? -60 : 0));
    const r = detectRobust(ROBUST_DEFAULTS, s.timestamps, s.values);
    expect(runs(r.isAnomaly).map(([a]) => a)).toEqual([2000, 2500]);
    expect(r.score[2000]).toBeGreaterThan(1);
    expect(r.lower[1999]).toBeLessThan(100);
    expect(r.upper[1999]).toBeGreaterThan(100);
  });

  test('a flat series and a quantised counter stay quiet', () => {
    const flat = series(2000, () => 42);
    expect(detectRobust(ROBUST_DEFAULTS, flat.timestamps, flat.values).isAnomaly.some(Boolean)).toBe(false);
    const counts = series(5000, (i) => Math.max(0, Math.round(3 + 1.5 * noise(i))));
    expect(detectRobust(ROBUST_DEFAULTS, counts.timestamps, counts.values).isAnomaly.some(Boolean)).toBe(false);
  });

  test('a level shift is one event, not an alarm that never ends', () => {
    const s = series(4000, (i) => 100 + 2 * noise(i) + (i >= 3000 ? 40 : 0));
    const r = detectRobust(ROBUST_DEFAULTS, s.timestamps, s.values);
    const ev = runs(r.isAnomaly);
    expect(ev.length).toBe(1);
    expect(ev[0]![0]).toBe(3000);
    expect(ev[0]![1]).toBeLessThan(3100);
  });

  test('missing points and a series shorter than min_samples are handled', () => {
    const s = series(20, (i) => (i % 3 === 0 ? NaN : 5));
    const r = detectRobust(ROBUST_DEFAULTS, s.timestamps, s.values);
    expect(r.isAnomaly.some(Boolean)).toBe(false);
    expect(intervalOf(s.timestamps)).toBe(60);
  });
});

describe('event scoring', () => {
  test('events, tolerance, early weight and false alarms', () => {
    const labels = [0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    const flags = [0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0];
    const s = scoreEvents(labels, flags, 2);
    expect(s).toMatchObject({ labelled: 2, found: 1, flagged: 2, correct: 1 });
    const f = figures(s);
    expect(f.precision).toBe(0.5);
    expect(f.recall).toBe(0.5);
    expect(s.earlyWeight).toBeCloseTo(1 - 1 / 4, 12);
    expect(figures(scoreEvents([0, 0, 0, 0], [0, 1, 0, 1], 0)).falseAlarmsPer10k).toBe(5000);
  });
});
