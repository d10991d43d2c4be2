import { detect, expectClose } from './testUtil';
import { createDetector } from './registry';
import { NORMAL_SERIES } from './fixtures';

const ten = (n: number) => Array<number>(n).fill(10);
const P = { threshold: 3, window_size: 10, min_samples: 5 };

describe('Z-score detector (reference §10.2, Appendix A.1/A.2)', () => {
  it('defaults and errors', () => {
    expect(createDetector('zscore', {}).params).toMatchObject({ threshold: 3, window_size: 100, min_samples: 30 });
    expect(() => createDetector('zscore', { threshold: 0 })).toThrow('threshold must be positive');
    expect(() => createDetector('zscore', { window_size: 0 })).toThrow('window_size must be at least 1');
    expect(() => createDetector('zscore', { min_samples: 1 })).toThrow('min_samples must be at least 2');
    expect(() => createDetector('zscore', { window_size: 10, min_samples: 20 })).toThrow(
      'min_samples cannot exceed window_size'
    );
  });

  it('constant, spike, NaN, dip, tight interval', () => {
    const c = detect('zscore', P, ten(20));
    expect(c.slice(0, 5).every((r) => r.metadata.reason === 'insufficient_data')).toBe(true);
    expectClose(c[19]!.lower, 9.9999999999);
    const s = detect('zscore', P, [...ten(13), 50, 10]);
    expect(s[13]!.isAnomaly).toBe(true);
    expect(s[13]!.metadata.severity).toBe(Infinity);
    expectClose(s[13]!.lower, 9.9999999999);
    expect(s[14]!.isAnomaly).toBe(false);
    expectClose(s[14]!.lower, -23.947331922020552);
    expectClose(s[14]!.upper, 51.94733192202055);
    expect(s[14]!.metadata).toMatchObject({ global_mean: 14 });
    expectClose(s[14]!.metadata.global_std, 12.649110640673518);
    const h = detect('zscore', P, [...ten(13), 100, 10]);
    expect(h[13]!.metadata.severity as number).toBeGreaterThan(3);
    expectClose(h[14]!.lower, -66.38149682454625);
    expectClose(h[14]!.upper, 104.38149682454625);
    expectClose(h[14]!.metadata.global_std, 28.460498941515414);
    const n = detect('zscore', P, [...ten(10), NaN, 10, 10]);
    expect(n[10]!.metadata).toEqual({ reason: 'missing_data' });
    expect(n[11]!.metadata.window_size).toBe(9);
    const d = detect('zscore', P, [...ten(13), 0, 10]);
    expect(d[13]!.metadata.direction).toBe('below');
    const t = detect('zscore', P, ten(11));
    expect(t[10]!.upper! - t[10]!.lower!).toBeLessThan(1e-8);
    expect(Object.keys(t[10]!.metadata)).toEqual([
      'global_mean',
      'global_std',
      'adjusted_mean',
      'adjusted_std',
      'window_size',
    ]);
  });

  it('1..10,5', () => {
    const r = detect('zscore', P, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 5]);
    expectClose(r[5]!.lower, -1.743416490252569);
    expectClose(r[5]!.upper, 7.743416490252569);
    expectClose(r[5]!.metadata.global_std, 1.5811388300841898);
    expectClose(r[10]!.lower, -3.5829510622924747);
    expectClose(r[10]!.upper, 14.582951062292475);
    expectClose(r[10]!.metadata.global_std, 3.0276503540974917);
  });

  it('window limit [1]*5+[10]*6 with Z(3,5,3)', () => {
    const r = detect('zscore', { threshold: 3, window_size: 5, min_samples: 3 }, [
      1,
      1,
      1,
      1,
      1,
      ...Array<number>(6).fill(10),
    ]);
    expect(r[5]!.isAnomaly).toBe(true);
    expectClose(r[5]!.lower, 0.9999999999);
    const expected: Array<[number, number, number]> = [
      [6, -9.274767078498865, 14.874767078498866],
      [7, -10.188509052639487, 19.388509052639485],
      [8, -8.388509052639487, 21.18850905263949],
      [9, -3.8747670784988646, 20.27476707849886],
    ];
    for (const [i, lo, hi] of expected) {
      expect(r[i]!.isAnomaly).toBe(false);
      expectClose(r[i]!.lower, lo);
      expectClose(r[i]!.upper, hi);
    }
    expectClose(r[6]!.metadata.global_mean, 2.8);
    expectClose(r[6]!.metadata.global_std, 4.024922359499622);
    expectClose(r[7]!.metadata.global_std, 4.929503017546495);
    expectClose(r[9]!.metadata.global_std, 4.024922359499621);
    expect(r[10]!.isAnomaly).toBe(false);
    expectClose(r[10]!.lower, 9.9999999999);
    expectClose(r[10]!.upper, 10.0000000001);
  });

  it('normal-distribution case: anomalies exactly at 60 and 70', () => {
    const r = detect('zscore', { threshold: 2.5, window_size: 50, min_samples: 30 }, NORMAL_SERIES);
    expect(r.flatMap((x, i) => (x.isAnomaly ? [i] : []))).toEqual([60, 70]);
    const a = r[60]!;
    expectClose(a.lower, 4.952702798301242);
    expectClose(a.upper, 13.9465058336014);
    expectClose(a.metadata.global_mean, 9.449604315951321);
    expectClose(a.metadata.global_std, 1.7987606070600313);
    expectClose(a.metadata.severity, 11.424753023492713);
    expectClose(a.metadata.distance, 16.0534941663986);
    expect(a.metadata.direction).toBe('above');
    expectClose(r[61]!.lower, 1.3268259641853906);
    expectClose(r[61]!.upper, 18.409456083142253);
    const b = r[70]!;
    expectClose(b.lower, 1.7764000974229948);
    expectClose(b.upper, 18.58162346798307);
    expectClose(b.metadata.global_mean, 10.179011782703034);
    expectClose(b.metadata.global_std, 3.3610446741120157);
    expectClose(b.metadata.severity, 6.00379160031079);
    expectClose(b.metadata.distance, 11.776400097422995);
    expect(b.metadata.direction).toBe('below');
    expectClose(r[99]!.lower, -1.0902474355676084);
    expectClose(r[99]!.upper, 21.048516966267364);
    expect(r[29]!.metadata.reason).toBe('insufficient_data');
    expect(r[30]!.metadata.window_size).toBe(30);
    expectClose(r[30]!.lower, 5.12367407128587);
    expectClose(r[30]!.upper, 14.123738345309985);
  });

  it('ids', () => {
    expect(createDetector('zscore', P).identity.id).toBe(createDetector('zscore', P).identity.id);
    expect(createDetector('zscore', { threshold: 3 }).identity.id).not.toBe(
      createDetector('mad', { threshold: 3 }).identity.id
    );
    expect(createDetector('zscore', {}).identity.paramsJson).toBe('{}');
  });
});
