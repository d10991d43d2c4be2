import fs from 'node:fs';
import path from 'node:path';
import { mstl } from './stl';

/**
 * The decomposition against statsmodels' STL (an independent implementation; fixtures/stl_reference.py writes the
 * file) on noisy series with a trend: single periods (including windows longer than a cycle-subseries) and MSTL
 * with two and three periods given out of order.
 */
interface Case {
  periods: number[];
  y: number[];
  seasonal: number[][];
  trend: number[];
}

const cases = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'stl-reference.json'), 'utf8')) as Case[];

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    m = Math.max(m, Math.abs(a[i]! - b[i]!));
  }
  return m;
}

describe('mstl decomposition', () => {
  it.each(cases.map((c) => [`periods [${c.periods.join(', ')}], ${c.y.length} points`, c] as const))(
    'matches statsmodels: %s',
    (_, c) => {
      const d = mstl(Float64Array.from(c.y), c.periods);
      expect(d.seasonal).toHaveLength(c.periods.length);
      c.seasonal.forEach((s, k) => expect(maxAbsDiff(d.seasonal[k]!, s)).toBeLessThan(1e-9));
      expect(maxAbsDiff(d.trend, c.trend)).toBeLessThan(1e-9);
      // trend + seasonal + remainder is the series.
      const sum = Float64Array.from(
        c.y,
        (_, i) => d.trend[i]! + d.remainder[i]! + d.seasonal.reduce((a, s) => a + s[i]!, 0)
      );
      expect(maxAbsDiff(sum, c.y)).toBeLessThan(1e-9);
    }
  );

  it('recovers a clean seasonal shape and a linear trend', () => {
    const n = 24 * 20;
    const shape = (i: number) => Math.sin((2 * Math.PI * i) / 24) * 3;
    const y = Float64Array.from({ length: n }, (_, i) => 100 + 0.05 * i + shape(i));
    const d = mstl(y, [24]);
    // Away from the ends (where loess extrapolates), the components are the ones put in.
    for (let i = 48; i < n - 48; i++) {
      expect(Math.abs(d.seasonal[0]![i]! - shape(i))).toBeLessThan(0.05);
      expect(Math.abs(d.trend[i]! - (100 + 0.05 * i))).toBeLessThan(0.05);
    }
  });
});
