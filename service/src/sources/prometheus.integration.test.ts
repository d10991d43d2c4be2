import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { freePort, sleep, waitFor } from '../../test/net';
import { writeProject } from '../../test/project';

/**
 * The real thing: Debian's prometheus-node-exporter scraped every second by Prometheus, `dtk run` over a PromQL
 * fan-out metric and scrape metrics against a local exposition server; stored datapoints must equal Prometheus's own
 * query_range answers on the same grid.
 */

const REPO = path.resolve(__dirname, '../../..');
const PROMETHEUS = '/usr/bin/prometheus';
const NODE_EXPORTER = '/usr/bin/prometheus-node-exporter';
const HAVE_BINARIES = fs.existsSync(PROMETHEUS) && fs.existsSync(NODE_EXPORTER);
if (!HAVE_BINARIES) {
  console.warn(
    `Skipping the Prometheus integration tests: ${PROMETHEUS} or ${NODE_EXPORTER} is missing (apt-get install prometheus prometheus-node-exporter)`
  );
}
const describeIf = HAVE_BINARIES ? describe : describe.skip;

function dtk(root: string, ...args: string[]) {
  return spawnSync(process.execPath, [path.join(REPO, 'bin/dtk.js'), ...args, '--project', root], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
}

/** Asynchronous, so the exposition server in this process keeps answering while dtk scrapes it. */
function dtkAsync(root: string, ...args: string[]): Promise<{ status: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [path.join(REPO, 'bin/dtk.js'), ...args, '--project', root], {
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stdout = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.on('close', (status) => resolve({ status, stdout }));
  });
}

const fmt = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

describeIf('Prometheus and scrape sources against real servers', () => {
  const procs: ChildProcess[] = [];
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dtk-prom-'));
  let promUrl = '';
  let expo: http.Server;
  let expoUrl = '';

  beforeAll(async () => {
    const nodePort = await freePort();
    const promPort = await freePort();
    let nodeLog = '';
    let promLog = '';
    const node = spawn(NODE_EXPORTER, [`--web.listen-address=127.0.0.1:${nodePort}`], { stdio: 'pipe' });
    node.stderr?.on('data', (d: Buffer) => (nodeLog = (nodeLog + d.toString()).slice(-2000)));
    procs.push(node);
    fs.writeFileSync(
      path.join(tmp, 'prometheus.yml'),
      `global: {scrape_interval: 1s, evaluation_interval: 1s}\nscrape_configs:\n  - job_name: node\n    static_configs:\n      - targets: ['127.0.0.1:${nodePort}']\n`
    );
    const prom = spawn(
      PROMETHEUS,
      [
        `--config.file=${path.join(tmp, 'prometheus.yml')}`,
        `--storage.tsdb.path=${path.join(tmp, 'data')}`,
        `--web.listen-address=127.0.0.1:${promPort}`,
      ],
      { stdio: 'pipe' }
    );
    prom.stderr?.on('data', (d: Buffer) => (promLog = (promLog + d.toString()).slice(-2000)));
    procs.push(prom);
    promUrl = `http://127.0.0.1:${promPort}`;
    await waitFor(`http://127.0.0.1:${nodePort}/metrics`, 'node exporter', node, () => nodeLog);
    await waitFor(`${promUrl}/-/ready`, 'Prometheus', prom, () => promLog);

    expo = http.createServer((req, res) => {
      switch (req.url) {
        case '/metrics':
          res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
          res.end('# HELP jobs Jobs.\n# TYPE jobs gauge\njobs{queue="a b\\"c"} 42\njobs{queue="x"} NaN\n');
          return;
        case '/html':
          res.writeHead(200, { 'Content-Type': 'text/html' });
          res.end('<!DOCTYPE html><html><body>Sign in</body></html>');
          return;
        case '/garbage':
          res.writeHead(200, { 'Content-Type': 'text/plain' });
          res.end('jobs{queue="a" 42\n');
          return;
        case '/slow':
          return; // never answers: the metric's timeout fires
        default:
          res.writeHead(404);
          res.end('404 page not found\n');
      }
    });
    await new Promise<void>((r) => expo.listen(0, '127.0.0.1', r));
    expoUrl = `http://127.0.0.1:${(expo.address() as AddressInfo).port}`;
    // Collect: rate(...[1m]) needs a few samples, and the comparison wants a decent grid.
    await sleep(20_000);
  }, 60_000);

  afterAll(async () => {
    for (const p of procs) {
      p.kill('SIGKILL');
    }
    if (expo) {
      expo.closeAllConnections();
      await new Promise((r) => expo.close(r));
    }
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('fan-out PromQL metric equals query_range; scrapes store their value; failing scrapes fail only their metric', async () => {
    const QUERY = 'sum by (cpu) (rate(node_cpu_seconds_total{mode="idle"}[1m]))';
    const scrape = (name: string, url: string, extra = '') =>
      `name: ${name}\ninterval: 1s\ntags: [scrape]\nsource:\n  type: scrape\n  url: ${url}\n  sample: jobs\n${extra}`;
    const root = writeProject({
      'profiles.yml': 'default_profile: local\nprofiles:\n  local: {type: embedded, path: .dtk/data}\n',
      'metrics/cpu_idle.yml': `name: cpu_idle\ninterval: 1s\ntags: [prom]\nsource:\n  type: prometheus\n  url: ${promUrl}\n  query: '${QUERY}'\ndetectors:\n  - type: zscore\n    params: {window_size: 5, min_samples: 3}\n`,
      'metrics/jobs.yml': scrape('jobs', `${expoUrl}/metrics`, '  labels: {queue: "a b\\"c"}\n'),
      'metrics/jobs_404.yml': scrape('jobs_404', `${expoUrl}/missing`),
      'metrics/jobs_html.yml': scrape('jobs_html', `${expoUrl}/html`),
      'metrics/jobs_garbage.yml': scrape('jobs_garbage', `${expoUrl}/garbage`),
      'metrics/jobs_slow.yml': scrape('jobs_slow', `${expoUrl}/slow`, '  timeout: 1s\n'),
    });

    // A past, whole-second window: every sample it needs is already in Prometheus, so the answers cannot move.
    const to = Math.floor(Date.now() / 1000) * 1000 - 3000;
    const from = to - 15_000;
    const run1 = dtk(root, 'run', '-s', 'tag:prom', '--from', fmt(from), '--to', fmt(to));
    // The whole output in the failure message, when it fails.
    expect(run1.status === 0 && run1.stderr === '' ? 'ok' : run1.stdout + run1.stderr).toBe('ok');

    const body = new URLSearchParams({
      query: QUERY,
      start: String(from / 1000),
      end: String((to - 1000) / 1000),
      step: '1',
    });
    const answer = (await (await fetch(`${promUrl}/api/v1/query_range`, { method: 'POST', body })).json()) as {
      data: { result: Array<{ metric: Record<string, string>; values: Array<[number, string]> }> };
    };
    const series = answer.data.result;
    expect(series.length).toBeGreaterThan(0);
    expect(run1.stdout).toContain(`cpu_idle: ${series.length} series`);
    for (const s of series) {
      const name = `cpu_idle{cpu="${s.metric.cpu}"}`;
      const exported = dtk(root, 'export', name, '--format', 'json');
      expect(exported.status).toBe(0);
      const rows = JSON.parse(exported.stdout) as Array<{ timestamp: number | string; value: number | null }>;
      const stored = new Map(
        rows.map((r) => [typeof r.timestamp === 'number' ? r.timestamp : Date.parse(r.timestamp), r.value])
      );
      expect(s.values.length).toBeGreaterThan(5);
      for (const [t, v] of s.values) {
        expect([name, t, stored.get(t * 1000)]).toEqual([name, t, Number(v)]);
      }
    }

    // One series of the fan-out, selected by its labels: only that series runs.
    const one = dtk(root, 'run', '-s', `cpu_idle{cpu="${series[0]!.metric.cpu}"}`, '--to', fmt(to));
    expect(one.status).toBe(0);
    expect(one.stdout).toContain('Found 1 metric(s) to process');
    expect(one.stdout).toContain(`Processing metric: cpu_idle{cpu="${series[0]!.metric.cpu}"}`);
    expect(one.stdout.match(/Processing metric: /g)).toHaveLength(1);

    // Second run, same tick for everything: the PromQL metric resumes; the good scrape stores; four failures.
    const run2 = await dtkAsync(root, 'run', '-s', '*');
    expect(run2.status).toBe(1);
    expect(run2.stdout).toMatch(/Done: \d+ succeeded, 4 failed/);
    expect(run2.stdout).toMatch(/✗ jobs_404: metric 'jobs_404': scrape of .*\/missing failed: HTTP 404/);
    expect(run2.stdout).toMatch(/✗ jobs_html: .*returned an HTML page, not a metrics exposition/);
    expect(run2.stdout).toMatch(/✗ jobs_garbage: .*is not a valid Prometheus exposition \(line 1: expected , or \}/);
    expect(run2.stdout).toMatch(/✗ jobs_slow: .*did not answer within 1s/);
    expect(run2.stdout).not.toMatch(/✗ (jobs|cpu_idle\{[^}]*\}):/);
    const jobs = JSON.parse(dtk(root, 'export', 'jobs', '--format', 'json').stdout) as Array<{ value: number | null }>;
    expect(jobs.length).toBeGreaterThan(0);
    expect(jobs[jobs.length - 1]!.value).toBe(42);
  }, 60_000);
});
