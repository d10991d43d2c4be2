import { createDetector } from './registry';
import { detect, expectClose, series } from './testUtil';

/** Appendix A.3: query-provided column `parity` = i % 2. */
const parity = (n: number) => ({ parity: Array.from({ length: n }, (_, i) => i % 2) });

const s1 = (() => {
  const v: number[] = Array.from({ length: 24 }, (_, i) => (i % 2 === 0 ? 10 : 20));
  v[22] = 14;
  v[23] = 14;
  return v;
})();

const s2 = (() => {
  const v = Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? [9, 10, 11] : [18, 20, 22])[Math.floor(i / 2) % 3]!);
  v[28] = 16;
  v[29] = 16;
  return v;
})();

describe('seasonality (Appendix A.3)', () => {
  const P1 = {
    threshold: 3,
    window_size: 20,
    min_samples: 10,
    seasonality_components: ['parity'],
    min_samples_per_group: 3,
  };

  it('S1 MAD with parity groups', () => {
    const r = detect('mad', P1, s1, parity(24));
    expectClose(r[20]!.lower, 9.9999999999);
    expectClose(r[20]!.upper, 10.0000000001);
    expect(r[20]!.isAnomaly).toBe(false);
    expectClose(r[21]!.lower, 19.9999999999);
    expect(r[21]!.isAnomaly).toBe(false);
    expect(r[22]!.isAnomaly).toBe(true);
    expect(r[22]!.metadata.direction).toBe('above');
    expectClose(r[22]!.metadata.distance, 3.9999999999);
    expect(r[22]!.metadata.severity).toBe(Infinity);
    expect(r[23]!.metadata.direction).toBe('below');
    expectClose(r[23]!.metadata.distance, 5.999999999900002);
    expect(r[20]!.metadata).toMatchObject({ global_median: 15, global_mad: 5 });
    const g20 = (r[20]!.metadata.seasonality_groups as Array<Record<string, unknown>>)[0]!;
    expect(Object.keys(g20)).toEqual(['group', 'median_multiplier', 'mad_multiplier', 'group_size']);
    expect(g20.group).toEqual(['parity']);
    expectClose(g20.median_multiplier, 0.6666666666666666);
    expectClose(
      (r[21]!.metadata.seasonality_groups as Array<Record<string, unknown>>)[0]!.median_multiplier,
      1.3333333333333333
    );
  });

  it('S1 MAD without components (NP): wide bounds, nothing anomalous', () => {
    const r = detect('mad', { threshold: 3, window_size: 20, min_samples: 10 }, s1, parity(24));
    for (const i of [20, 21, 22]) {
      expectClose(r[i]!.lower, 0);
      expectClose(r[i]!.upper, 30);
    }
    expectClose(r[23]!.lower, 8);
    expectClose(r[23]!.upper, 26);
    expect(r.slice(20).some((x) => x.isAnomaly)).toBe(false);
  });

  it('S1 Z-score with parity groups', () => {
    const r = detect('zscore', P1, s1, parity(24));
    const m20 = r[20]!.metadata;
    expectClose(m20.adjusted_mean, 10);
    expectClose(m20.adjusted_std, 0);
    expectClose(m20.global_mean, 15);
    expectClose(m20.global_std, 5.129891760425771);
    const g = (m20.seasonality_groups as Array<Record<string, unknown>>)[0]!;
    expectClose(g.mean_multiplier, 0.6666666666666666);
    expectClose(g.std_multiplier, 0);
    expect(r[22]!.isAnomaly).toBe(true);
    expect(r[22]!.metadata.direction).toBe('above');
    expectClose(r[23]!.metadata.global_mean, 15.2);
    expectClose(r[23]!.metadata.global_std, 5.001052520798944);
    expectClose(
      (r[23]!.metadata.seasonality_groups as Array<Record<string, unknown>>)[0]!.mean_multiplier,
      1.3157894736842106
    );
    expect(r[23]!.metadata.direction).toBe('below');
  });

  it('S1 IQR with parity groups', () => {
    const r = detect('iqr', { ...P1, threshold: 1.5, min_samples_per_group: 4 }, s1, parity(24));
    expect(r[20]!.metadata).toMatchObject({ global_q1: 10, global_q3: 20, global_iqr: 10 });
    const g = (r[20]!.metadata.seasonality_groups as Array<Record<string, unknown>>)[0]!;
    expect(g).toMatchObject({ q1_multiplier: 1, q3_multiplier: 0.5, iqr_multiplier: 0 });
    expectClose(r[20]!.lower, 9.9999999999);
    expectClose(r[20]!.upper, 10.0000000001);
    expect((r[21]!.metadata.seasonality_groups as Array<Record<string, unknown>>)[0]).toMatchObject({
      q1_multiplier: 2,
      q3_multiplier: 1,
      iqr_multiplier: 0,
    });
    expectClose(r[21]!.lower, 19.9999999999);
    expectClose(r[21]!.upper, 20.0000000001);
    expect(r[22]!.isAnomaly).toBe(true);
    expect(r[23]!.isAnomaly).toBe(true);
  });

  const P2 = { window_size: 24, min_samples: 12, seasonality_components: ['parity'] };

  it('S2 MAD', () => {
    const d = createDetector('mad', { ...P2, min_samples_per_group: 6 });
    expect(d.identity.id).toBe('b9c619be664a8312');
    const r = detect('mad', { ...P2, min_samples_per_group: 6 }, s2, parity(30));
    expectClose(r[26]!.lower, 7);
    expectClose(r[26]!.upper, 13);
    expect(r[26]!.metadata).toMatchObject({ adjusted_median: 10, adjusted_mad: 1, global_median: 14.5, global_mad: 5 });
    expectClose(r[27]!.lower, 14);
    expectClose(r[27]!.upper, 26);
    expect(r[28]!.isAnomaly).toBe(true);
    expect(r[28]!.metadata.direction).toBe('above');
    expectClose(r[28]!.metadata.severity, 3);
    expectClose(r[28]!.metadata.distance, 3);
    expect(r[29]!.isAnomaly).toBe(false);
    expectClose(r[29]!.lower, 14);
    expectClose(r[29]!.upper, 26);
  });

  it('S2 Z-score', () => {
    expect(createDetector('zscore', P2).identity.id).toBe('f381d7ec454f627c');
    const r = detect('zscore', P2, s2, parity(30));
    expectClose(r[26]!.lower, 7.441591403732675);
    expectClose(r[26]!.upper, 12.558408596267325);
    expectClose(r[26]!.metadata.adjusted_std, 0.8528028654224418);
    expectClose(
      (r[26]!.metadata.seasonality_groups as Array<Record<string, unknown>>)[0]!.std_multiplier,
      0.16166744767071584
    );
    expectClose(r[27]!.lower, 14.88318280746535);
    expectClose(r[27]!.upper, 25.11681719253465);
    expect(r[28]!.isAnomaly).toBe(true);
    expectClose(r[28]!.metadata.severity, 7.035623639735144);
    expectClose(r[28]!.metadata.distance, 3.4415914037326747);
    expect(r[29]!.isAnomaly).toBe(false);
  });

  it('S2 IQR', () => {
    expect(createDetector('iqr', P2).identity.id).toBe('0a93b4a165dc6a44');
    const r = detect('iqr', P2, s2, parity(30));
    expectClose(r[26]!.lower, 6);
    expectClose(r[26]!.upper, 14);
    expect(r[26]!.metadata).toMatchObject({ adjusted_q1: 9, adjusted_q3: 11, adjusted_iqr: 2 });
    const g = (r[26]!.metadata.seasonality_groups as Array<Record<string, unknown>>)[0]!;
    expectClose(g.q1_multiplier, 0.9);
    expectClose(g.q3_multiplier, 0.55);
    expectClose(g.iqr_multiplier, 0.2);
    expectClose(r[27]!.lower, 12);
    expectClose(r[27]!.upper, 28);
    const g27 = (r[27]!.metadata.seasonality_groups as Array<Record<string, unknown>>)[0]!;
    expectClose(g27.q1_multiplier, 1.8);
    expectClose(g27.q3_multiplier, 1.1);
    expectClose(g27.iqr_multiplier, 0.4);
    expect(r[28]!.isAnomaly).toBe(true);
    expectClose(r[28]!.metadata.severity, 1);
    expectClose(r[28]!.metadata.distance, 2);
    expect(r[29]!.isAnomaly).toBe(false);
  });

  it('small groups keep multiplier 1 with insufficient_group_data', () => {
    const r = detect('mad', { ...P1, min_samples_per_group: 50 }, s1, parity(24));
    const g = (r[20]!.metadata.seasonality_groups as Array<Record<string, unknown>>)[0]!;
    expect(g).toEqual({
      group: ['parity'],
      median_multiplier: 1,
      mad_multiplier: 1,
      reason: 'insufficient_group_data',
      group_size: 10,
    });
  });

  it('combined groups and Python equality of keys (1 == 1.0 == true)', () => {
    const n = 40;
    const a = Array.from({ length: n }, (_, i) => (i % 2 === 0 ? true : 0));
    const b = Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 1.0 : false));
    const v = Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 10 : 20) + (i % 3));
    const r = detect(
      'mad',
      { window_size: 30, min_samples: 10, min_samples_per_group: 3, seasonality_components: [['a', 'b']] },
      v,
      { a, b }
    );
    const g = (r[35]!.metadata.seasonality_groups as Array<Record<string, unknown>>)[0]!;
    expect(g.group).toEqual(['a', 'b']);
    expect(g.group_size).toBe(15);
  });

  it('a misspelt component is an error naming the column', () => {
    const d = createDetector('mad', { ...P1, seasonality_components: ['partiy'] }, { metric: 'cpu', position: 2 });
    expect(() => d.detect({ ...series(s1), seasonality: parity(24) })).toThrow(
      "metric 'cpu', detector #2 (mad): seasonality_components: unknown seasonality column 'partiy' (available: parity)"
    );
  });
});
