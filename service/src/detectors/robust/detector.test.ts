import { createDetector } from '../registry';
import { runs } from '../../../bench/quality/events';

/**
 * `type: robust` through the registry: the contract (bands, flags, score, metadata), its identity, and the bad
 * input the issue names (too short for the season, constant, huge gaps): defined results, no exception, no flood.
 */

const MIN = 60_000;
const HOUR = 3_600_000;
const noise = (i: number) => ((i * 2654435761) >>> 0) / 2 ** 31 - 1;

function input(n: number, stepMs: number, f: (i: number) => number) {
  return {
    timestamps: Float64Array.from({ length: n }, (_, i) => Date.UTC(2026, 0, 5) + i * stepMs),
    values: Float64Array.from({ length: n }, (_, i) => f(i)),
  };
}

describe('robust detector (the recommended configuration)', () => {
  it('has defaults that need no parameters, a class name and the history as its context', () => {
    const d = createDetector('robust', {});
    expect(d.identity.className).toBe('RobustDetector');
    expect(d.identity.paramsJson).toBe('{}');
    expect(d.contextSize).toBe(10080);
    expect(createDetector('robust', { threshold: 4 }).identity.id).not.toBe(d.identity.id);
  });

  it('flags a spike on hourly data with a daily cycle, with the score and metadata of the contract', () => {
    const s = input(
      24 * 21,
      HOUR,
      (i) => 100 + 30 * Math.sin((2 * Math.PI * i) / 24) + 3 * noise(i) + (i === 450 ? 120 : 0)
    );
    const out = createDetector('robust', {}).detect(s);
    expect(runs(out.isAnomaly).map(([a]) => a)).toEqual([450]);
    const md = out.metadata(450);
    expect(md).toMatchObject({ direction: 'above', period: 24 });
    expect(md.score).toBeGreaterThan(1);
    expect(md.severity as number).toBeCloseTo(md.score as number, 9);
    expect(md.expected).toBeCloseTo(100 + 30 * Math.sin((2 * Math.PI * 450) / 24), -1);
    // Normal points carry the score too (≤ 1 inside the band).
    expect(out.metadata(449).score).toBeLessThanOrEqual(1);
    expect(out.metadata(0)).toEqual({ reason: 'insufficient_data', min_samples: 30 });
  });

  it('the same configuration at 1 minute, 5 minutes and 1 hour: a dip is found, the rest is quiet', () => {
    for (const step of [MIN, 5 * MIN, HOUR]) {
      const perDay = Math.round(86_400_000 / step);
      const n = Math.min(perDay * 10, 20_000);
      const at = n - 50;
      const s = input(
        n,
        step,
        (i) => 500 + 100 * Math.sin((2 * Math.PI * i) / perDay) + 10 * noise(i) - (i === at ? 300 : 0)
      );
      const out = createDetector('robust', {}).detect(s);
      expect(runs(out.isAnomaly).map(([a]) => a)).toEqual([at]);
    }
  });

  it('bad input: shorter than a season, constant, huge gaps — no exception, no flood', () => {
    // Three hours of 1-minute data: no cycle can be seen; the level and spread still work after min_samples.
    const short = createDetector('robust', {}).detect(input(180, MIN, (i) => 50 + noise(i)));
    expect(short.isAnomaly.some(Boolean)).toBe(false);
    expect(Number.isNaN(short.lower[29]!)).toBe(true);
    expect(Number.isNaN(short.lower[179]!)).toBe(false);
    // All-constant: the relative floor keeps a band; nothing is flagged, and a real change is.
    const flat = createDetector('robust', {}).detect(input(2000, MIN, (i) => (i === 1990 ? 80 : 42)));
    expect(runs(flat.isAnomaly).map(([a]) => a)).toEqual([1990]);
    expect(flat.upper[1000]! - flat.lower[1000]!).toBeCloseTo(2 * 4.2, 9);
    // 95 % of the points missing, in long holes: missing points get no band and no verdict.
    const gappy = input(20_000, MIN, (i) => (i % 1000 < 950 ? NaN : 10 + noise(i)));
    const g = createDetector('robust', {}).detect(gappy);
    expect(g.isAnomaly.some(Boolean)).toBe(false);
    expect(g.metadata(100)).toEqual({ reason: 'missing_data' });
  });

  it('refuses bad parameters with the parameter, the allowed range and the value', () => {
    expect(() => createDetector('robust', { seasonality: 'weekly' })).toThrow(
      "seasonality must be auto, none or a period in points (e.g. 1440), got 'weekly'"
    );
    expect(() => createDetector('robust', { threshold: -1 })).toThrow('threshold must be positive');
    expect(() => createDetector('robust', { tail_window: 5 })).toThrow("unknown parameter 'tail_window'");
  });
});

describe('robust detector after an incident', () => {
  it('a long incident does not blind it to the next one (one excursion, not hundreds of points, in the burst floor)', () => {
    // 5-minute data with a daily cycle: a 12-hour shift of +150 on day 8, then a 1-hour +150 step on day 11.
    const perDay = 288;
    const first = 8 * perDay;
    const second = 11 * perDay + 100;
    const s = input(14 * perDay, 5 * MIN, (i) => {
      const base = 200 + 40 * Math.sin((2 * Math.PI * i) / perDay) + 5 * noise(i);
      const shifted = (i >= first && i < first + 144) || (i >= second && i < second + 12);
      return base + (shifted ? 150 : 0);
    });
    const out = createDetector('robust', {}).detect(s);
    const starts = runs(out.isAnomaly).map(([a]) => a);
    expect(starts).toContain(first);
    // The second one is found at once (or at its second point, a marginal first point waiting for confirmation).
    expect(starts.some((a) => a >= second && a <= second + 1)).toBe(true);
    // Two days after the first incident the band's half-width is well below the incident's size (it used to be
    // ±165 for two weeks: the shift's 144 points had become the series' "usual burst").
    expect((out.upper[first + 2 * perDay]! - out.lower[first + 2 * perDay]!) / 2).toBeLessThan(150 / 2);
  });
});
