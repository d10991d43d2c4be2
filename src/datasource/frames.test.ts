import type { AlertEvent } from '../../common/api/alerts';
import type { Detection } from '../../common/api/detections';
import { finiteScore } from '../../common/detectors/score';
import { alertsToFrame, anomaliesToFrame, seriesToFrame } from './frames';

const cpu = {
  metric: 'cpu',
  timestamps: [1000, 2000],
  values: [5, 50],
  detectors: [
    {
      detectorId: 'abc',
      detectorName: 'mad',
      lower: [1, 1],
      upper: [9, 9],
      anomaly: [false, true],
      score: [null, null],
    },
    {
      detectorId: 'def',
      detectorName: 'zscore',
      lower: [0, 0],
      upper: [60, 60],
      anomaly: [false, false],
      score: [null, null],
    },
  ],
};

describe('seriesToFrame', () => {
  test('value, band with fillBelowTo on the upper bound, and anomaly points', () => {
    const frame = seriesToFrame('A', cpu);
    expect(frame.fields.map((f) => f.name)).toEqual([
      'time',
      'cpu',
      'cpu mad lower',
      'cpu mad upper',
      'cpu mad anomaly',
      'cpu zscore lower',
      'cpu zscore upper',
      'cpu zscore anomaly',
    ]);
    const upper = frame.fields[3]!;
    expect(upper.config.custom.fillBelowTo).toBe('cpu mad lower');
    // fillBelowTo is matched by name or display name: both are the same.
    expect(frame.fields.every((f) => f.name === 'time' || f.config.displayNameFromDS === f.name)).toBe(true);
    expect(upper.labels).toEqual({ detector: 'mad', detector_id: 'abc' });
    expect(Array.from(frame.fields[4]!.values)).toEqual([null, 50]);
    expect(frame.fields[4]!.config.custom.drawStyle).toBe('points');
    expect(frame.refId).toBe('A');
    expect(frame.length).toBe(2);
  });

  test('detectors and fields select what the frame holds', () => {
    const frame = seriesToFrame('A', cpu, { detectors: ['def'], fields: ['bands'] });
    expect(frame.fields.map((f) => f.name)).toEqual(['time', 'cpu zscore lower', 'cpu zscore upper']);
    const anomaliesOnly = seriesToFrame('A', cpu, { fields: ['value', 'anomalies'] });
    expect(anomaliesOnly.fields.map((f) => f.name)).toEqual(['time', 'cpu', 'cpu mad anomaly', 'cpu zscore anomaly']);
  });
});

const detection = (detectorId: string, timestamp: number, value: number, isAnomaly = true): Detection => ({
  detectorId,
  detectorName: detectorId === 'a' ? 'MADDetector:threshold=5,window_size=10' : 'IQRDetector',
  timestamp,
  isAnomaly,
  value,
  lower: 0,
  upper: 10,
  processedValue: value,
  score: finiteScore(value, 0, 10),
  metadata: {},
});

describe('anomaliesToFrame', () => {
  const MIN = 60_000;
  test('consecutive anomalies of a detector form one region; the worst point is described', () => {
    const frame = anomaliesToFrame(
      'A',
      'cpu',
      [
        detection('a', 3 * MIN, 12),
        detection('a', 1 * MIN, 15),
        detection('a', 2 * MIN, 30),
        detection('a', 10 * MIN, 11),
        detection('b', 2 * MIN, 40),
        detection('b', 3 * MIN, 5, false),
      ],
      MIN
    );
    const rows = Array.from({ length: frame.length }, (_, i) =>
      Object.fromEntries(frame.fields.map((f) => [f.name, f.values[i]]))
    );
    expect(rows).toEqual([
      {
        time: MIN,
        timeEnd: 3 * MIN,
        title: 'cpu: anomaly',
        text: 'MADDetector:threshold=5,window_size=10: 3 anomalous points; value 30 outside 0 – 10 (score 5.00)',
        tags: ['dtk', 'anomaly', 'cpu', 'MADDetector'],
      },
      expect.objectContaining({ time: 2 * MIN, timeEnd: 2 * MIN, tags: ['dtk', 'anomaly', 'cpu', 'IQRDetector'] }),
      expect.objectContaining({
        time: 10 * MIN,
        timeEnd: 10 * MIN,
        text: expect.stringContaining('1 anomalous point;'),
      }),
    ]);
  });

  test('unknown interval: one event per point; a detector filter applies', () => {
    const frame = anomaliesToFrame(
      'A',
      'cpu',
      [detection('a', 1, 12), detection('a', 2, 13), detection('b', 1, 14)],
      null,
      ['a']
    );
    expect(Array.from(frame.fields[0]!.values)).toEqual([1, 2]);
  });
});

test('alertsToFrame: state changes inside the range, tests left out', () => {
  const alert = (type: AlertEvent['type'], timestamp: number): AlertEvent => ({
    metric: 'cpu',
    eventId: `${type}-${timestamp}`,
    type,
    state: type,
    timestamp,
    value: 1,
    lower: 0,
    upper: 0.5,
    direction: 'up',
    severity: 1,
    consecutiveCount: 3,
    detectorIds: ['a'],
    message: `${type} message`,
    channels: {},
    recordedAt: timestamp,
  });
  const frame = alertsToFrame(
    'B',
    [alert('resolved', 300), alert('firing', 100), alert('test', 200), alert('firing', 5000)],
    0,
    1000
  );
  expect(Array.from(frame.fields.find((f) => f.name === 'time')!.values)).toEqual([100, 300]);
  expect(Array.from(frame.fields.find((f) => f.name === 'title')!.values)).toEqual(['cpu: firing', 'cpu: resolved']);
  expect(Array.from(frame.fields.find((f) => f.name === 'text')!.values)).toEqual([
    'firing message',
    'resolved message',
  ]);
});
