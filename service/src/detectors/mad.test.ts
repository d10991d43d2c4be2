import { detect, expectClose } from './testUtil';
import { createDetector } from './registry';

const ten = (n: number) => Array<number>(n).fill(10);
const P = { threshold: 3, window_size: 10, min_samples: 5 };

describe('MAD detector (reference §10.1, Appendix A.1)', () => {
  it('has detectkit defaults and stores custom params', () => {
    expect(createDetector('mad', {}).params).toMatchObject({ threshold: 3, window_size: 100, min_samples: 30 });
    expect(createDetector('mad', { threshold: 2.5, window_size: 50, min_samples: 20 }).params).toMatchObject({
      threshold: 2.5,
      window_size: 50,
      min_samples: 20,
    });
  });

  it.each([
    [{ threshold: -1 }, 'threshold must be positive'],
    [{ threshold: 0 }, 'threshold must be positive'],
    [{ window_size: 0 }, 'window_size must be at least 1'],
    [{ min_samples: 0 }, 'min_samples must be at least 1'],
    [{ window_size: 50, min_samples: 100 }, 'min_samples cannot exceed window_size'],
  ])('rejects %j', (params, msg) => {
    expect(() => createDetector('mad', params)).toThrow(msg);
  });

  it('constant series: warm-up then ±1e-10 bounds', () => {
    const r = detect('mad', P, ten(20));
    expect(r).toHaveLength(20);
    for (let i = 0; i < 5; i++) {
      expect(r[i]!.metadata).toEqual({ reason: 'insufficient_data', window_size: i, min_samples: 5 });
      expect(r[i]!.lower).toBeNull();
    }
    for (let i = 5; i < 20; i++) {
      expect(r[i]!.isAnomaly).toBe(false);
      expectClose(r[i]!.lower, 9.9999999999);
      expectClose(r[i]!.upper, 10.0000000001);
    }
    expect(r[5]!.metadata).toEqual({
      global_median: 10,
      global_mad: 0,
      adjusted_median: 10,
      adjusted_mad: 0,
      window_size: 5,
    });
  });

  it('spike above: severity inf, distance 39.9999999999; next point normal', () => {
    const r = detect('mad', P, [...ten(13), 50, 10]);
    expect(r[4]!.metadata).toMatchObject({ reason: 'insufficient_data', window_size: 4 });
    expect(r[13]!.isAnomaly).toBe(true);
    expect(r[13]!.metadata.direction).toBe('above');
    expect(r[13]!.metadata.severity).toBe(Infinity);
    expectClose(r[13]!.metadata.distance, 39.9999999999);
    expectClose(r[13]!.lower, 9.9999999999);
    expect(r[14]!.isAnomaly).toBe(false);
  });

  it('spike 100: distance 89.9999999999, severity > 0', () => {
    const r = detect('mad', P, [...ten(13), 100, 10]);
    expect(r[13]!.isAnomaly).toBe(true);
    expectClose(r[13]!.metadata.distance, 89.9999999999);
    expect(r[13]!.metadata.severity as number).toBeGreaterThan(0);
  });

  it('dip below', () => {
    const r = detect('mad', P, [...ten(13), 0, 10]);
    expect(r[13]!.metadata.direction).toBe('below');
    expectClose(r[13]!.metadata.distance, 9.9999999999);
  });

  it('NaN is missing_data and shrinks later windows', () => {
    const r = detect('mad', P, [...ten(10), NaN, 10, 10]);
    expect(r[10]!.isAnomaly).toBe(false);
    expect(r[10]!.metadata).toEqual({ reason: 'missing_data' });
    expect(r[10]!.lower).toBeNull();
    expect(r[11]!.metadata.window_size).toBe(9);
    expect(r[12]!.metadata.window_size).toBe(9);
  });

  it('tight interval on a constant window', () => {
    const r = detect('mad', P, ten(11));
    const last = r[10]!;
    expect(last.upper! - last.lower!).toBeLessThan(1e-8);
  });

  it('window limit: [1]*5 + [10]*6 with MAD(3,5,3), NP values', () => {
    const r = detect('mad', { threshold: 3, window_size: 5, min_samples: 3 }, [
      1,
      1,
      1,
      1,
      1,
      ...Array<number>(6).fill(10),
    ]);
    expectClose(r[3]!.lower, 0.9999999999);
    expectClose(r[3]!.upper, 1.0000000001);
    for (const i of [5, 6, 7]) {
      expect(r[i]!.isAnomaly).toBe(true);
      expectClose(r[i]!.lower, 0.9999999999);
    }
    expect(r[8]!.isAnomaly).toBe(false);
    expectClose(r[8]!.lower, 9.9999999999);
    expectClose(r[8]!.upper, 10.0000000001);
    expect(r[8]!.metadata).toMatchObject({ global_median: 10, global_mad: 0 });
    expect(r[10]!.isAnomaly).toBe(false);
    expectClose(r[10]!.lower, 9.9999999999);
  });

  it('1..10,5: NP median/MAD', () => {
    const r = detect('mad', P, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 5]);
    expect(r[5]!.isAnomaly).toBe(false);
    expectClose(r[5]!.lower, 0);
    expectClose(r[5]!.upper, 6);
    expect(r[5]!.metadata).toMatchObject({ global_median: 3, global_mad: 1 });
    expect(r[10]!.isAnomaly).toBe(false);
    expectClose(r[10]!.lower, -2);
    expectClose(r[10]!.upper, 13);
    expect(r[10]!.metadata).toMatchObject({ global_median: 5.5, global_mad: 2.5 });
  });

  it('metadata of a normal point has the five statistics keys in order', () => {
    const r = detect('mad', P, ten(11));
    expect(Object.keys(r[10]!.metadata)).toEqual([
      'global_median',
      'global_mad',
      'adjusted_median',
      'adjusted_mad',
      'window_size',
    ]);
  });

  it('ids: equal params equal ids, different thresholds differ, defaults equal explicit', () => {
    const a = createDetector('mad', { threshold: 2.5, window_size: 50 }).identity.id;
    expect(createDetector('mad', { threshold: 2.5, window_size: 50 }).identity.id).toBe(a);
    expect(createDetector('mad', { threshold: 3, window_size: 50 }).identity.id).not.toBe(a);
    expect(createDetector('mad', {}).identity.id).toBe(
      createDetector('mad', { threshold: 3.0, window_size: 100, min_samples: 30 }).identity.id
    );
    expect(createDetector('mad', { threshold: 2.5 }).identity.paramsJson).toBe('{"threshold":2.5}');
    expect(createDetector('mad', P).identity.id).toBe('53713e60c2978d05');
    expect(createDetector('mad', P).identity.paramsJson).toBe('{"min_samples":5,"window_size":10}');
  });
});
