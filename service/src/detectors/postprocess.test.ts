import { bandScore } from '../../../common/detectors';
import { metadataJson } from './metadataJson';
import { createDetector } from './registry';
import { toResults } from './output';
import { detect, series } from './testUtil';

/** Shared post-processing: direction, minimum deviations and the unified score. */

// A flat window then excursions: MAD (window 10, min_samples 5) has median 10 and MAD 1 → band [7, 13].
const VALUES = [10, 11, 9, 10, 11, 9, 10, 11, 9, 10, 20, 10, 0, 10, 14];

describe('post-processing on detectkit detectors', () => {
  const params = { window_size: 10, min_samples: 5 };

  it('leaves detectkit detectors at default settings untouched: flags, metadata text and id', () => {
    const plain = createDetector('mad', params);
    const explicit = createDetector('mad', {
      ...params,
      direction: 'both',
      min_deviation: 0,
      min_relative_deviation: 0,
    });
    expect(explicit.identity.id).toBe(plain.identity.id);
    expect(plain.identity.id).toBe('53713e60c2978d05'); // detectkit's own id for these params (reference §4.9)
    const a = plain.detect(series(VALUES));
    const b = explicit.detect(series(VALUES));
    expect(Array.from(b.isAnomaly)).toEqual(Array.from(a.isAnomaly));
    for (let i = 0; i < VALUES.length; i++) {
      expect(metadataJson(b.metadata(i))).toBe(metadataJson(a.metadata(i)));
      expect(a.metadata(i)).not.toHaveProperty('score');
    }
  });

  it('direction keeps one side; the other side is kept in the metadata as suppressed', () => {
    const up = detect('mad', { ...params, direction: 'up' }, VALUES);
    const both = detect('mad', params, VALUES);
    expect(both[10]!.isAnomaly && both[12]!.isAnomaly).toBe(true);
    expect(up[10]!.isAnomaly).toBe(true);
    expect(up[12]!.isAnomaly).toBe(false);
    expect(up[12]!.metadata).toMatchObject({ direction: 'below', suppressed_by: 'direction' });
    const down = detect('mad', { ...params, direction: 'down' }, VALUES);
    expect([down[10]!.isAnomaly, down[12]!.isAnomaly]).toEqual([false, true]);
  });

  it('min_deviation and min_relative_deviation need more than the floor outside the band', () => {
    const r = detect('mad', { ...params, min_deviation: 2 }, VALUES);
    // 14 is 1 above the band's upper bound 13: not more than 2.
    expect([r[10]!.isAnomaly, r[14]!.isAnomaly]).toEqual([true, false]);
    expect(r[14]!.metadata.suppressed_by).toBe('min_deviation');
    // |expected| = band middle = 10: 10 % is 1, and 14 is exactly 1 outside (not more).
    const rel = detect('mad', { ...params, min_relative_deviation: 0.1 }, VALUES);
    expect([rel[10]!.isAnomaly, rel[14]!.isAnomaly]).toEqual([true, false]);
  });

  it('adds the score once configured, and post-processing parameters are part of the id', () => {
    const r = detect('mad', { ...params, direction: 'up' }, VALUES);
    const band = (i: number) => [r[i]!.lower!, r[i]!.upper!] as const;
    const score = (i: number) => Math.abs(VALUES[i]! - (band(i)[0] + band(i)[1]) / 2) / ((band(i)[1] - band(i)[0]) / 2);
    expect(r[10]!.metadata.score).toBeCloseTo(score(10), 12);
    expect(r[10]!.metadata.score).toBeGreaterThan(1);
    expect(r[11]!.metadata.score).toBeCloseTo(score(11), 12);
    expect(r[11]!.metadata.score).toBeLessThanOrEqual(1);
    expect(createDetector('mad', { ...params, direction: 'up' }).identity.id).not.toBe(
      createDetector('mad', params).identity.id
    );
    expect(createDetector('mad', { ...params, direction: 'up' }).identity.paramsJson).toBe(
      '{"direction":"up","min_samples":5,"window_size":10}'
    );
  });

  it('manual bounds: one bound has no width or centre, so no score', () => {
    const one = detect('manual_bounds', { upper_bound: 50, direction: 'up' }, [10, 60]);
    expect(one[0]!.metadata).not.toHaveProperty('score');
    expect(one[1]!.metadata).not.toHaveProperty('score');
    const two = toResults(
      createDetector('manual_bounds', { lower_bound: 0, upper_bound: 50, min_deviation: 5 }).detect(series([60, 52]))
    );
    expect(two.map((x) => x.isAnomaly)).toEqual([true, false]);
    expect(two[0]!.metadata.score).toBe(35 / 25);
  });
});

describe('bandScore', () => {
  it.each<[number | null, number | null, number | null, number]>([
    [5, 0, 10, 0],
    [2.5, 0, 10, 0.5],
    [0, 0, 10, 1],
    [15, 0, 10, 2],
    [-10, 0, 10, 3],
    [11, 10, 10, Infinity],
    [10, 10, 10, 0],
    [null, 0, 10, NaN],
    [5, null, null, NaN],
    [20, null, 10, NaN],
    [5, null, 10, NaN],
  ])('x=%p band [%p, %p] → %p', (x, lo, hi, expected) => {
    expect(bandScore(x, lo, hi)).toBe(expected);
  });
});
