import { FieldType, createDataFrame } from '@grafana/data';
import { seriesToFrame } from '../../datasource/frames';
import { detectorsIn, framesToSeries } from './series';

describe('framesToSeries', () => {
  test("the data source's frames round-trip: value, bands by detector id, anomalies", () => {
    const frame = seriesToFrame('A', {
      metric: 'cpu',
      timestamps: [1000, 2000, 3000],
      values: [5, 0, 7],
      detectors: [
        {
          detectorId: 'abc',
          detectorName: 'MADDetector',
          lower: [1, -1, 1],
          upper: [9, 1, 9],
          anomaly: [false, true, false],
          score: [0, 0, 0.5],
        },
        {
          detectorId: 'def',
          detectorName: 'ZScoreDetector',
          lower: [0, 0, 0],
          upper: [2, 2, 2],
          anomaly: [true, false, true],
          score: [4, 1, 6],
        },
      ],
    });
    expect(framesToSeries([frame])).toEqual([
      {
        metric: 'cpu',
        timestamps: [1000, 2000, 3000],
        values: [5, 0, 7],
        detectors: [
          // An anomaly at value 0 is still an anomaly (the field holds the value where anomalous, null elsewhere).
          {
            detectorId: 'abc',
            detectorName: 'MADDetector',
            lower: [1, -1, 1],
            upper: [9, 1, 9],
            anomaly: [false, true, false],
            // Frames carry no score: computed from the frame's value and band.
            score: [0, 0, 0.5],
          },
          {
            detectorId: 'def',
            detectorName: 'ZScoreDetector',
            lower: [0, 0, 0],
            upper: [2, 2, 2],
            anomaly: [true, false, true],
            score: [4, 1, 6],
          },
        ],
      },
    ]);
    expect(detectorsIn([frame])).toEqual([
      { id: 'abc', name: 'MADDetector' },
      { id: 'def', name: 'ZScoreDetector' },
    ]);
  });

  test('generic frames: lower_bound/upper_bound and 0/1 anomaly flags belong to the value field', () => {
    const frame = createDataFrame({
      fields: [
        { name: 'timestamp', type: FieldType.time, values: [1000, 2000] },
        { name: 'value', type: FieldType.number, values: [3, NaN] },
        { name: 'lower_bound', type: FieldType.number, values: [1, 1] },
        { name: 'upper_bound', type: FieldType.number, values: [2, 2] },
        { name: 'is_anomaly', type: FieldType.number, values: [1, 0] },
        { name: 'label', type: FieldType.string, values: ['a', 'b'] },
      ],
    });
    expect(framesToSeries([frame])).toEqual([
      {
        metric: 'value',
        timestamps: [1000, 2000],
        values: [3, null],
        detectors: [
          {
            detectorId: 'band',
            detectorName: 'band',
            lower: [1, 1],
            upper: [2, 2],
            anomaly: [true, false],
            score: [3, null],
          },
        ],
      },
    ]);
  });

  test('fillBelowTo pairs a band whatever the names; several value fields each get their own bands', () => {
    const frame = createDataFrame({
      fields: [
        { name: 'time', type: FieldType.time, values: [1] },
        { name: 'rps', type: FieldType.number, values: [10] },
        { name: 'latency', type: FieldType.number, values: [200] },
        { name: 'latency p10', type: FieldType.number, values: [100] },
        {
          name: 'latency p90',
          type: FieldType.number,
          values: [300],
          config: { custom: { fillBelowTo: 'latency p10' } },
        },
        { name: 'rps yhat lower', type: FieldType.number, values: [8] },
        { name: 'rps yhat upper', type: FieldType.number, values: [12] },
      ],
    });
    const out = framesToSeries([frame]);
    expect(out.map((s) => [s.metric, s.detectors.map((d) => [d.detectorName, d.lower, d.upper])])).toEqual([
      ['rps', [['yhat', [8], [12]]]],
      ['latency', [['p90', [100], [300]]]],
    ]);
  });

  test('no time field or no numbers: nothing to draw', () => {
    expect(framesToSeries([createDataFrame({ fields: [{ name: 'v', type: FieldType.number, values: [1] }] })])).toEqual(
      []
    );
    expect(
      framesToSeries([
        createDataFrame({
          fields: [
            { name: 'time', type: FieldType.time, values: [1] },
            { name: 's', type: FieldType.string, values: ['x'] },
          ],
        }),
      ])
    ).toEqual([]);
  });
});
