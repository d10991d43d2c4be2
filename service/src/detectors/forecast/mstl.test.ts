import { createDetector } from '../registry';
import { expectedAt, synthetic, type SyntheticOptions } from './synthetic';

/**
 * Acceptance of the MSTL detector on synthetic series with known structure: a daily cycle on Berlin wall-clock time
 * (DST starts on 2024-03-31, inside the judged range), quieter weekends, a trend and Gaussian noise (fixed seeds).
 * 15-minute points keep the fits quick; the structure is the same as at 5 minutes (`npm run bench`).
 */

const I = 900_000;
const DAY = 86_400_000;
const START = Date.UTC(2024, 2, 4);
const JUDGED_FROM = START + 24 * DAY;
const OPTS: SyntheticOptions = { start: START, intervalMs: I, points: 42 * 96, seed: 1, timeZone: 'Europe/Berlin' };
const PARAMS = { window_size: 2016, refit_every: 96, timezone: 'Europe/Berlin' };
const SIGMA = 20; // noise: 2 % of the base level 1000

function coverage(
  out: { lower: Float64Array; upper: Float64Array; values: Float64Array },
  normal: (i: number) => boolean
) {
  let judged = 0;
  let inside = 0;
  for (let i = 0; i < out.values.length; i++) {
    if (Number.isNaN(out.lower[i]!) || !normal(i)) {
      continue;
    }
    judged++;
    const x = out.values[i]!;
    if (x >= out.lower[i]! && x <= out.upper[i]!) {
      inside++;
    }
  }
  return { judged, share: inside / judged };
}

describe('mstl on daily + weekly seasonality, a DST change and a trend', () => {
  it.each([1, 2, 3])('covers >= 95 %% of normal points (seed %i), with periods detected', (seed) => {
    const s = synthetic({ ...OPTS, seed });
    const out = createDetector('mstl', PARAMS).detect({ ...s, intervalMs: I, evaluateFrom: JUDGED_FROM });
    const c = coverage(out, () => true);
    expect(c.judged).toBe(18 * 96);
    expect(c.share).toBeGreaterThanOrEqual(0.95);
    // The detected seasons are the day and the week (in 15-minute points).
    expect(out.metadata(out.length - 1)).toMatchObject({ model: 'mstl', periods: [96, 672] });
  });

  it('without the time zone the DST change costs coverage on the days after it', () => {
    const s = synthetic(OPTS);
    const dst = (i: number) => s.timestamps[i]! >= Date.UTC(2024, 2, 31) && s.timestamps[i]! < Date.UTC(2024, 3, 2);
    const local = createDetector('mstl', PARAMS).detect({ ...s, intervalMs: I, evaluateFrom: JUDGED_FROM });
    const utc = createDetector('mstl', { ...PARAMS, timezone: null }).detect({
      ...s,
      intervalMs: I,
      evaluateFrom: JUDGED_FROM,
    });
    expect(coverage(local, dst).share).toBeGreaterThanOrEqual(0.9);
    expect(coverage(utc, dst).share).toBeLessThan(coverage(local, dst).share - 0.1);
  });

  describe('injected anomalies', () => {
    const s = synthetic({ ...OPTS, seed: 4 });
    const spikes = [2400, 2475, 2650, 2800, 3000, 3222];
    const drop = { from: 2900, to: 2908 }; // two hours
    const shiftAt = 3648; // day 38, +25 % to the end
    const injected = new Set<number>([...spikes]);
    spikes.forEach((i, k) => (s.values[i] = s.values[i]! + (k % 2 ? -1 : 1) * 10 * SIGMA));
    for (let i = drop.from; i < drop.to; i++) {
      s.values[i] = s.values[i]! - 0.3 * expectedAt(s.timestamps[i]!, OPTS);
      injected.add(i);
    }
    for (let i = shiftAt; i < s.values.length; i++) {
      s.values[i] = s.values[i]! + 0.25 * expectedAt(s.timestamps[i]!, OPTS);
    }
    const out = createDetector('mstl', PARAMS).detect({ ...s, intervalMs: I, evaluateFrom: JUDGED_FROM });

    it('flags every spike, up and down', () => {
      for (const i of spikes) {
        expect([i, out.isAnomaly[i]]).toEqual([i, 1]);
      }
      expect(out.metadata(spikes[0]!)).toMatchObject({ direction: 'above' });
      expect(out.metadata(spikes[1]!)).toMatchObject({ direction: 'below' });
      expect(out.metadata(spikes[0]!).score as number).toBeGreaterThan(1);
    });

    it('flags the drop', () => {
      for (let i = drop.from; i < drop.to; i++) {
        expect([i, out.isAnomaly[i]]).toEqual([i, 1]);
      }
    });

    it('flags the level shift until the model has learnt it', () => {
      let flagged = 0;
      for (let i = shiftAt; i < shiftAt + 24; i++) {
        flagged += out.isAnomaly[i]!;
      }
      expect(flagged).toBeGreaterThanOrEqual(20); // of the first 6 hours
    });

    it('keeps covering the normal points around them', () => {
      const c = coverage(out, (i) => i < shiftAt && !injected.has(i));
      expect(c.share).toBeGreaterThanOrEqual(0.95);
    });
  });
});
