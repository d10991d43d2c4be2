import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { alertChannelSchema, type AlertChannelConfig } from '../../../common/config/profiles';
import { alertConfigSchema } from '../../../common/config/metric';
import { silentLogger } from '../logging/logger';
import type { PipelineMetric } from '../pipeline/types';
import type { Store } from '../storage';
import { openTestStore } from '../../test/embedded';
import { runAlertStep } from './alertStep';
import { lastCompletePoint } from './orchestrator';

const I = 600;
const AM_BIN = '/usr/bin/prometheus-alertmanager';

/** An HTTP sink recording JSON bodies; answers statuses in order (the last one repeats). */
async function sink(statuses: number[] = [200]) {
  const got: unknown[] = [];
  const server = http.createServer((req, res) => {
    let d = '';
    req.on('data', (c: Buffer) => (d += c.toString()));
    req.on('end', () => {
      got.push(d ? JSON.parse(d) : null);
      res.statusCode = statuses[Math.min(got.length - 1, statuses.length - 1)] ?? 200;
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return { url, got, close: () => new Promise<void>((r) => server.close(() => r())) };
}

async function freePort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

const lines = () => {
  const all: string[] = [];
  return { line: (t = '') => void all.push(t), progress: () => undefined, all };
};

function metric(channels: Record<string, AlertChannelConfig>, alerting: Record<string, unknown>): PipelineMetric {
  return {
    name: 'cpu_usage',
    relPath: 'metrics/cpu.yml',
    intervalSeconds: I,
    loadingBatchSize: 1000,
    source: { load: () => Promise.reject(new Error('unused')) },
    detectors: [{ position: 1, type: 'mad', batchSize: 1000, detector: { identity: { id: 'mad1' } } } as never],
    alertingEnabled: true,
    alerting: { config: alertConfigSchema.parse(alerting), channels },
    info: {} as never,
  };
}

/** Detections of one detector: `anoms[k]` for point `end - (n-1-k)·I`. */
async function writeDetections(store: Store, end: number, anoms: boolean[]) {
  const n = anoms.length;
  const ts = anoms.map((_, k) => end - (n - 1 - k) * I * 1000);
  const values = anoms.map((a) => (a ? 100 : 10));
  await store.writeDatapoints({ metricName: 'cpu_usage', intervalSeconds: I, timestamps: ts, values });
  await store.writeDetections({
    metricName: 'cpu_usage',
    detectorId: 'mad1',
    detectorName: 'MADDetector',
    detectorParams: '{}',
    timestamps: ts,
    isAnomaly: anoms,
    lower: anoms.map(() => 5),
    upper: anoms.map(() => 15),
    values,
    processedValues: values,
    metadata: anoms.map(() => '{}'),
  });
}

const fast = { attemptsPerRun: 3, backoffMs: () => 0, sleep: () => Promise.resolve() };
const evalAt = (lcp: number) => lcp + I * 1000 + 1000;

describe('alerting end to end (embedded store)', () => {
  it('outbox: a channel down for three attempts and then back loses nothing; a retried run sends no duplicate', async () => {
    const t = await openTestStore('al');
    const s = await sink([500, 500, 500, 200]);
    try {
      const m = metric(
        {
          hook: alertChannelSchema.parse({ type: 'webhook', url: s.url }),
          ghost: alertChannelSchema.parse({ type: 'slack', webhook_url: 'http://127.0.0.1:9/x' }),
        },
        { channels: ['hook', 'nope'], consecutive_anomalies: 2, direction: 'up' }
      );
      const end = lastCompletePoint(Date.now(), I);
      await writeDetections(t.store, end, [false, true, true]);
      const deps = { store: t.store, logger: silentLogger, now: () => evalAt(end), delivery: fast };
      const out1 = lines();
      expect(await runAlertStep({ ...deps, reporter: out1 }, m)).toEqual({ evaluated: true, sent: 0 });
      expect(out1.all.join('\n')).toContain("✗ nope: channel 'nope' is not defined in profiles.yml alert_channels");
      expect(out1.all.join('\n')).toMatch(/✗ hook \(webhook\) firing: webhook channel 'hook': .* answered HTTP 500/);
      let [ev] = await t.store.alerts.events({ metricName: 'cpu_usage' });
      expect(ev?.channels.hook).toMatchObject({ status: 'failed', attempts: 3 });
      expect(ev?.channels.nope).toMatchObject({ status: 'failed', permanent: true });

      const out2 = lines();
      expect(await runAlertStep({ ...deps, reporter: out2 }, m)).toEqual({ evaluated: true, sent: 1 });
      [ev] = await t.store.alerts.events({ metricName: 'cpu_usage' });
      expect(ev?.channels.hook).toMatchObject({ status: 'sent', attempts: 4 });
      expect(s.got).toHaveLength(4);
      // A retried run of the same point: nothing new to decide, nothing owed.
      expect(await runAlertStep({ ...deps, reporter: lines() }, m)).toEqual({ evaluated: true, sent: 0 });
      expect(s.got).toHaveLength(4);
      expect(await t.store.alerts.events({ metricName: 'cpu_usage' })).toHaveLength(1);
      expect(await t.store.alerts.currentState('cpu_usage')).toMatchObject({ state: 'firing', lastFiringAt: end });
    } finally {
      await s.close();
      await t.close();
    }
  });

  const amIt = fs.existsSync(AM_BIN) ? it : it.skip;
  amIt('real Alertmanager: one notification for a lasting anomaly, cooldown, then resolved', async () => {
    const t = await openTestStore('am');
    const hook = await sink();
    const port = await freePort();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dtk-am-'));
    fs.writeFileSync(
      path.join(dir, 'am.yml'),
      `route: {receiver: sink, group_by: [alertname, metric], group_wait: 1s, group_interval: 1s, repeat_interval: 1h}
receivers:
  - name: sink
    webhook_configs: [{url: '${hook.url}', send_resolved: true}]
`
    );
    const am: ChildProcess = spawn(
      AM_BIN,
      [
        `--config.file=${path.join(dir, 'am.yml')}`,
        `--storage.path=${path.join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--cluster.listen-address=',
      ],
      { stdio: 'ignore' }
    );
    const waitFor = async (ok: () => boolean | Promise<boolean>, what: string) => {
      for (let i = 0; i < 100; i++) {
        if (await ok()) {
          return;
        }
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error(`timed out waiting for ${what}`);
    };
    try {
      await waitFor(
        () =>
          fetch(`http://127.0.0.1:${port}/-/ready`).then(
            (r) => r.ok,
            () => false
          ),
        'alertmanager to start'
      );
      const m = metric(
        {
          am: alertChannelSchema.parse({
            type: 'alertmanager',
            url: `http://127.0.0.1:${port}`,
            labels: { team: 'ops' },
          }),
        },
        { channels: ['am'], consecutive_anomalies: 2, direction: 'up', alert_cooldown: '1h' }
      );
      const end = lastCompletePoint(Date.now(), I);
      // Anomalous from end-3I to end-I, normal at end.
      await writeDetections(t.store, end, [false, true, true, true, false]);
      const run = (lcp: number) =>
        runAlertStep(
          { store: t.store, logger: silentLogger, now: () => evalAt(lcp), reporter: lines(), delivery: fast },
          m
        );
      expect(await run(end - 2 * I * 1000)).toEqual({ evaluated: true, sent: 1 }); // 2 consecutive → fires
      await waitFor(() => hook.got.length >= 1, 'the firing notification');
      expect(await run(end - I * 1000)).toEqual({ evaluated: true, sent: 0 }); // still firing: cooldown, re-sent to AM only
      await new Promise((r) => setTimeout(r, 2500)); // > group_interval: a repeat would have arrived
      expect(hook.got).toHaveLength(1);
      const firing = hook.got[0] as { status: string; alerts: Array<{ labels: Record<string, string> }> };
      expect(firing.status).toBe('firing');
      expect(firing.alerts[0]?.labels).toMatchObject({
        alertname: 'DetectkitAnomaly',
        metric: 'cpu_usage',
        detector: 'MADDetector',
        direction: 'up',
        severity: 'warning',
        team: 'ops',
      });
      expect(await run(end)).toEqual({ evaluated: true, sent: 1 }); // recovered → resolve
      await waitFor(() => hook.got.length >= 2, 'the resolved notification');
      expect((hook.got[1] as { status: string }).status).toBe('resolved');
      const events = await t.store.alerts.events({ metricName: 'cpu_usage' });
      expect(events.map((e) => e.eventType)).toEqual(['resolved', 'firing']);
    } finally {
      am.kill('SIGTERM');
      await hook.close();
      await t.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
