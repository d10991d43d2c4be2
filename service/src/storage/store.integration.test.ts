import { DETECTKIT_DETECTION_COLUMNS, openTestStore } from '../../test/embedded';
import type { SqlConnection } from './connect';
import { SCHEMA_VERSION } from './migrations';
import type { Store } from './store';

describe('Store on the embedded engine', () => {
  let store: Store;
  let sql: SqlConnection;
  let db: string;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ store, sql, db, close } = await openTestStore('t'));
  });

  afterAll(() => close());

  const columns = async (table: string) =>
    (
      await sql.json<{ name: string; type: string }>(
        `SELECT name, type FROM system.columns WHERE database = {db:String} AND table = {t:String} ORDER BY position`,
        { db, t: table }
      )
    ).map((c) => `${c.name} ${c.type}`);

  test('creates detectkit tables with detectkit DDL, and creating them twice is harmless', async () => {
    const again = await store.migrate();
    expect(again.applied).toEqual([]);
    expect(await store.schemaVersion()).toBe(SCHEMA_VERSION);
    expect(await columns('_dtk_datapoints')).toEqual([
      'metric_name String',
      "timestamp DateTime64(3, 'UTC')",
      'value Nullable(Float64)',
      'seasonality_data String',
      'interval_seconds Int32',
      'seasonality_columns String',
      "created_at DateTime64(3, 'UTC')",
    ]);
    expect((await columns('_dtk_detections')).map((c) => c.split(' ')[0])).toEqual(DETECTKIT_DETECTION_COLUMNS);
    const engines = await sql.json<{ name: string; engine_full: string }>(
      `SELECT name, engine_full FROM system.tables WHERE database = {db:String} ORDER BY name`,
      { db }
    );
    const byName = Object.fromEntries(engines.map((e) => [e.name, e.engine_full]));
    expect(byName._dtk_datapoints).toMatch(/^ReplacingMergeTree\(created_at\) ORDER BY \(metric_name, timestamp\)/);
    expect(byName._dtk_tasks).toMatch(/^MergeTree ORDER BY \(metric_name, detector_id, process_type\)/);
    expect(Object.keys(byName).sort()).toEqual(
      [
        '_dtk_alerts',
        '_dtk_datapoints',
        '_dtk_detections',
        '_dtk_metric_configs',
        '_dtk_metrics',
        '_dtk_migrations',
        '_dtk_tasks',
      ].sort()
    );
  });

  test('1,000,000 datapoints are written and read back exactly', async () => {
    const n = 1_000_000;
    const t0 = Date.UTC(2024, 0, 1);
    const timestamps = new Float64Array(n);
    const values = new Float64Array(n);
    let min = Infinity;
    let max = -Infinity;
    let nulls = 0;
    for (let i = 0; i < n; i++) {
      timestamps[i] = t0 + i * 60_000;
      // Full-precision doubles, negative values, and a missing value every 997 points.
      values[i] = i % 997 === 0 ? NaN : Math.sin(i) * 1e3 + i / 7;
      if (values[i] !== values[i]) {
        nulls++;
      } else {
        min = Math.min(min, values[i]!);
        max = Math.max(max, values[i]!);
      }
    }
    await store.writeDatapoints({ metricName: 'big', intervalSeconds: 60, timestamps, values });

    const [agg] = await sql.json<{ c: string; mn: number; mx: number; s: number; nulls: string; nans: string }>(
      `SELECT count() AS c, min(value) AS mn, max(value) AS mx, sum(value) AS s,
              countIf(value IS NULL) AS nulls, countIf(isNaN(value)) AS nans
       FROM ${db}._dtk_datapoints WHERE metric_name = 'big'`
    );
    expect(Number(agg!.c)).toBe(n);
    expect(agg!.mn).toBe(min);
    expect(agg!.mx).toBe(max);
    expect(Number(agg!.nulls)).toBe(nulls);
    expect(Number(agg!.nans)).toBe(0);

    const back = await store.readSeries('big');
    expect(back.timestamps.length).toBe(n);
    let sum = 0;
    let mismatches = 0;
    for (let i = 0; i < n; i++) {
      if (back.timestamps[i] !== timestamps[i] || !Object.is(back.values[i], values[i])) {
        mismatches++;
      }
      if (back.values[i] === back.values[i]) {
        sum += back.values[i]!;
      }
    }
    expect(mismatches).toBe(0);
    expect(Math.abs(sum - agg!.s)).toBeLessThanOrEqual(Math.abs(agg!.s) * 1e-12);

    const range = await store.readSeries('big', { from: t0 + 10 * 60_000, to: t0 + 20 * 60_000 });
    expect(Array.from(range.timestamps)).toEqual(Array.from(timestamps.subarray(10, 20)));
  });

  test('rows written twice are read once, with the latest value', async () => {
    const timestamps = [1_700_000_000_000, 1_700_000_060_000, 1_700_000_120_000];
    await store.writeDatapoints({ metricName: 'dup', intervalSeconds: 60, timestamps, values: [1, 2, 3] });
    await new Promise((r) => setTimeout(r, 5));
    await store.writeDatapoints({ metricName: 'dup', intervalSeconds: 60, timestamps, values: [1, 20, 3] });
    const s = await store.readSeries('dup');
    expect(Array.from(s.timestamps)).toEqual(timestamps);
    expect(Array.from(s.values)).toEqual([1, 20, 3]);
  });

  test('missing values round-trip as NULL, infinities and seasonality strings survive', async () => {
    const timestamps = [1_000, 2_000, 3_000, 4_000];
    const seasonalityData = ['{"hour":0}', '{"hour":1}', 'tab\there\\and\nnewline', '{}'];
    await store.writeDatapoints({
      metricName: 'nulls',
      intervalSeconds: 1,
      seasonalityColumns: 'hour',
      timestamps,
      values: [NaN, Infinity, -Infinity, 0.1],
      seasonalityData,
    });
    const [row] = await sql.json<{ nulls: string; nans: string }>(
      `SELECT countIf(value IS NULL) AS nulls, countIf(isNaN(value)) AS nans FROM ${db}._dtk_datapoints WHERE metric_name = 'nulls'`
    );
    expect(Number(row!.nulls)).toBe(1);
    expect(Number(row!.nans)).toBe(0);
    const s = await store.readSeries('nulls', {}, { seasonality: true });
    expect(Array.from(s.values)).toEqual([NaN, Infinity, -Infinity, 0.1]);
    expect(s.seasonalityData).toEqual(seasonalityData);
  });

  test('detections are written with NULL bounds and deduplicated', async () => {
    const base = {
      metricName: 'det',
      detectorId: 'abcdef0123456789',
      detectorName: 'MADDetector',
      detectorParams: '{"threshold":3.0}',
      timestamps: [60_000, 120_000],
      isAnomaly: [false, true],
      lower: [NaN, 1.5],
      upper: [NaN, 2.5],
      values: [NaN, 7],
      processedValues: [NaN, 7],
      metadata: ['{"reason": "missing_data"}', '{"direction": "above"}'],
    };
    await store.writeDetections(base);
    await store.writeDetections(base);
    const rows = await sql.json<Record<string, unknown>>(
      `SELECT toUnixTimestamp64Milli(timestamp) AS t, is_anomaly, confidence_lower, confidence_upper, value, detector_params, detection_metadata
       FROM ${db}._dtk_detections FINAL WHERE metric_name = 'det' ORDER BY timestamp`
    );
    expect(rows).toEqual([
      {
        t: 60000,
        is_anomaly: false,
        confidence_lower: null,
        confidence_upper: null,
        value: null,
        detector_params: '{"threshold":3.0}',
        detection_metadata: '{"reason": "missing_data"}',
      },
      {
        t: 120000,
        is_anomaly: true,
        confidence_lower: 1.5,
        confidence_upper: 2.5,
        value: 7,
        detector_params: '{"threshold":3.0}',
        detection_metadata: '{"direction": "above"}',
      },
    ]);
    expect(await store.lastDetectionTimestamp('det', 'abcdef0123456789')).toBe(120_000);
    expect(await store.lastDetectionTimestamp('det', 'other')).toBeNull();
  });

  test('last timestamps: null (epoch) when there is no data', async () => {
    expect(await store.lastDatapointTimestamp('never-written')).toBeNull();
    expect(await store.lastDatapointTimestamp('dup')).toBe(1_700_000_120_000);
  });

  test('full-refresh deletes are synchronous and bounded to the range', async () => {
    const ts = [60_000, 120_000, 180_000, 240_000];
    await store.writeDatapoints({ metricName: 'del', intervalSeconds: 60, timestamps: ts, values: [1, 2, 3, 4] });
    expect(await store.firstDatapointTimestamp('del')).toBe(60_000);
    expect(await store.firstDatapointTimestamp('nothing-here')).toBeNull();
    await store.deleteDatapoints('del', { from: 120_000, to: 240_000 });
    expect(Array.from((await store.readSeries('del')).timestamps)).toEqual([60_000, 240_000]);
    await store.writeDetections({
      metricName: 'del',
      detectorId: 'd1',
      detectorName: 'MADDetector',
      detectorParams: '{}',
      timestamps: ts,
      isAnomaly: [0, 1, 0, 0],
      lower: [NaN, 1, 1, 1],
      upper: [NaN, 2, 2, 2],
      values: [1, 2, 3, 4],
      processedValues: [1, 2, 3, 4],
      metadata: ['{}', '{}', '{}', '{}'],
    });
    await store.deleteDetections('del', 'd1', { from: 180_000 });
    const det = await store.readDetections('del');
    expect(det.map((d) => [d.timestamp, d.isAnomaly, d.lower])).toEqual([
      [60_000, false, null],
      [120_000, true, 1],
    ]);
  });

  test('_dtk_metrics rows are rewritten only when the metric changed', async () => {
    const info = {
      metric_name: 'cpu',
      description: 'CPU',
      path: '/p/metrics/cpu.yml',
      interval: '10min',
      loading_start_time: Date.UTC(2024, 0, 1),
      loading_batch_size: 10000,
      is_alert_enabled: 1,
      timezone: 'Europe/Moscow',
      direction: 'same',
      consecutive_anomalies: 3,
      no_data_alert: 0,
      min_detectors: 1,
      tags: '["critical", "system"]',
      enabled: 1,
    };
    expect(await store.syncMetricInfo([info])).toBe(1);
    expect(await store.syncMetricInfo([info])).toBe(0);
    expect(await store.syncMetricInfo([{ ...info, description: null, timezone: null }])).toBe(1);
    const rows = await sql.json<Record<string, unknown>>(
      `SELECT metric_name, description, timezone, tags, toString(loading_start_time) AS lst FROM ${db}._dtk_metrics`
    );
    expect(rows).toEqual([
      {
        metric_name: 'cpu',
        description: null,
        timezone: null,
        tags: '["critical", "system"]',
        lst: '2024-01-01 00:00:00.000',
      },
    ]);
  });
});
