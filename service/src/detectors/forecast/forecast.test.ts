import { createDetector } from '../registry';
import { contextSize } from '../detectorId';
import { FitCache } from './cache';
import { clearForecastCache } from './forecastDetector';
import { Clock, anchorOf, inferInterval, trainingWindow } from './grid';
import { normalQuantile } from './normal';
import { calendarPeriods, detectPeriods, lagCorrelation } from './periods';
import { gaussian, rng, synthetic } from './synthetic';

/** The mechanics shared by the forecast detectors: refit grid, history, gaps, ids, parameters. */

const H = 3_600_000;
const START = Date.UTC(2024, 0, 1);
/** Hourly points: a daily cycle, noise (fixed seed). */
const hourly = (days: number, seed = 3) =>
  synthetic({ start: START, intervalMs: H, points: days * 24, seed, weekend: 1, trendPerDay: 0 });
const PARAMS = { window_size: 240, refit_every: 24, periods: [24], min_samples: 48 };

describe('refit grid and history', () => {
  it('puts refit points on a grid counted from the epoch and forecasts each block from the one before', () => {
    const s = hourly(20);
    const out = createDetector('mstl', PARAMS).detect({ ...s, intervalMs: H });
    const i = 15 * 24 + 7; // 07:00 on day 15
    expect(out.metadata(i)).toMatchObject({
      model: 'mstl',
      refit_at: new Date(START + 15 * 24 * H).toISOString(),
      horizon: 8,
      trained_on: 240,
      periods: [24],
    });
    expect(anchorOf(START + 7 * H + 5, H, 24)).toBe(START);
  });

  it('gives the same bands whatever history comes before the judged points (pipeline batches)', () => {
    const s = hourly(20);
    const d = createDetector('mstl', PARAMS);
    const full = d.detect({ ...s, intervalMs: H });
    clearForecastCache();
    const from = 17 * 24 + 5;
    const ctx = contextSize(d.params as Record<string, unknown>);
    expect(ctx).toBe(240 + 24 * 4);
    const lo = from - ctx;
    const part = d.detect({
      timestamps: s.timestamps.subarray(lo),
      values: s.values.subarray(lo),
      intervalMs: H,
      evaluateFrom: s.timestamps[from],
    });
    expect(part.metadata(0)).toEqual({ reason: 'history' });
    for (let i = from; i < s.values.length; i++) {
      expect([i, part.lower[i - lo], part.upper[i - lo]]).toEqual([i, full.lower[i], full.upper[i]]);
    }
  });

  it('run() (the pipeline’s, yielding to the event loop between fits) gives what detect() gives', async () => {
    const s = hourly(16);
    const d = createDetector('mstl', PARAMS);
    clearForecastCache();
    // Another task on the event loop gets turns while run() works (it would not while a loop of fits blocked it).
    let turns = 0;
    let done = false;
    const tick = () => {
      turns++;
      if (!done) {
        setImmediate(tick);
      }
    };
    setImmediate(tick);
    const viaRun = await d.run({ ...s, intervalMs: H });
    done = true;
    expect(turns).toBeGreaterThan(5);
    clearForecastCache();
    const viaDetect = d.detect({ ...s, intervalMs: H });
    expect(Array.from(viaRun.upper)).toEqual(Array.from(viaDetect.upper));
    expect(viaRun.metadata(300)).toEqual(viaDetect.metadata(300));
  });

  it('says insufficient_data until min_samples points of history exist', () => {
    const s = hourly(6);
    const out = createDetector('mstl', PARAMS).detect({ ...s, intervalMs: H });
    expect(out.metadata(10)).toEqual({ reason: 'insufficient_data', window_size: 0, min_samples: 48 });
    expect(out.metadata(30)).toEqual({ reason: 'insufficient_data', window_size: 24, min_samples: 48 });
    expect(Number.isNaN(out.lower[30]!)).toBe(true);
    // From day 2 on there is history; the daily season needs two cycles, which day 2 has.
    expect(out.metadata(50)).toMatchObject({ model: 'mstl', trained_on: 48 });
  });

  it('interpolates gaps in the history and keeps a band, without judging, for missing points', () => {
    const s = hourly(14);
    for (let i = 200; i < 206; i++) {
      s.values[i] = NaN;
    }
    s.values[300] = NaN;
    const out = createDetector('mstl', PARAMS).detect({ ...s, intervalMs: H });
    expect(out.metadata(300)).toMatchObject({ reason: 'missing_data' });
    expect(out.isAnomaly[300]).toBe(0);
    expect(Number.isFinite(out.lower[300]!)).toBe(true);
    expect(out.metadata(310)).toMatchObject({ model: 'mstl', trained_on: 240 - 6 });
  });

  it('a constant history gives detectkit’s epsilon band', () => {
    const values = new Float64Array(24 * 5).fill(42);
    values[100] = 43;
    const timestamps = Float64Array.from(values, (_, i) => START + i * H);
    const out = createDetector('ets', { window_size: 48, refit_every: 24, min_samples: 24 }).detect({
      timestamps,
      values,
    });
    expect(out.metadata(99)).toMatchObject({ model: 'constant', expected: 42, score: 0 });
    expect(out.isAnomaly[100]).toBe(1);
    expect(out.upper[100]).toBe(42 + 1e-10);
  });

  it('infers the interval when the caller does not give it', () => {
    const s = hourly(10);
    expect(inferInterval(s.timestamps)).toBe(H);
    const a = createDetector('mstl', PARAMS).detect(s);
    const b = createDetector('mstl', PARAMS).detect({ ...s, intervalMs: H });
    expect(Array.from(a.upper)).toEqual(Array.from(b.upper));
  });
});

describe('ets', () => {
  it('bands a level series and flags a spike', () => {
    const normal = gaussian(rng(5));
    const n = 600;
    const timestamps = Float64Array.from({ length: n }, (_, i) => START + i * H);
    const values = Float64Array.from({ length: n }, (_, i) => 50 + i * 0.01 + normal());
    values[550] = values[550]! + 12;
    const out = createDetector('ets', { window_size: 200, refit_every: 24 }).detect({ timestamps, values });
    expect(out.isAnomaly[550]).toBe(1);
    expect(out.metadata(550)).toMatchObject({ model: 'ets', direction: 'above' });
    let judged = 0;
    let inside = 0;
    for (let i = 0; i < n; i++) {
      if (i !== 550 && !Number.isNaN(out.lower[i]!)) {
        judged++;
        inside += out.isAnomaly[i] ? 0 : 1;
      }
    }
    expect(judged).toBeGreaterThan(300);
    expect(inside / judged).toBeGreaterThanOrEqual(0.95);
  });
});

describe('parameters and ids', () => {
  it.each<[string, Record<string, unknown>, string]>([
    [
      'mstl',
      { interval_width: 1 },
      'interval_width: interval_width must be between 0 and 1 exclusive (e.g. 0.95), got 1',
    ],
    ['mstl', { periods: [1] }, 'each period must be an integer number of points >= 2, got 1'],
    ['mstl', { periods: [] }, 'periods must list at least one season length; omit it to detect them'],
    ['mstl', { periods: [2016], window_size: 3000 }, 'period 2016 needs at least 4032 points of history (two cycles)'],
    ['mstl', { min_samples: 50, window_size: 20 }, 'min_samples cannot exceed window_size (allowed: 3..20), got 50'],
    ['mstl', { refit_every: 0 }, 'refit_every must be at least 1'],
    ['mstl', { timezone: 'Mars/Olympus' }, "timezone: unknown time zone 'Mars/Olympus'"],
    ['ets', { periods: [24] }, "unknown parameter 'periods'"],
    ['prophet', { seasonality_mode: 'both' }, 'seasonality_mode must be one of: additive, multiplicative'],
    ['mstl', { direction: 'sideways' }, "direction must be one of: both, up, down; got 'sideways'"],
    ['ets', { min_deviation: -1 }, 'min_deviation must be a finite number >= 0, got -1'],
  ])('%s %j', (type, params, message) => {
    expect(() => createDetector(type, params, { metric: 'm', position: 1 })).toThrow(message);
  });

  it('ids: defaults omitted, number spelling irrelevant, every type distinct', () => {
    const id = (type: string, p: Record<string, unknown> = {}, floats: string[] = []) =>
      createDetector(type, p, { floatKeys: new Set(floats) }).identity;
    expect(id('mstl', { window_size: 4032, interval_width: 0.95 }).id).toBe(id('mstl').id);
    expect(id('mstl').paramsJson).toBe('{}');
    expect(id('mstl', { min_deviation: 5 }).id).toBe(id('mstl', { min_deviation: 5 }, ['min_deviation']).id);
    expect(id('mstl', { periods: [288, 2016] }).paramsJson).toBe('{"periods":[288,2016]}');
    expect(new Set(['mstl', 'ets', 'prophet'].map((t) => id(t).id)).size).toBe(3);
    expect(id('mstl').className).toBe('MSTLDetector');
    // Fixed values (sha256 of "MSTLDetector[('periods', [288, 2016])]" …): a change would orphan stored rows.
    expect(id('mstl').id).toBe('1751f62bba5c30c7');
    expect(id('mstl', { periods: [288, 2016] }).id).toBe('cee87aaf90efe721');
    expect(id('ets').id).toBe('fbec951112dbb315');
    expect(id('prophet').id).toBe('b80d848e9b3ffc43');
    expect(id('mstl', { periods: [288, 2016], timezone: 'Europe/Berlin' }).paramsJson).toBe(
      '{"periods":[288,2016],"timezone":"Europe/Berlin"}'
    );
  });
});

describe('building blocks', () => {
  it('detects daily and weekly seasons, snapped to the calendar', () => {
    const s = synthetic({ start: START, intervalMs: 900_000, points: 21 * 96, seed: 2 });
    const clock = new Clock(900_000, null);
    const t = trainingWindow(s.timestamps, s.values, START + 21 * 86_400_000, clock, 21 * 96);
    expect(detectPeriods(t.y, 900_000)).toEqual([96, 672]);
    expect(calendarPeriods(300_000)).toEqual([12, 288, 2016]);
    // Noise has no season.
    const normal = gaussian(rng(9));
    expect(
      detectPeriods(
        Float64Array.from({ length: 2000 }, () => normal()),
        900_000
      )
    ).toEqual([]);
    expect(lagCorrelation(Float64Array.from([1, 2, 1, 2, 1, 2]), 2)).toBeCloseTo(1, 12);
  });

  it('lays wall-clock slots over a DST change: the skipped hour is a gap, the repeated one shares slots', () => {
    const clock = new Clock(H, 'Europe/Berlin');
    const spring = Date.UTC(2024, 2, 31, 0); // 01:00 CET; 02:00 CET becomes 03:00 CEST
    expect(clock.slot(spring + H) - clock.slot(spring)).toBe(2);
    const autumn = Date.UTC(2024, 9, 27, 0); // 02:00 CEST; 03:00 CEST becomes 02:00 CET
    expect(clock.slot(autumn + H) - clock.slot(autumn)).toBe(0);
    const timestamps = Float64Array.from({ length: 6 }, (_, i) => spring - 2 * H + i * H);
    const values = Float64Array.from([1, 2, 3, 4, 5, 6]);
    const t = trainingWindow(timestamps, values, spring + 4 * H, clock, 6);
    // Six hours of data over seven wall-clock hours: one interpolated slot.
    expect(Array.from(t.y)).toEqual([1, 2, 3, 3.5, 4, 5, 6]);
    expect(Array.from(t.observed)).toEqual([1, 1, 1, 0, 1, 1, 1]);
  });

  it('normal quantiles', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 8);
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0.005)).toBeCloseTo(-2.5758293035489, 8);
  });

  it('the fit cache evicts the least recently used entry', () => {
    const c = new FitCache<number>(2);
    c.set('a', 1);
    c.set('b', 2);
    expect(c.get('a')).toBe(1);
    c.set('c', 3);
    expect([c.get('a'), c.get('b'), c.get('c')]).toEqual([1, undefined, 3]);
  });
});
