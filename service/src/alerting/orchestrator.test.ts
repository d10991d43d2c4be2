import { decide, lastCompletePoint, shouldAlert, type DecideInput } from './orchestrator';
import { DEFAULT_CONDITIONS, type CurrentAlertState, type DetectionRecord } from './types';

const T = (hh: number, mm: number) => Date.UTC(2024, 0, 1, hh, mm);
const ctx = { metricName: 'cpu_usage' };

/** detectkit's test records: direction and severity given, detector_params omitted. */
function rec(ts: number, direction: string, over: Partial<DetectionRecord> = {}): DetectionRecord {
  return {
    timestamp: ts,
    detectorName: 'zscore',
    detectorId: 'z1',
    value: 100.0,
    isAnomaly: true,
    lower: 10,
    upper: 50,
    direction,
    severity: 2.5,
    metadata: {},
    ...over,
  };
}

describe('AlertConditions / should_alert (reference §10.6)', () => {
  it('defaults: min_detectors 1, direction any, consecutive 1', () => {
    expect(DEFAULT_CONDITIONS).toEqual({ minDetectors: 1, direction: 'any', consecutiveAnomalies: 1 });
  });

  it('no detections → no alert', () => {
    expect(shouldAlert([], DEFAULT_CONDITIONS, ctx)).toEqual({ alert: false, data: null, count: 0 });
  });

  it('one anomalous record with defaults → alert', () => {
    const r = shouldAlert([rec(T(12, 0), 'up')], DEFAULT_CONDITIONS, ctx);
    expect(r.alert).toBe(true);
    expect(r.data).toMatchObject({
      metricName: 'cpu_usage',
      value: 100.0,
      detectorName: 'zscore',
      consecutiveCount: 1,
    });
    expect(r.data?.detectorParams).toBe('{}');
  });

  it('min_detectors 2 with one anomalous detector → no alert', () => {
    const r = shouldAlert([rec(T(12, 0), 'up')], { ...DEFAULT_CONDITIONS, minDetectors: 2 }, ctx);
    expect(r.alert).toBe(false);
    expect(r.data).toBeNull();
  });

  it('min_detectors 2 with two anomalous detectors → "2 detectors", max severity, metadata count', () => {
    const r = shouldAlert(
      [rec(T(12, 0), 'up'), rec(T(12, 0), 'up', { detectorName: 'mad', detectorId: 'm1', severity: 3.0 })],
      { ...DEFAULT_CONDITIONS, minDetectors: 2 },
      ctx
    );
    expect(r.alert).toBe(true);
    expect(r.data?.detectorName).toBe('2 detectors');
    expect(r.data?.severity).toBe(3.0);
    expect(r.data?.metadata.count).toBe(2);
    expect(r.data?.detectorParams).toBe('zscore: {}; mad: {}');
  });

  it('min_detectors is a consensus: two detectors anomalous at different timestamps do not count together', () => {
    const c = { minDetectors: 2, direction: 'any', consecutiveAnomalies: 2 };
    const recs = [
      rec(T(12, 0), 'up'),
      rec(T(12, 0), 'none', { detectorId: 'm1', isAnomaly: false }),
      rec(T(11, 50), 'up', { detectorId: 'm1' }),
      rec(T(11, 50), 'none', { isAnomaly: false }),
    ];
    expect(shouldAlert(recs, c, ctx).alert).toBe(false);
  });

  it('direction any, consecutive 3: up, down, up → alert, count 3', () => {
    const recs = [rec(T(12, 0), 'up'), rec(T(11, 50), 'down'), rec(T(11, 40), 'up')];
    const r = shouldAlert(recs, { minDetectors: 1, direction: 'any', consecutiveAnomalies: 3 }, ctx);
    expect(r.alert).toBe(true);
    expect(r.data?.consecutiveCount).toBe(3);
  });

  it('direction same, consecutive 3: up, up, up → alert', () => {
    const recs = [rec(T(12, 0), 'up'), rec(T(11, 50), 'up'), rec(T(11, 40), 'up')];
    const r = shouldAlert(recs, { minDetectors: 1, direction: 'same', consecutiveAnomalies: 3 }, ctx);
    expect(r.alert).toBe(true);
    expect(r.data?.consecutiveCount).toBe(3);
  });

  it('direction same, consecutive 3: up, up, down → no alert (count 2)', () => {
    const recs = [rec(T(12, 0), 'up'), rec(T(11, 50), 'up'), rec(T(11, 40), 'down')];
    const r = shouldAlert(recs, { minDetectors: 1, direction: 'same', consecutiveAnomalies: 3 }, ctx);
    expect(r).toMatchObject({ alert: false, count: 2 });
  });

  it('direction up / down, consecutive 2', () => {
    const recs = [rec(T(12, 0), 'up'), rec(T(11, 50), 'up')];
    const up = shouldAlert(recs, { minDetectors: 1, direction: 'up', consecutiveAnomalies: 2 }, ctx);
    expect(up.alert).toBe(true);
    expect(up.data?.consecutiveCount).toBe(2);
    expect(shouldAlert(recs, { minDetectors: 1, direction: 'down', consecutiveAnomalies: 2 }, ctx).alert).toBe(false);
  });

  it('a normal point breaks the streak: anomaly, anomaly, normal, anomaly → count 2, no alert at 3', () => {
    const recs = [
      rec(T(12, 0), 'up'),
      rec(T(11, 50), 'up'),
      rec(T(11, 40), 'none', { isAnomaly: false }),
      rec(T(11, 30), 'up'),
    ];
    expect(shouldAlert(recs, { minDetectors: 1, direction: 'any', consecutiveAnomalies: 3 }, ctx)).toMatchObject({
      alert: false,
      count: 2,
    });
  });

  it('direction is judged on the compared (processed) value, not the raw value (§11.1 #5)', () => {
    // `changes` preprocessing: raw value 100, compared value (the change) -30 below lower -5.
    const r: DetectionRecord = {
      timestamp: T(12, 0),
      detectorId: 'z',
      detectorName: 'zscore',
      value: 100,
      comparedValue: -30,
      isAnomaly: true,
      lower: -5,
      upper: 5,
    };
    const res = shouldAlert([r], { minDetectors: 1, direction: 'down', consecutiveAnomalies: 1 }, ctx);
    expect(res.alert).toBe(true);
    expect(res.data?.direction).toBe('down');
    expect(res.data?.severity).toBe(5);
  });

  it('direction same across detectors: the majority direction must reach min_detectors', () => {
    const recs = [
      rec(T(12, 0), 'up', { detectorId: 'a' }),
      rec(T(12, 0), 'down', { detectorId: 'b' }),
      rec(T(12, 0), 'up', { detectorId: 'c' }),
    ];
    const c = { minDetectors: 2, direction: 'same', consecutiveAnomalies: 1 };
    const res = shouldAlert(recs, c, ctx);
    expect(res.alert).toBe(true);
    expect(res.data?.detectorIds).toEqual(['a', 'c']);
    expect(shouldAlert(recs, { ...c, minDetectors: 3 }, ctx).alert).toBe(false);
  });

  it('get_last_complete_point: 13:23 at 10min → 13:10; 13:45 at 1h → 12:00', () => {
    expect(lastCompletePoint(T(13, 23), 600)).toBe(T(13, 10));
    expect(lastCompletePoint(T(13, 45), 3600)).toBe(T(12, 0));
  });
});

describe('decide: cooldown, recovery, no data', () => {
  const I = 600;
  /** The last 2 points ending at `end`, anomalous or not. */
  const points = (end: number, anomalous: boolean[]): DetectionRecord[] =>
    anomalous.map((a, k) =>
      rec(end - k * I * 1000, a ? 'up' : 'none', { isAnomaly: a, value: a ? 100 : 20, direction: undefined })
    );
  const base = (over: Partial<DecideInput>): DecideInput => ({
    metricName: 'cpu_usage',
    intervalSeconds: I,
    conditions: { minDetectors: 1, direction: 'same', consecutiveAnomalies: 2 },
    timezone: null,
    cooldownSeconds: null,
    resetOnRecovery: true,
    noDataAlert: false,
    records: [],
    state: null,
    now: T(12, 15),
    lastValuedAt: T(12, 0),
    ...over,
  });
  const firing = (at: number): CurrentAlertState => ({
    state: 'firing',
    timestamp: at,
    lastFiringAt: at,
    lastFiringEventId: 'e',
  });
  const at = (hh: number, mm: number) => ({ now: T(hh, mm) + 5 * 60_000, lastValuedAt: T(hh, mm) });

  it('fires once the streak reaches consecutive_anomalies', () => {
    expect(decide(base({ records: points(T(12, 0), [true, false]) })).action).toBe('none');
    const d = decide(base({ records: points(T(12, 0), [true, true]) }));
    expect(d).toMatchObject({ action: 'fire', timestamp: T(12, 0) });
  });

  it('the same point is never evaluated twice (a retried run decides nothing new)', () => {
    const d = decide(base({ records: points(T(12, 0), [true, true]), state: firing(T(12, 0)) }));
    expect(d).toEqual({ action: 'none', reason: 'Already evaluated this point' });
  });

  it('a firing metric that recovers → resolve', () => {
    const d = decide(base({ ...at(12, 10), records: points(T(12, 10), [false, true]), state: firing(T(12, 0)) }));
    expect(d).toMatchObject({ action: 'resolve', timestamp: T(12, 10) });
  });

  it('reset_on_recovery true, cooldown 30min: 10:00 ✓ | 10:10 skip | 10:15 recovery | 10:20 ✓', () => {
    const c = { cooldownSeconds: 1800, resetOnRecovery: true, intervalSeconds: 300 };
    const pts = (end: number, a: boolean[]) =>
      a.map((x, k) => rec(end - k * 300_000, x ? 'up' : 'none', { isAnomaly: x }));
    const s1 = firing(T(10, 0));
    expect(decide(base({ ...c, ...at(10, 10), records: pts(T(10, 10), [true, true]), state: s1 })).action).toBe('none');
    const r = decide(base({ ...c, ...at(10, 15), records: pts(T(10, 15), [false, true]), state: s1 }));
    expect(r.action).toBe('resolve');
    const s2: CurrentAlertState = { state: 'ok', timestamp: T(10, 15), lastFiringAt: T(10, 0), lastFiringEventId: 'e' };
    expect(decide(base({ ...c, ...at(10, 20), records: pts(T(10, 20), [true, true]), state: s2 })).action).toBe('fire');
    // reset_on_recovery false: 10:20 skipped (20 < 30), 10:30 fires.
    const d20 = decide(
      base({ ...c, resetOnRecovery: false, ...at(10, 20), records: pts(T(10, 20), [true, true]), state: s2 })
    );
    expect(d20).toEqual({ action: 'none', reason: 'In cooldown until 2024-01-01T10:30:00 UTC' });
    const d30 = decide(
      base({ ...c, resetOnRecovery: false, ...at(10, 30), records: pts(T(10, 30), [true, true]), state: s2 })
    );
    expect(d30.action).toBe('fire');
  });

  it('without a cooldown a lasting anomaly repeats every interval (detectkit); with one it is suppressed', () => {
    const input = base({ ...at(12, 10), records: points(T(12, 10), [true, true]), state: firing(T(12, 0)) });
    expect(decide(input).action).toBe('fire');
    expect(decide({ ...input, cooldownSeconds: 3600 }).action).toBe('none');
  });

  it('no_data_alert after N missing intervals, once; data back → resolve', () => {
    const missing = base({ noDataAlert: true, now: T(12, 35), lastValuedAt: T(12, 0) });
    const d = decide(missing);
    expect(d).toMatchObject({ action: 'no_data', timestamp: T(12, 20), reason: 'No data for 2 intervals' });
    const s: CurrentAlertState = {
      state: 'no_data',
      timestamp: T(12, 20),
      lastFiringAt: null,
      lastFiringEventId: null,
    };
    expect(decide({ ...missing, state: s }).action).toBe('none');
    expect(decide(base({ noDataAlert: true, now: T(12, 25), lastValuedAt: T(12, 0) })).action).toBe('none');
    const back = decide(
      base({ noDataAlert: true, ...at(12, 30), records: points(T(12, 30), [false, false]), state: s })
    );
    expect(back).toMatchObject({ action: 'resolve', reason: 'Data is back' });
    expect(decide(base({ noDataAlert: true, lastValuedAt: null })).action).toBe('no_data');
  });
});
