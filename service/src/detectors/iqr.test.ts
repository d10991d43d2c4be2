import { detect, expectClose } from './testUtil';
import { createDetector } from './registry';

const ten = (n: number) => Array<number>(n).fill(10);
const P = { threshold: 1.5, window_size: 10, min_samples: 5 };

describe('IQR detector (reference §10.3, Appendix A.1)', () => {
  it('defaults and errors', () => {
    expect(createDetector('iqr', {}).params).toMatchObject({ threshold: 1.5, window_size: 100, min_samples: 30 });
    expect(() => createDetector('iqr', { threshold: -1 })).toThrow('threshold must be positive');
    expect(() => createDetector('iqr', { window_size: 0 })).toThrow('window_size must be at least 1');
    expect(() => createDetector('iqr', { min_samples: 3 })).toThrow('min_samples must be at least 4');
    expect(() => createDetector('iqr', { window_size: 10, min_samples: 20 })).toThrow(
      'min_samples cannot exceed window_size'
    );
  });

  it('constant, spike, dip, NaN, tight interval', () => {
    const c = detect('iqr', P, ten(20));
    expect(c.slice(0, 5).every((r) => r.metadata.reason === 'insufficient_data')).toBe(true);
    expect(c.slice(5).every((r) => !r.isAnomaly)).toBe(true);
    const s = detect('iqr', P, [...ten(13), 50, 10]);
    expect(s[13]!.metadata.direction).toBe('above');
    expect(s[13]!.metadata.severity as number).toBeGreaterThan(0);
    const d = detect('iqr', P, [...ten(13), -50, 10]);
    expect(d[13]!.metadata.direction).toBe('below');
    expectClose(d[13]!.lower, 9.9999999999);
    expectClose(d[13]!.upper, 10.0000000001);
    expectClose(d[13]!.metadata.distance, 59.9999999999);
    const n = detect('iqr', P, [...ten(10), NaN, 10, 10]);
    expect(n[10]!.metadata).toEqual({ reason: 'missing_data' });
    const t = detect('iqr', P, ten(11));
    expect(t[10]!.upper! - t[10]!.lower!).toBeLessThan(1e-8);
  });

  it('quartiles are numpy type 7 (the test that fails at detectkit HEAD)', () => {
    const r = detect('iqr', P, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 5]);
    const last = r[10]!;
    expect(Object.keys(last.metadata)).toEqual([
      'global_q1',
      'global_q3',
      'global_iqr',
      'adjusted_q1',
      'adjusted_q3',
      'adjusted_iqr',
      'window_size',
    ]);
    expectClose(last.metadata.global_q1, 3.25);
    expectClose(last.metadata.global_q3, 7.75);
    expectClose(last.metadata.global_iqr, 4.5);
    expectClose(last.lower, -3.5);
    expectClose(last.upper, 14.5);
    expect(last.isAnomaly).toBe(false);
    expectClose(r[5]!.lower, -1);
    expectClose(r[5]!.upper, 7);
    expect(r[5]!.metadata).toMatchObject({ global_q1: 2, global_q3: 4 });
    expectClose(r[8]!.lower, -2.5);
    expectClose(r[8]!.upper, 11.5);
    expect(r[8]!.metadata).toMatchObject({ global_q1: 2.75, global_q3: 6.25 });
  });

  it('skewed data', () => {
    const v = [...Array<number>(10).fill(1), 2, 2, 2, 2, 2, 3, 3, 3, 5, 8, 50];
    const r = detect('iqr', { threshold: 1.5, window_size: 20, min_samples: 10 }, v);
    expect(r[10]!.isAnomaly).toBe(true);
    expectClose(r[10]!.lower, 0.9999999999);
    expectClose(r[10]!.upper, 1.0000000001);
    expect(r[15]!.isAnomaly).toBe(false);
    expectClose(r[15]!.lower, -0.5);
    expectClose(r[15]!.upper, 3.5);
    expect(r[19]!.isAnomaly).toBe(true);
    expectClose(r[19]!.metadata.severity, 4.5);
    expectClose(r[19]!.metadata.distance, 4.5);
    const last = r[20]!;
    expect(last.isAnomaly).toBe(true);
    expectClose(last.lower, -0.875);
    expectClose(last.upper, 4.125);
    expectClose(last.metadata.distance, 45.875);
    expectClose(last.metadata.severity, 36.7);
    expect(last.metadata).toMatchObject({ global_q1: 1, global_q3: 2.25, global_iqr: 1.25 });
  });

  it('ids and params', () => {
    const iqr3 = createDetector('iqr', { threshold: 3 }, { floatKeys: new Set(['threshold']) });
    expect(iqr3.identity.paramsJson).toBe('{"threshold":3.0}');
    expect(iqr3.identity.id).toBe('fbcae97dd6756775');
    expect(iqr3.identity.id).not.toBe(createDetector('mad', { threshold: 3 }).identity.id);
    expect(createDetector('iqr', P).identity.id).toBe('a52d59c77dc8b1f6');
  });
});
