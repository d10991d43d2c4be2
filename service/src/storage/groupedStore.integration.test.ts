import { openTestStore } from '../../test/embedded';
import type { SqlConnection } from './connect';
import type { Store } from './store';

/**
 * Many metrics writing and reading at once share statements (group commit): each caller must still get exactly
 * its own rows, and the statements must be few.
 */
describe('grouped storage operations (many metrics at once)', () => {
  let store: Store;
  let sql: SqlConnection;
  let close: () => Promise<void>;
  const T0 = Date.UTC(2025, 0, 1);
  const M = 60_000;

  beforeAll(async () => {
    ({ store, sql, close } = await openTestStore('g'));
  });
  afterAll(() => close());

  // Every row of one INSERT gets the same created_at (now64 is evaluated once per statement).
  const statements = async (like: string) => {
    const [r] = await sql.json<{ n: string }>(
      `SELECT uniqExact(created_at) AS n FROM ${store.table('_dtk_datapoints')} WHERE metric_name LIKE {q:String}`,
      { q: like }
    );
    return Number(r?.n ?? 0);
  };

  test('concurrent writes, state and series reads of 200 metrics come back per metric, in few statements', async () => {
    const names = Array.from({ length: 200 }, (_, i) => `grp_${i}`);
    await Promise.all(
      names.map((name, i) =>
        store.writeDatapoints({
          metricName: name,
          intervalSeconds: 60,
          seasonalityColumns: i % 2 ? 'hour' : '',
          timestamps: Array.from({ length: 5 + (i % 7) }, (_, k) => T0 + k * M),
          values: Array.from({ length: 5 + (i % 7) }, (_, k) => (k === 2 ? NaN : i * 1000 + k)),
          seasonalityData: i % 2 ? Array.from({ length: 5 + (i % 7) }, (_, k) => `{"hour": ${k}}`) : undefined,
        })
      )
    );
    const inserts = await statements('grp\\_%');
    expect(inserts).toBeGreaterThanOrEqual(1);
    expect(inserts).toBeLessThanOrEqual(3);

    const states = await Promise.all(names.map((n) => store.metricState(n, ['d1'])));
    states.forEach((s, i) => {
      expect(s).toEqual({ firstDatapoint: T0, lastDatapoint: T0 + (4 + (i % 7)) * M, lastDetection: { d1: null } });
    });

    // Each metric asks for its own range; one of them twice with different ranges.
    const reqs = names.map((n, i) => ({ name: n, from: T0 + (i % 3) * M, to: T0 + (4 + (i % 5)) * M }));
    reqs.push({ name: 'grp_7', from: T0, to: T0 + 2 * M });
    const got = await Promise.all(
      reqs.map((r) => store.readSeries(r.name, { from: r.from, to: r.to }, { maxPoints: 100, seasonality: true }))
    );
    for (let j = 0; j < reqs.length; j++) {
      const r = reqs[j]!;
      const alone = await store.readSeries(r.name, { from: r.from, to: r.to }, { seasonality: true });
      expect(Array.from(got[j]!.timestamps)).toEqual(Array.from(alone.timestamps));
      expect(Array.from(got[j]!.values)).toEqual(Array.from(alone.values));
      expect(got[j]!.seasonalityData).toEqual(alone.seasonalityData);
      expect(alone.timestamps.length).toBeGreaterThan(0);
    }
    // grp_9 has 7 points (k = 0…6, k = 2 missing) and asked for [T0, T0 + 8 min).
    expect(Array.from(got[9]!.values)).toEqual([9000, 9001, NaN, 9003, 9004, 9005, 9006]);
    expect(Array.from(got[200]!.values)).toEqual([7000, 7001]);
  });

  test('grouped detection writes keep each detector row with its own metric, detector and parameters', async () => {
    const batches = Array.from({ length: 50 }, (_, i) => ({
      metricName: `det_${i % 10}`,
      detectorId: `d${Math.floor(i / 10)}`,
      detectorName: i % 2 ? 'MADDetector' : 'ZScoreDetector',
      detectorParams: JSON.stringify({ window_size: i }),
      timestamps: [T0, T0 + M],
      isAnomaly: [i % 3 === 0, false],
      lower: [i, NaN],
      upper: [i + 1, NaN],
      values: [i + 0.5, i + 0.25],
      processedValues: [i + 0.5, i + 0.25],
      metadata: [`{"i": ${i}}`, '{}'],
    }));
    await Promise.all(batches.map((b) => store.writeDetections(b)));
    for (const b of batches) {
      const rows = (await store.readDetections(b.metricName)).filter((r) => r.detectorId === b.detectorId);
      expect(rows.map((r) => [r.timestamp, r.isAnomaly, r.lower, r.upper, r.value, r.detectorName])).toEqual([
        [T0, b.isAnomaly[0], b.lower[0], b.upper[0], b.values[0], b.detectorName],
        [T0 + M, false, null, null, b.values[1], b.detectorName],
      ]);
    }
    const [p] = await sql.json<{ p: string; md: string }>(
      `SELECT detector_params AS p, detection_metadata AS md FROM ${store.table('_dtk_detections')} FINAL
       WHERE metric_name = 'det_3' AND detector_id = 'd2' AND timestamp = fromUnixTimestamp64Milli(${T0}, 'UTC')`
    );
    expect(p).toEqual({ p: '{"window_size":23}', md: '{"i": 23}' });
  });

  test('grouped alert reads answer each metric as a lone read would', async () => {
    const event = (metric: string, i: number, type: 'firing' | 'resolved', status: 'pending' | 'sent') => ({
      metricName: metric,
      eventId: `${metric}-${i}`,
      eventType: type,
      state: type === 'firing' ? 'firing' : 'ok',
      timestamp: T0 + i * M,
      value: i,
      confidenceLower: 0,
      confidenceUpper: 1,
      direction: 'up',
      severity: 2,
      consecutiveCount: 1,
      detectorIds: ['d0'],
      message: `event ${i}`,
      channels: { ops: { type: 'webhook', status, attempts: 0 } },
      details: {},
    });
    for (const m of ['det_1', 'det_2']) {
      await store.alerts.write(event(m, 1, 'firing', 'sent'));
      await store.alerts.write(event(m, 2, 'resolved', m === 'det_1' ? 'pending' : 'sent'));
      await store.alerts.write(event(m, 3, 'firing', 'pending'));
    }
    const metrics = ['det_1', 'det_2', 'det_9'];
    const together = await Promise.all(
      metrics.flatMap((m) => [
        store.alerts.currentState(m),
        store.alerts.undelivered(m, 1),
        store.alerts.recentDetections(m, ['d0', 'd2'], T0 - 1, T0 + M),
        store.alerts.lastValuedDatapoint(m, T0 + M),
      ])
    );
    const alone: unknown[] = [];
    for (const m of metrics) {
      alone.push(await store.alerts.currentState(m));
      alone.push(await store.alerts.undelivered(m, 1));
      alone.push(await store.alerts.recentDetections(m, ['d0', 'd2'], T0 - 1, T0 + M));
      alone.push(await store.alerts.lastValuedDatapoint(m, T0 + M));
    }
    expect(together).toEqual(alone);
    expect(together[0]).toMatchObject({ state: 'firing', timestamp: T0 + 3 * M, lastFiringEventId: 'det_1-3' });
    expect((together[1] as Array<{ eventId: string }>).map((e) => e.eventId)).toEqual(['det_1-2']);
    expect((together[5] as Array<{ eventId: string }>).map((e) => e.eventId)).toEqual(['det_2-3']);
    expect((together[2] as unknown[]).length).toBe(4); // d0 and d2 at T0 and T0 + 1 min
    expect(together[8]).toBeNull();
  });
});
