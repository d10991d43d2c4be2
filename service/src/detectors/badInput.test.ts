import { createDetector } from './registry';
import { checkDetectorIdCollisions, checkSeasonalityColumns } from './validate';
import { detect } from './testUtil';

const ctx = { metric: 'cpu', position: 2 };

describe('invalid parameters name the metric, position, parameter and range', () => {
  it.each([
    [
      'mad',
      { threshold: -1 },
      "metric 'cpu', detector #2 (mad): threshold: threshold must be positive (allowed: > 0), got -1",
    ],
    ['mad', { window_size: 0 }, 'window_size: window_size must be at least 1 (allowed: >= 1), got 0'],
    [
      'iqr',
      { window_size: 10, min_samples: 20 },
      'min_samples: min_samples cannot exceed window_size (allowed: 4..10), got 20',
    ],
    [
      'zscore',
      { input_type: 'pct' },
      'input_type: Unknown input_type: pct. Supported values: values, changes, absolute_changes, log_changes',
    ],
    ['mad', { smoothing: 'ema', smoothing_alpha: 1.5 }, 'smoothing_alpha: alpha must be in (0, 1], got 1.5'],
    ['mad', { smoothing_alpha: 0 }, 'smoothing_alpha: alpha must be in (0, 1], got 0'],
    ['mad', { weight_decay: 1 }, 'weight_decay: weight_decay must be in (0, 1), got 1'],
    ['mad', { window_weights: 'quadratic' }, 'Unknown window_weights method: quadratic'],
    ['mad', { recent_weight: 0.2 }, "unknown parameter 'recent_weight'"],
    ['iqr', { min_samples_per_group: 2 }, 'min_samples_per_group must be at least 4 (for quartiles)'],
    ['mad', { window_size: 2.5 }, 'window_size must be an integer'],
  ])('%s %j', (type, params, message) => {
    expect(() => createDetector(type, params, ctx)).toThrow(message);
  });

  it('unknown type lists the available ones', () => {
    expect(() => createDetector('timesfm', {}, ctx)).toThrow(
      "metric 'cpu', detector #2: Unknown detector type: 'timesfm'. Available types: custom, ets, iqr, mad, manual, manual_bounds, mstl, prophet, robust, zscore"
    );
  });

  it('doc spellings of input_type are aliases', () => {
    expect((createDetector('mad', { input_type: 'diff' }).params as { input_type: string }).input_type).toBe(
      'absolute_changes'
    );
  });

  it('a seasonality component must be a provided column', () => {
    expect(() => checkSeasonalityColumns(['hour', 'partiy'], ['hour', 'parity'], { ...ctx, type: 'mad' })).toThrow(
      "metric 'cpu', detector #2 (mad): seasonality_components: unknown seasonality column 'partiy' (allowed: hour, parity)"
    );
    expect(() => checkSeasonalityColumns([['hour', 'parity']], ['hour', 'parity'])).not.toThrow();
  });
});

describe('colliding detectkit ids are refused', () => {
  it('names the parameter that tells the detectors apart', () => {
    const a = createDetector('mad', { window_size: 50, min_samples: 10 });
    const b = createDetector('mad', { window_size: 50, min_samples: 10, seasonality_components: ['hour'] });
    expect(a.identity.id).toBe(b.identity.id);
    expect(() => checkDetectorIdCollisions('cpu', [a, b])).toThrow(
      /metric 'cpu': detectors #1 and #2 \(mad\) differ only in seasonality_components, which detectkit's detector_id ignores/
    );
    const c = createDetector('mad', { smoothing: 'ema', smoothing_alpha: 0.5 });
    const d = createDetector('mad', { smoothing: 'ema', smoothing_alpha: 0.2 });
    expect(() => checkDetectorIdCollisions('cpu', [c, d])).toThrow(/differ only in smoothing_alpha/);
    expect(() => checkDetectorIdCollisions('cpu', [a, a])).toThrow(/are identical/);
    expect(() => checkDetectorIdCollisions('cpu', [a, c])).not.toThrow();
  });
});

describe('degenerate series give defined results', () => {
  const types: Array<[string, Record<string, unknown>]> = [
    ['mad', { window_size: 5, min_samples: 1 }],
    ['zscore', { window_size: 5, min_samples: 2 }],
    ['iqr', { window_size: 5, min_samples: 4 }],
    ['manual_bounds', { upper_bound: 1 }],
    ['mad', { window_size: 5, min_samples: 1, smoothing: 'ema', input_type: 'changes', window_weights: 'linear' }],
  ];
  it.each(types)('%s %j', (type, params) => {
    expect(detect(type, params, [])).toEqual([]);
    const nan = detect(type, params, [NaN, NaN, NaN]);
    expect(nan.every((r) => !r.isAnomaly && r.metadata.reason === 'missing_data')).toBe(true);
    const one = detect(type, params, [5]);
    expect(one).toHaveLength(1);
    expect(one[0]!.isAnomaly).toBe(type === 'manual_bounds');
    const inf = detect(type, params, [1, 2, Infinity, 3, -Infinity, 2, 1, 2, 3, 2]);
    expect(inf).toHaveLength(10);
    // EMA carries the previous level over a missing point (detectkit), so only unsmoothed series skip it.
    if (!params.smoothing) {
      expect(inf[2]!.metadata.reason).toBe('missing_data');
    }
    expect(inf.every((r) => r.lower === null || Number.isFinite(r.lower))).toBe(true);
  });
});
