import { detect, expectClose } from './testUtil';
import { createDetector } from './registry';

const flags = (type: string, p: Record<string, unknown>, v: number[]) => detect(type, p, v).map((r) => r.isAnomaly);

describe('ManualBounds detector (reference §10.4, Appendix A.1)', () => {
  it('init and errors', () => {
    expect(createDetector('manual_bounds', { upper_bound: 100 }).params).toMatchObject({
      lower_bound: null,
      upper_bound: 100,
    });
    expect(createDetector('manual', { lower_bound: 1 }).params).toMatchObject({ lower_bound: 1, upper_bound: null });
    expect(() => createDetector('manual_bounds', {})).toThrow(
      'At least one of lower_bound or upper_bound must be specified'
    );
    expect(() => createDetector('manual_bounds', { lower_bound: 100, upper_bound: 50 })).toThrow(
      'lower_bound must be less than upper_bound'
    );
    expect(() => createDetector('manual_bounds', { lower_bound: 50, upper_bound: 50 })).toThrow(
      'lower_bound must be less than upper_bound'
    );
  });

  it('upper only: severity = absolute distance', () => {
    const r = detect('manual_bounds', { upper_bound: 50 }, [10, 40, 50, 60, 100]);
    expect(r.map((x) => x.isAnomaly)).toEqual([false, false, false, true, true]);
    expect(r[3]!.metadata).toEqual({ direction: 'above', distance: 10, severity: 10 });
    expect(r[4]!.metadata.severity).toBe(50);
    expect(r[0]!.lower).toBeNull();
    expect(r[0]!.upper).toBe(50);
    expect(
      createDetector('manual_bounds', { upper_bound: 50 }, { floatKeys: new Set(['upper_bound']) }).identity.id
    ).toBe('59d00f85f854b78e');
  });

  it('lower only', () => {
    const r = detect('manual_bounds', { lower_bound: 20 }, [5, 10, 20, 30, 100]);
    expect(r.map((x) => x.isAnomaly)).toEqual([true, true, false, false, false]);
    expect(r[0]!.metadata.distance).toBe(15);
    expect(r[1]!.metadata.distance).toBe(10);
    expect(r[0]!.lower).toBe(20);
    expect(r[0]!.upper).toBeNull();
  });

  it('both bounds: severity relative to the band', () => {
    const r = detect('manual_bounds', { lower_bound: 20, upper_bound: 80 }, [10, 20, 50, 80, 90, 100]);
    expect(r.map((x) => x.isAnomaly)).toEqual([true, false, false, false, true, true]);
    expectClose(r[0]!.metadata.severity, 0.16666666666666666);
    expectClose(r[4]!.metadata.severity, 0.16666666666666666);
    expectClose(r[5]!.metadata.severity, 0.3333333333333333);
    expect(r[0]!.metadata.direction).toBe('below');
    expect(r[4]!.metadata.direction).toBe('above');
    expect(r[0]!.metadata.distance).toBe(10);
    expect(r[5]!.metadata.distance).toBe(20);
    expect(r[2]!.metadata).toEqual({});
    expect(r[2]!.lower).toBe(20);
    expect(r[2]!.upper).toBe(80);
  });

  it('NaN is missing_data', () => {
    const r = detect('manual_bounds', { lower_bound: 10, upper_bound: 100 }, [50, NaN, 150, 5]);
    expect(r.map((x) => x.isAnomaly)).toEqual([false, false, true, true]);
    expect(r[1]!.metadata).toEqual({ reason: 'missing_data' });
    expect(r[1]!.lower).toBeNull();
    expectClose(r[2]!.metadata.severity, 0.5555555555555556);
    expectClose(r[3]!.metadata.severity, 0.05555555555555555);
  });

  it('ids and params JSON', () => {
    const f = { floatKeys: new Set(['lower_bound', 'upper_bound']) };
    const both = createDetector('manual_bounds', { lower_bound: 10, upper_bound: 100 }, f).identity;
    expect(both.id).toBe('abde1dd654aaca0d');
    expect(both.paramsJson).toBe('{"lower_bound":10.0,"upper_bound":100.0}');
    expect(createDetector('manual_bounds', { upper_bound: 100 }, f).identity.paramsJson).toBe('{"upper_bound":100.0}');
    expect(createDetector('manual_bounds', { upper_bound: 100 }).identity.id).not.toBe(
      createDetector('manual_bounds', { upper_bound: 200 }).identity.id
    );
    expect(createDetector('manual_bounds', { lower_bound: 50 }).identity.id).not.toBe(
      createDetector('manual_bounds', { upper_bound: 50 }).identity.id
    );
    expect(createDetector('manual_bounds', { lower_bound: 20, upper_bound: 80 }, f).identity.id).toBe(
      'fd7e9251bde73383'
    );
    expect(createDetector('manual_bounds', { lower_bound: 20 }, f).identity.id).toBe('8a6fefedcc48240a');
  });

  it('flags helper sanity', () => {
    expect(flags('manual', { upper_bound: 1 }, [0, 2])).toEqual([false, true]);
  });
});
