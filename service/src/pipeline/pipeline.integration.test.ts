import { loadProject } from '../config';
import { silentLogger } from '../logging/logger';
import { openTestStore } from '../../test/embedded';
import { writeProject } from '../../test/project';
import type { SqlConnection } from '../storage/connect';
import type { Store } from '../storage';
import { pipelineMetric } from './fromConfig';
import { silentReporter, type Reporter } from './reporter';
import { runMetric } from './runMetric';
import { STEPS, type RunOptions } from './types';

const utc = (s: string) => Date.parse(`${s.replace(' ', 'T')}Z`);
const ALL: RunOptions = { steps: new Set(STEPS), fullRefresh: false, force: false };

describe('load → detect pipeline on the embedded engine', () => {
  let store: Store;
  let sql: SqlConnection;
  let db: string;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ store, sql, db, close } = await openTestStore('pipe'));
  });
  afterAll(() => close());

  /** A source table `default.<name>` with (ts, v) rows. */
  async function sourceTable(name: string, rows: Array<[string, number | null]>): Promise<string> {
    const table = `default.${name}_${db}`;
    await sql.command(`CREATE TABLE ${table} (ts DateTime('UTC'), v Nullable(Float64)) ENGINE = MergeTree ORDER BY ts`);
    await sql.command(`INSERT INTO ${table} VALUES ${rows.map(([t, v]) => `('${t}', ${v ?? 'NULL'})`).join(', ')}`);
    return table;
  }

  function metricFor(yaml: string) {
    const root = writeProject({ 'metrics/m.yml': yaml });
    const project = loadProject(root, { partial: true });
    expect(project.failed).toEqual([]);
    return pipelineMetric(store, root, project.metrics[0]!);
  }

  const lines = (): Reporter & { text: string[] } => {
    const text: string[] = [];
    return { text, line: (t = '') => void text.push(t), progress: () => undefined };
  };

  test("reference A.6: detectkit's end-to-end scenario gives the same datapoints and detections", async () => {
    const now = utc('2026-11-22 04:55:12');
    const start = utc('2026-11-21 18:50:00');
    const rows: Array<[string, number]> = [];
    for (let t = start; t <= utc('2026-11-22 04:50:00'); t += 600_000) {
      const s = new Date(t).toISOString().slice(0, 19).replace('T', ' ');
      rows.push([s, t >= utc('2026-11-22 04:20:00') ? 100 : 10]);
    }
    const table = await sourceTable('a6', rows);
    const m = metricFor(`name: cpu_usage
interval: 10min
loading_start_time: "2026-11-21 18:50:00"
query: |
  SELECT ts AS timestamp, v AS value FROM ${table}
  WHERE ts >= '{{ dtk_start_time }}' AND ts < '{{ dtk_end_time }}'
detectors:
  - type: mad
    params: {window_size: 20, min_samples: 10}
alerting:
  enabled: true
  channels: []
  direction: up
  consecutive_anomalies: 3
`);
    const queries: string[] = [];
    const real = store.userQuery.bind(store);
    const spy = jest.spyOn(store, 'userQuery').mockImplementation((q: string) => {
      queries.push(q);
      return real(q);
    });
    const out = lines();
    const r1 = await runMetric({ store, reporter: out, logger: silentLogger, now: () => now }, m, ALL);
    spy.mockRestore();
    expect(r1).toMatchObject({
      status: 'success',
      datapointsLoaded: 60,
      anomaliesDetected: 3,
      stepsCompleted: ['load', 'detect'],
    });
    expect(queries[0]).toContain("ts >= '2026-11-21 18:50:00' AND ts < '2026-11-22 04:50:00'");
    expect(out.text).toContain('  │ Starting fresh from: 2026-11-21 18:50:00');
    expect(out.text).toContain('  │ Loading from 2026-11-21 18:50:00 to 2026-11-22 04:50:00');

    const series = await store.readSeries('cpu_usage');
    expect(series.timestamps.length).toBe(60);
    expect(series.timestamps[59]).toBe(utc('2026-11-22 04:40:00'));
    const det = await store.readDetections('cpu_usage');
    expect(det).toHaveLength(60);
    expect(det.filter((d) => d.isAnomaly).map((d) => d.timestamp)).toEqual(
      ['04:20', '04:30', '04:40'].map((hm) => utc(`2026-11-22 ${hm}:00`))
    );
    const first = det.find((d) => d.isAnomaly)!;
    expect(first.lower).toBeCloseTo(9.9999999999, 12);
    expect(first.upper).toBeCloseTo(10.0000000001, 12);
    expect(first.detectorName).toBe('MADDetector');

    // Run 2 of the reference reloads from loading_start_time: same rows, nothing new detected.
    const r2 = await runMetric({ store, reporter: silentReporter, logger: silentLogger, now: () => now }, m, {
      ...ALL,
      from: start,
    });
    expect(r2).toMatchObject({ status: 'success', datapointsLoaded: 60, anomaliesDetected: 0 });
    expect((await store.readSeries('cpu_usage')).timestamps.length).toBe(60);
    expect(await store.readDetections('cpu_usage')).toEqual(det);
  });

  test('a second run loads and detects only the new intervals; full refresh rewrites exactly its range', async () => {
    const rows: Array<[string, number | null]> = [];
    const t0 = utc('2026-01-01 00:00:00');
    for (let i = 0; i < 200; i++) {
      rows.push([
        new Date(t0 + i * 60_000).toISOString().slice(0, 19).replace('T', ' '),
        i % 17 === 0 ? null : 50 + (i % 7),
      ]);
    }
    const table = await sourceTable('resume', rows);
    const m = metricFor(`name: resume
interval: 1min
loading_start_time: "2026-01-01 00:00:00"
loading_batch_size: 40
query: SELECT ts AS timestamp, v AS value FROM ${table} WHERE ts >= '{{ dtk_start_time }}' AND ts < '{{ dtk_end_time }}'
detectors:
  - type: zscore
    params: {window_size: 30, min_samples: 10}
`);
    const run = (now: number, extra: Partial<RunOptions> = {}) =>
      runMetric({ store, reporter: silentReporter, logger: silentLogger, now: () => now }, m, { ...ALL, ...extra });
    const r1 = await run(t0 + 150 * 60_000 + 30_000);
    expect(r1).toMatchObject({ status: 'success', datapointsLoaded: 150 });
    expect((await store.readDetections('resume')).length).toBe(150);
    const r2 = await run(t0 + 153 * 60_000 + 1);
    expect(r2.datapointsLoaded).toBe(3);
    expect(r2.detectors[0]!.points).toBe(3);
    const r3 = await run(t0 + 153 * 60_000 + 59_000);
    expect(r3.datapointsLoaded).toBe(0);

    // The source changes inside [10:00, 20:00) and outside it; a full refresh of that range picks up only the inside.
    await sql.command(`ALTER TABLE ${table} UPDATE v = v + 1000 WHERE 1 SETTINGS mutations_sync = 2`);
    const before = await store.readSeries('resume');
    const from = t0 + 10 * 60_000;
    const to = t0 + 20 * 60_000;
    const r4 = await run(t0 + 153 * 60_000 + 59_000, { fullRefresh: true, from, to });
    expect(r4).toMatchObject({ status: 'success', datapointsLoaded: 10 });
    const after = await store.readSeries('resume');
    expect(after.timestamps.length).toBe(before.timestamps.length);
    for (let i = 0; i < after.timestamps.length; i++) {
      const t = after.timestamps[i]!;
      const inside = t >= from && t < to;
      const was = before.values[i]!;
      expect(Object.is(after.values[i], inside && !Number.isNaN(was) ? was + 1000 : was)).toBe(true);
    }
    const det = await store.readDetections('resume');
    expect(det.length).toBe(153);
    expect(
      det.filter((d) => d.timestamp >= from && d.timestamp < to).every((d) => d.value === null || d.value > 1000)
    ).toBe(true);
  });

  test('the recommended robust detector: scheduled runs store what one backfill stores (history covers the data)', async () => {
    // Four days of 5-minute points with a daily cycle (found once three days are in) and a 1-hour incident on the
    // fourth day.
    const t0 = utc('2026-03-01 00:00:00');
    const rows: Array<[string, number]> = [];
    for (let i = 0; i < 4 * 288; i++) {
      const incident = i >= 3 * 288 + 100 && i < 3 * 288 + 112 ? 80 : 0;
      rows.push([
        new Date(t0 + i * 300_000).toISOString().slice(0, 19).replace('T', ' '),
        100 + 30 * Math.sin((2 * Math.PI * i) / 288) + ((i * 7919) % 13) - 6 + incident,
      ]);
    }
    const table = await sourceTable('robust', rows);
    const yaml = (name: string) => `name: ${name}
interval: 5min
loading_start_time: "2026-03-01 00:00:00"
query: SELECT ts AS timestamp, v AS value FROM ${table} WHERE ts >= '{{ dtk_start_time }}' AND ts < '{{ dtk_end_time }}'
detectors:
  - type: robust
`;
    const end = t0 + 4 * 288 * 300_000;
    const once = metricFor(yaml('robust_once'));
    const ticks = metricFor(yaml('robust_ticks'));
    const run = (m: typeof once, now: number) =>
      runMetric({ store, reporter: silentReporter, logger: silentLogger, now: () => now }, m, ALL);
    expect(await run(once, end + 1000)).toMatchObject({ status: 'success', datapointsLoaded: 1152 });
    for (let now = t0 + 6 * 3_600_000; now <= end; now += 6 * 3_600_000) {
      expect((await run(ticks, now + 1000)).status).toBe('success');
    }
    const a = await store.readDetections('robust_once');
    const b = await store.readDetections('robust_ticks');
    expect(b.length).toBe(a.length);
    expect(b.map((d) => [d.timestamp, d.isAnomaly, d.lower, d.upper])).toEqual(
      a.map((d) => [d.timestamp, d.isAnomaly, d.lower, d.upper])
    );
    // The incident is found, and nothing else.
    const flagged = a.filter((d) => d.isAnomaly).map((d) => (d.timestamp - t0) / 300_000);
    expect(flagged).toContain(3 * 288 + 100);
    expect(flagged.every((i) => i >= 3 * 288 + 100 && i < 3 * 288 + 112 + 30)).toBe(true);
  });

  test('a failing source fails its metric with the message, and the lock records it', async () => {
    const m = metricFor(`name: broken
interval: 10min
loading_start_time: "2026-01-01 00:00:00"
query: SELECT * FROM default.no_such_table WHERE t >= '{{ dtk_start_time }}'
`);
    const r = await runMetric(
      { store, reporter: silentReporter, logger: silentLogger, now: () => utc('2026-01-02 00:00:00') },
      m,
      ALL
    );
    expect(r.status).toBe('failed');
    expect(r.error).toMatch(/no_such_table/);
    const rows = await sql.json<{ status: string; error_message: string }>(
      `SELECT status, error_message FROM ${db}._dtk_tasks WHERE metric_name = 'broken' AND status != 'running'`
    );
    expect(rows).toEqual([{ status: 'failed', error_message: expect.stringMatching(/no_such_table/) }]);
    // Nothing was lost and the next run can take the lock.
    expect(await store.locks.holder({ metricName: 'broken' })).toBeNull();
  });
});
