import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { loadProject } from '../../config';
import { silentLogger } from '../../logging/logger';
import { pipelineMetric, runContext } from '../../pipeline/fromConfig';
import { silentReporter, type Reporter } from '../../pipeline/reporter';
import { runMetric } from '../../pipeline/runMetric';
import { STEPS, type RunOptions } from '../../pipeline/types';
import type { Store } from '../../storage';
import type { SqlConnection } from '../../storage/connect';
import { openTestStore } from '../../../test/embedded';
import { writeProject } from '../../../test/project';

/**
 * Custom and forecast detectors in the pipeline, on the embedded engine: a crashing and a hanging module are each
 * reported and do not stop the metric's other detectors nor its alert step; the example module of the demo project runs and keeps
 * its state across runs.
 */

const utc = (s: string) => Date.parse(`${s.replace(' ', 'T')}Z`);
const ALL: RunOptions = { steps: new Set(STEPS), fullRefresh: false, force: false };
const EXAMPLE = path.resolve(__dirname, '../../../../provisioning/detectkit/detectors/hourly_profile.mjs');

describe('custom detectors in the pipeline', () => {
  let store: Store;
  let sql: SqlConnection;
  let db: string;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ store, sql, db, close } = await openTestStore('custom'));
  });
  afterAll(() => close());

  /** A source table with one value per 10 minutes: a daily sine, and a spike at the end. */
  async function sourceTable(name: string, points: number, spikeAt: number): Promise<{ table: string; t0: number }> {
    const table = `default.${name}_${db}`;
    const t0 = utc('2026-01-01 00:00:00');
    await sql.command(`CREATE TABLE ${table} (ts DateTime('UTC'), v Float64) ENGINE = MergeTree ORDER BY ts`);
    const rows = Array.from({ length: points }, (_, i) => {
      const v = i === spikeAt ? 500 : 100 + 20 * Math.sin((2 * Math.PI * i) / 144) + ((i * 37) % 11) - 5;
      return `(${(t0 + i * 600_000) / 1000}, ${v})`;
    });
    await sql.command(`INSERT INTO ${table} VALUES ${rows.join(', ')}`);
    return { table, t0 };
  }

  function metric(root: string) {
    const project = loadProject(root, { partial: true });
    expect(project.failed).toEqual([]);
    return pipelineMetric(
      store,
      root,
      project.metrics[0]!,
      runContext({ alertChannels: project.profiles?.alert_channels })
    );
  }

  const lines = (): Reporter & { text: string[] } => {
    const text: string[] = [];
    return { text, line: (t = '') => void text.push(t), progress: () => undefined };
  };

  test('a crashing and a hanging module are reported; the other detectors still run and are stored', async () => {
    const { table, t0 } = await sourceTable('isolation', 300, 299);
    const received: string[] = [];
    const hook = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        received.push(body);
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    const port = (hook.address() as AddressInfo).port;
    const root = writeProject({
      'profiles.yml': `default_profile: local
profiles:
  local: {type: embedded, path: .dtk/data}
alert_channels:
  ops: {type: webhook, webhook_url: "http://127.0.0.1:${port}/hook"}
`,
      'detectors/crash.mjs': 'export function detect() { throw new Error("division by zero in my model"); }',
      'detectors/hang.mjs': 'export function detect() { for (;;) {} }',
      'metrics/m.yml': `name: isolation
interval: 10min
loading_start_time: "2026-01-01 00:00:00"
query: SELECT ts AS timestamp, v AS value FROM ${table} WHERE ts >= '{{ dtk_start_time }}' AND ts < '{{ dtk_end_time }}'
detectors:
  - type: mad
    params: {window_size: 50, min_samples: 10}
  - type: custom
    params: {module: detectors/crash.mjs}
  - type: custom
    params: {module: detectors/hang.mjs, timeout_ms: 500}
  - type: zscore
    params: {window_size: 50, min_samples: 10}
alerting:
  enabled: true
  channels: [ops]
  consecutive_anomalies: 1
`,
    });
    const m = metric(root);
    const out = lines();
    const r = await runMetric(
      { store, reporter: out, logger: silentLogger, now: () => t0 + 300 * 600_000 + 1000 },
      m,
      ALL
    ).finally(() => hook.close());
    expect(r.status).toBe('failed');
    // The alert step still judged what the working detectors stored (the spike is the last point) and the alert
    // went out; the detect step is not "completed".
    expect(r.stepsCompleted).toEqual(['load', 'alert']);
    expect(r.detectors.map((d) => d.anomalies).every((n) => n > 0)).toBe(true);
    expect(r.alertsSent).toBe(1);
    expect(received).toHaveLength(1);
    expect(received[0]).toContain('isolation');
    expect(r.error).toContain(
      "detection failed for 2 of 4 detector(s) of 'isolation' (the others ran and were stored)"
    );
    expect(r.error).toMatch(
      /metric 'isolation', detector #2 \(custom\): custom detector module detectors\/crash\.mjs: detect\(\) threw: division by zero in my model \[detector_id [0-9a-f]{16}\]/
    );
    expect(r.error).toMatch(
      /metric 'isolation', detector #3 \(custom\): custom detector module detectors\/hang\.mjs: timed out after 500 ms/
    );
    expect(out.text.some((l) => l.includes('✗') && l.includes('crash.mjs'))).toBe(true);
    const stored = await store.readDetections('isolation');
    const byDetector = new Map<string, number>();
    for (const d of stored) {
      byDetector.set(d.detectorName, (byDetector.get(d.detectorName) ?? 0) + 1);
    }
    expect(Object.fromEntries(byDetector)).toEqual({ MADDetector: 300, ZScoreDetector: 300 });
    expect(stored.some((d) => d.isAnomaly && d.timestamp === t0 + 299 * 600_000)).toBe(true);
    // The task row records the failure with the message.
    const rows = await sql.json<{ error_message: string }>(
      `SELECT error_message FROM ${db}._dtk_tasks WHERE metric_name = 'isolation' AND status = 'failed'`
    );
    expect(rows[0]?.error_message).toContain('crash.mjs');
  });

  test("the demo project's example module runs, flags the spike and keeps its state across runs", async () => {
    const { table, t0 } = await sourceTable('example', 600, 500);
    const root = writeProject({
      'detectors/hourly_profile.mjs': fs.readFileSync(EXAMPLE, 'utf8'),
      'metrics/m.yml': `name: example
interval: 10min
loading_start_time: "2026-01-01 00:00:00"
query: SELECT ts AS timestamp, v AS value FROM ${table} WHERE ts >= '{{ dtk_start_time }}' AND ts < '{{ dtk_end_time }}'
detectors:
  - type: custom
    params: {module: detectors/hourly_profile.mjs, options: {k: 5, min_samples: 6}}
  - type: mstl
    params: {window_size: 288, refit_every: 72, periods: [144], min_samples: 100}
`,
    });
    const m = metric(root);
    const run = (points: number) =>
      runMetric(
        { store, reporter: silentReporter, logger: silentLogger, now: () => t0 + points * 600_000 + 1000 },
        m,
        ALL
      );
    const r1 = await run(450);
    expect(r1).toMatchObject({ status: 'success', datapointsLoaded: 450 });
    const stateDir = path.join(root, '.dtk', 'state', 'example');
    const [stateFile] = fs.readdirSync(stateDir);
    const s1 = JSON.parse(fs.readFileSync(path.join(stateDir, stateFile!), 'utf8')) as {
      module: string;
      state: { lastTimestamp: number };
    };
    expect(s1.module).toBe('detectors/hourly_profile.mjs');
    expect(s1.state.lastTimestamp).toBe(t0 + 449 * 600_000);

    const r2 = await run(600);
    expect(r2).toMatchObject({ status: 'success', datapointsLoaded: 150 });
    // The second run judged only its 150 new points, with the profile the first run had learnt.
    expect(r2.detectors.map((d) => d.points)).toEqual([150, 150]);
    const spike = t0 + 500 * 600_000;
    for (const d of r2.detectors) {
      expect(d.anomalyTimes).toContain(spike);
    }
    const stored = await sql.json<{ is_anomaly: boolean; detection_metadata: string }>(
      `SELECT is_anomaly, detection_metadata FROM ${db}._dtk_detections FINAL
       WHERE metric_name = 'example' AND timestamp = fromUnixTimestamp64Milli(${spike}, 'UTC')`
    );
    expect(stored).toHaveLength(2);
    for (const d of stored) {
      expect(d.is_anomaly).toBe(true);
      expect((JSON.parse(d.detection_metadata) as { score: number }).score).toBeGreaterThan(1);
    }
  });
});
