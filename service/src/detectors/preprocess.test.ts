import { ema, preprocess, sma } from './preprocess';
import { computeWeights, quantile7Sorted, weightedPercentileSorted } from './weights';
import { weightedMeanStd } from './engines';
import { detect, expectClose } from './testUtil';
import { metadataJson } from './metadataJson';

const V = [100, 102, NaN, 105, 150, 152, 0, 10];
const arr = (a: Float64Array) => Array.from(a);
const expectAll = (actual: Float64Array, expected: number[]) => {
  expect(actual).toHaveLength(expected.length);
  expected.forEach((e, i) => (Number.isNaN(e) ? expect(actual[i]).toBeNaN() : expectClose(actual[i], e)));
};
const pp = (inputType: 'values' | 'changes' | 'absolute_changes' | 'log_changes', v = V) =>
  preprocess(Float64Array.from(v), { inputType, smoothing: null, smoothingAlpha: 0.3, smoothingWindow: 10 }).processed;

describe('preprocessing (Appendix A.4)', () => {
  it('changes: division by zero is missing, not inf (deviation)', () => {
    expectAll(pp('changes'), [NaN, 0.02, NaN, NaN, 0.42857142857142855, 0.013333333333333334, -1.0, NaN]);
  });
  it('absolute_changes', () => expectAll(pp('absolute_changes'), [NaN, 2, NaN, NaN, 45, 2, -152, 10]));
  it('log_changes', () =>
    expectAll(pp('log_changes'), [
      NaN,
      0.01960847138837618,
      NaN,
      NaN,
      0.35384074270285737,
      0.013158084577510998,
      -5.030437921392435,
      2.3978952727983707,
    ]));
  it('sma w=3', () =>
    expectAll(sma(Float64Array.from(V), 3), [100, 101, 101, 103.5, 127.5, 135.66666666666666, 100.66666666666667, 54]));
  it('ema α=0.5', () =>
    expectAll(ema(Float64Array.from(V), 0.5), [100, 101, 101, 103, 126.5, 139.25, 69.625, 39.8125]));
  it('ema with a leading NaN starts at the first value (detectkit: all NaN)', () => {
    expect(arr(ema(Float64Array.from([NaN, 1, 2]), 0.5))).toEqual([NaN, 1, 1.5]);
  });
  it('sma keeps exact sums over long series', () => {
    const v = Float64Array.from({ length: 1000 }, (_, i) => (i % 7) * 0.1 + 1e6);
    const s = sma(v, 5);
    for (let i = 4; i < 1000; i += 97) {
      let t = 0;
      for (let j = i - 4; j <= i; j++) {
        t += v[j]!;
      }
      expectClose(s[i], t / 5);
    }
  });
});

describe('weights and weighted statistics (Appendix A.4)', () => {
  it('linear and exponential weights', () => {
    expectAll(computeWeights(4, 'linear', 0.95), [0.1, 0.2, 0.3, 0.4]);
    expectAll(
      computeWeights(4, 'exponential', 0.5),
      [0.06666666666666667, 0.13333333333333333, 0.26666666666666666, 0.5333333333333333]
    );
  });
  it('weighted percentile, mad, mean, std', () => {
    const x = [1, 2, 3, 4, 5];
    const w = [0.1, 0.2, 0.4, 0.2, 0.1];
    expectClose(weightedPercentileSorted(x, w, 5, 50), 2.5);
    const devs = x.map((v) => Math.abs(v - 2.5));
    const order = devs.map((d, i) => [d, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    expectClose(
      weightedPercentileSorted(
        order.map((o) => o[0]),
        order.map((o) => w[o[1]]!),
        5,
        50
      ),
      0.5
    );
    const out = new Float64Array(2);
    weightedMeanStd(x, w, 5, out, 0);
    expectClose(out[0], 3.0);
    // ddof 0 variant: Σw(x-m)².
    expectClose(Math.sqrt(x.reduce((s, v, i) => s + w[i]! * (v - 3) ** 2, 0)), 1.0954451150103324);
    const lin = computeWeights(5, 'linear', 0.95);
    expectClose(weightedPercentileSorted(x, lin, 5, 50), 3.375);
    weightedMeanStd(x, lin, 5, out, 0);
    expectClose(out[0], 3.6666666666666665);
    expectClose(out[1], 1.4348601079588785);
  });
  it('uniform weights use numpy type 7', () => {
    expectClose(quantile7Sorted([1, 2, 3, 4], 4, 0.5), 2.5);
    expectClose(quantile7Sorted([1, 2, 3, 4], 4, 0.25), 1.75);
    expectClose(quantile7Sorted([1, 2, 3, 4], 4, 0.75), 3.25);
    expectClose(quantile7Sorted([1, 2, 3, 4, 5], 5, 0.5), 3);
    expectClose(quantile7Sorted([1, 2, 3, 4, 5], 5, 0.25), 2);
    expectClose(quantile7Sorted([1, 2, 3, 4, 5], 5, 0.75), 4);
    const ten = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expectClose(quantile7Sorted(ten, 10, 0.5), 5.5);
    expectClose(quantile7Sorted(ten, 10, 0.25), 3.25);
    expectClose(quantile7Sorted(ten, 10, 0.75), 7.75);
  });
});

describe('detectors with preprocessing and weights (Appendix A.4)', () => {
  const zin = [...Array<number>(5).fill(10), ...Array<number>(5).fill(20), 25];
  const Z = { threshold: 2, window_size: 10, min_samples: 10 };

  it('Z uniform / linear / exponential', () => {
    const u = detect('zscore', Z, zin)[10]!;
    expectClose(u.metadata.global_mean, 15);
    expectClose(u.metadata.global_std, 5.2704627669473);
    expectClose(u.lower, 4.459074466105401);
    expectClose(u.upper, 25.5409255338946);
    expect(u.isAnomaly).toBe(false);
    const l = detect('zscore', { ...Z, window_weights: 'linear' }, zin)[10]!;
    expectClose(l.metadata.global_mean, 17.272727272727273);
    expectClose(l.metadata.global_std, 4.767312946227961);
    expectClose(l.lower, 7.738101380271351);
    expectClose(l.upper, 26.807353165183194);
    const e = detect('zscore', { ...Z, window_weights: 'exponential', weight_decay: 0.8 }, zin)[10]!;
    expectClose(e.metadata.global_mean, 17.531935406121956);
    expectClose(e.metadata.global_std, 4.643422410461283);
    expectClose(e.lower, 8.24509058519939);
    expectClose(e.upper, 26.81878022704452);
    expect(l.isAnomaly || e.isAnomaly).toBe(false);
  });

  const ramp = [100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 150];

  it('MAD on absolute_changes', () => {
    const r = detect('mad', { window_size: 10, min_samples: 5, input_type: 'absolute_changes' }, ramp);
    expect(r[0]!.metadata).toEqual({ reason: 'missing_data' });
    const p = r[10]!;
    expect(p.value).toBe(150);
    expect(p.processedValue).toBe(41);
    expectClose(p.lower, 0.9999999999);
    expectClose(p.upper, 1.0000000001);
    expect(p.isAnomaly).toBe(true);
    expect(p.metadata.direction).toBe('above');
    expectClose(p.metadata.distance, 39.9999999999);
    expect(p.metadata.preprocessing).toEqual({ input_type: 'absolute_changes', smoothing: null });
  });

  it('ManualBounds on changes', () => {
    const p = detect('manual_bounds', { upper_bound: 0.1, input_type: 'changes' }, ramp)[10]!;
    expectClose(p.processedValue, 0.3761467889908257);
    expect(p.lower).toBeNull();
    expect(p.upper).toBe(0.1);
    expect(p.isAnomaly).toBe(true);
    expectClose(p.metadata.distance, 0.2761467889908257);
    expectClose(p.metadata.severity, 0.2761467889908257);
    expect(p.metadata.preprocessing).toEqual({ input_type: 'changes' });
  });

  it('MAD with sma smoothing (NP values)', () => {
    const p = detect('mad', { window_size: 10, min_samples: 5, smoothing: 'sma', smoothing_window: 3 }, ramp)[10]!;
    expectClose(p.processedValue, 122.33333333333333);
    expectClose(p.lower, 96);
    expectClose(p.upper, 111);
    expectClose(p.metadata.global_median, 103.5);
    expectClose(p.metadata.global_mad, 2.5);
    expectClose(p.metadata.severity, 4.533333333333331);
    expect(p.isAnomaly).toBe(true);
    const pre = p.metadata.preprocessing as Record<string, unknown>;
    expect(pre.input_type).toBe('values');
    expect(pre.smoothing).toBe('sma');
    expectClose(pre.smoothed_value, 122.33333333333333);
  });

  it('weighted MAD and IQR run (linear weights walk the sorted window)', () => {
    const r = detect('mad', { window_size: 5, min_samples: 5, window_weights: 'linear' }, [1, 2, 3, 4, 5, 100]);
    expectClose(r[5]!.metadata.global_median, 3.375);
    expect(r[5]!.isAnomaly).toBe(true);
  });
});

describe('DetectionResult and metadata JSON (reference §10.5)', () => {
  it('bounds absent → null; metadata JSON is Python json.dumps style; empty → {}', () => {
    const r = detect('mad', { window_size: 10, min_samples: 5 }, [...Array<number>(13).fill(10), 50]);
    expect(r[0]!.lower).toBeNull();
    expect(r[0]!.upper).toBeNull();
    expect(metadataJson(r[0]!.metadata)).toBe('{"reason": "insufficient_data", "window_size": 0, "min_samples": 5}');
    expect(metadataJson(r[13]!.metadata)).toBe(
      '{"global_median": 10.0, "global_mad": 0.0, "adjusted_median": 10.0, "adjusted_mad": 0.0, "window_size": 10, ' +
        '"direction": "above", "severity": Infinity, "distance": 39.9999999999}'
    );
    expect(metadataJson(null)).toBe('{}');
    expect(metadataJson({})).toBe('{}');
  });
  it('processed value defaults to the value', () => {
    const r = detect('zscore', { window_size: 3, min_samples: 2 }, [3, 6, 4]);
    expect(r.map((x) => x.processedValue)).toEqual([3, 6, 4]);
  });
});
