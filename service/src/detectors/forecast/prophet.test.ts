import { createDetector } from '../registry';
import { clearForecastCache } from './forecastDetector';
import { synthetic } from './synthetic';

/** Prophet through augurs and its Stan WASM package (loaded asynchronously: detectors call it through run()). */

const H = 3_600_000;
const START = Date.UTC(2024, 0, 1);

describe('prophet', () => {
  const s = synthetic({ start: START, intervalMs: H, points: 24 * 21, seed: 11, trendPerDay: 0.01 });
  const spike = 24 * 20 + 10;
  s.values[spike] = s.values[spike]! + 300;
  const judgedFrom = START + 24 * 19 * H;
  // 15 days: Prophet's automatic weekly season needs more than two weeks of history.
  const params = { window_size: 360, refit_every: 24, min_samples: 100 };

  it('bands hourly data with daily and weekly seasons and flags a spike', async () => {
    // Explicit seasons get more Fourier terms than Prophet's automatic weekly one, which smooths the weekend step.
    const d = createDetector('prophet', { ...params, periods: [24, 168] });
    const out = await d.run({ ...s, intervalMs: H, evaluateFrom: judgedFrom });
    let judged = 0;
    let inside = 0;
    for (let i = 24 * 19; i < s.values.length; i++) {
      if (i !== spike) {
        judged++;
        inside += out.isAnomaly[i] ? 0 : 1;
      }
    }
    expect(judged).toBe(47);
    // Two days, one a weekend day: Prophet's smooth weekly curve misses some of the weekend step.
    expect(inside / judged).toBeGreaterThanOrEqual(0.85);
    expect(out.isAnomaly[spike]).toBe(1);
    expect(out.metadata(spike)).toMatchObject({ model: 'prophet', direction: 'above', horizon: 11 });
    expect(out.metadata(spike).calibration).toBeGreaterThan(0);
  });

  it('with its automatic seasons, flags the spike and gives nearly the same band when fitted again', async () => {
    // Its own intervals come from random simulation; the band here comes from residuals. The Stan optimiser in
    // WebAssembly is not bit-for-bit repeatable (seed or not): refits agree to a fraction of a percent.
    const d = createDetector('prophet', params);
    const a = await d.run({ ...s, intervalMs: H, evaluateFrom: START + 24 * 20 * H });
    clearForecastCache();
    const b = await d.run({ ...s, intervalMs: H, evaluateFrom: START + 24 * 20 * H });
    for (let i = 24 * 20; i < s.values.length; i++) {
      expect(Math.abs(b.upper[i]! - a.upper[i]!)).toBeLessThan(0.005 * Math.abs(a.upper[i]!));
    }
    expect(a.isAnomaly[spike]).toBe(1);
    expect(a.metadata(s.values.length - 1)).toMatchObject({ model: 'prophet', periods: [] });
  });
});
