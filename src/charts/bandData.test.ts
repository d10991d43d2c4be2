import type { SeriesResponse } from '../../common/api/series';
import { alignTimestamps, buildBandModel } from './bandData';
import { formatValue, tooltipContent } from './tooltipContent';

const colors = ['c0', 'c1', 'c2', 'c3', 'c4'];

const cpu: SeriesResponse = {
  metric: 'cpu',
  timestamps: [1000, 2000, 3000],
  values: [5, 50, null],
  detectors: [
    {
      detectorId: 'mad1',
      detectorName: 'MADDetector',
      lower: [1, 1, 1],
      upper: [9, 9, 9],
      anomaly: [false, true, true],
      score: [0, 11.25, null],
    },
    {
      detectorId: 'z1',
      detectorName: 'ZScoreDetector',
      lower: [null, 0, 0],
      upper: [null, 60, 60],
      anomaly: [false, false, false],
      score: [null, 2 / 3, null],
    },
  ],
};

describe('buildBandModel', () => {
  test('bands first, then value lines; gapless columns become typed arrays, gaps stay null', () => {
    const m = buildBandModel([cpu], { colors });
    expect(Array.from(m.x)).toEqual([1000, 2000, 3000]);
    const [det0, det1] = m.metrics[0]!.detectors;
    expect([det0!.upperIdx, det0!.lowerIdx, det1!.upperIdx, det1!.lowerIdx, m.metrics[0]!.valueIdx]).toEqual([
      1, 2, 3, 4, 5,
    ]);
    expect(m.data).toHaveLength(6);
    expect(m.data[1]).toBeInstanceOf(Float64Array);
    expect(m.data[3]).toEqual([null, 60, 60]);
    expect(m.data[5]).toEqual([5, 50, null]);
    // A flagged point without a value is not drawn.
    expect(Array.from(det0!.anomalies)).toEqual([1]);
    expect(m.anomalyCount).toBe(1);
    expect([m.metrics[0]!.color, det0!.color, det1!.color]).toEqual(['c0', 'c1', 'c2']);
  });

  test('detectors filter by id; the layout changes with it but not with new values', () => {
    const all = buildBandModel([cpu], { colors });
    const one = buildBandModel([cpu], { colors, detectors: ['z1'] });
    expect(one.metrics[0]!.detectors.map((d) => d.id)).toEqual(['z1']);
    expect(one.data).toHaveLength(4);
    expect(one.layout).not.toBe(all.layout);
    const none = buildBandModel([cpu], { colors, detectors: [] });
    expect(none.metrics[0]!.detectors).toEqual([]);
    const later = buildBandModel([{ ...cpu, values: [7, 8, 9] }], { colors });
    expect(later.layout).toBe(all.layout);
  });

  test('series with different timestamps are aligned on the union of their times', () => {
    const a: SeriesResponse = { metric: 'a', timestamps: [1, 3], values: [10, 30], detectors: [] };
    const b: SeriesResponse = {
      metric: 'b',
      timestamps: [2, 3, 4],
      values: [20, 31, 40],
      detectors: [
        {
          detectorId: 'd',
          detectorName: 'D',
          lower: [0, 0, 0],
          upper: [1, 1, 1],
          anomaly: [true, false, true],
          score: [null, null, null],
        },
      ],
    };
    const m = buildBandModel([a, b], { colors });
    expect(Array.from(m.x)).toEqual([1, 2, 3, 4]);
    expect(m.data[m.metrics[0]!.valueIdx]).toEqual([10, null, 30, null]);
    expect(m.data[m.metrics[1]!.valueIdx]).toEqual([null, 20, 31, 40]);
    expect(Array.from(m.metrics[1]!.detectors[0]!.anomalies)).toEqual([1, 3]);
  });

  test('points out of time order are sorted with their bands', () => {
    const m = buildBandModel(
      [
        {
          metric: 'm',
          timestamps: [3, 1, 2],
          values: [30, 10, 20],
          detectors: [
            {
              detectorId: 'd',
              detectorName: 'D',
              lower: [3, 1, 2],
              upper: [4, 2, 3],
              anomaly: [true, false, false],
              score: [null, null, null],
            },
          ],
        },
      ],
      { colors }
    );
    expect(Array.from(m.x)).toEqual([1, 2, 3]);
    expect(Array.from(m.data[3] as Float64Array)).toEqual([10, 20, 30]);
    expect(Array.from(m.data[2] as Float64Array)).toEqual([1, 2, 3]);
    expect(Array.from(m.metrics[0]!.detectors[0]!.anomalies)).toEqual([2]);
  });

  test('no series, no points', () => {
    const m = buildBandModel([], { colors });
    expect(m.x.length).toBe(0);
    expect(m.data).toHaveLength(1);
  });

  test('100k points with 3 bands builds quickly', () => {
    const n = 100_000;
    const ts = Array.from({ length: n }, (_, i) => i * 60_000);
    const values = ts.map((_, i) => Math.sin(i / 100));
    const band = (k: number) => ({
      detectorId: `d${k}`,
      detectorName: `D${k}`,
      lower: values.map((v) => v - k - 1),
      upper: values.map((v) => v + k + 1),
      anomaly: values.map((_, i) => i % 5000 === 0),
      score: values.map(() => null),
    });
    const started = performance.now();
    const m = buildBandModel([{ metric: 'big', timestamps: ts, values, detectors: [band(0), band(1), band(2)] }], {
      colors,
    });
    expect(m.data).toHaveLength(8);
    expect(m.anomalyCount).toBe(60);
    // Generous: catches an accidental quadratic step, not a slow machine.
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('alignTimestamps', () => {
  test('identical timestamps need no index maps', () => {
    const ts = [1, 2, 3];
    expect(alignTimestamps([ts, [1, 2, 3]]).maps).toEqual([null, null]);
  });
  test('duplicates collapse in the union', () => {
    const { x, maps } = alignTimestamps([
      [1, 2],
      [2, 2, 5],
    ]);
    expect(Array.from(x)).toEqual([1, 2, 5]);
    expect(maps.map((m) => Array.from(m!))).toEqual([
      [0, 1],
      [1, 1, 2],
    ]);
  });
});

describe('tooltipContent', () => {
  test('value, bounds, score and the anomaly flag at an index; hidden items left out', () => {
    const m = buildBandModel([cpu], { colors });
    const c = tooltipContent(m, 1, new Set());
    expect(c.time).toBe(2000);
    expect(c.metrics[0]).toMatchObject({ name: 'cpu', value: 50 });
    expect(c.metrics[0]!.detectors).toEqual([
      // The service's score, as sent.
      { name: 'MADDetector', color: 'c1', lower: 1, upper: 9, score: 11.25, anomaly: true },
      { name: 'ZScoreDetector', color: 'c2', lower: 0, upper: 60, score: 2 / 3, anomaly: false },
    ]);
    const hidden = tooltipContent(m, 1, new Set(['d:cpu:z1']));
    expect(hidden.metrics[0]!.detectors.map((d) => d.name)).toEqual(['MADDetector']);
    expect(tooltipContent(m, 1, new Set(['m:cpu'])).metrics).toEqual([]);
  });

  test('formatValue', () => {
    expect(formatValue(null)).toBe('–');
    expect(formatValue(1234.56789)).toBe('1,234.57');
    expect(formatValue(0)).toBe('0');
    expect(formatValue(0.00001234)).toBe('1.234e-5');
  });
});
