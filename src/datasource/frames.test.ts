import { seriesToFrame } from './frames';

describe('seriesToFrame', () => {
  test('value, band with fillBelowTo on the upper bound, and anomaly points', () => {
    const frame = seriesToFrame('A', {
      metric: 'cpu',
      timestamps: [1000, 2000],
      values: [5, 50],
      detectors: [{ detectorId: 'abc', detectorName: 'mad', lower: [1, 1], upper: [9, 9], anomaly: [false, true] }],
    });
    expect(frame.fields.map((f) => f.name)).toEqual([
      'time',
      'cpu',
      'cpu mad lower',
      'cpu mad upper',
      'cpu mad anomaly',
    ]);
    expect(frame.fields[3]!.config.custom.fillBelowTo).toBe('cpu mad lower');
    expect(Array.from(frame.fields[4]!.values)).toEqual([null, 50]);
    expect(frame.refId).toBe('A');
  });
});
