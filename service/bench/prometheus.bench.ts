import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { loadProject } from '../src/config';
import { silentLogger } from '../src/logging/logger';
import { runMany, silentReporter, STEPS, type PipelineMetric, type RunOptions } from '../src/pipeline';
import { expandMetric, runContext } from '../src/pipeline/fromConfig';
import { Store } from '../src/storage';
import { freePort, waitFor } from '../test/net';
import { writeProject } from '../test/project';
import { printTable } from './table';

const ALL: RunOptions = { steps: new Set(STEPS), fullRefresh: false, force: false };
const PROMETHEUS = '/usr/bin/prometheus';
const PROMTOOL = '/usr/bin/promtool';
/** `dtk run`'s default --threads. */
const THREADS = 32;

/**
 * `npm run bench -- prometheus`: a scrape tick over 1,000 local targets, and a PromQL fan-out of 100 series ×
 * one week at one minute (load + detect) against a real Prometheus whose TSDB is backfilled with promtool.
 */
export async function run(): Promise<void> {
  const rows: Array<Array<string | number>> = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dtk-bench-prom-'));
  const store = await Store.open({
    type: 'embedded',
    path: path.join(dir, 'store'),
    internal_database: 'bench',
    data_database: 'default',
    settings: {},
  });
  const procs: ChildProcess[] = [];
  let server: http.Server | undefined;
  try {
    // 1. Scrape tick: 1,000 targets on a local exposition server.
    server = http.createServer((req, res) => {
      const id = Number(/\/t\/(\d+)/.exec(req.url ?? '')?.[1] ?? 0);
      res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
      res.end(
        `# HELP queue_depth Jobs waiting.\n# TYPE queue_depth gauge\nqueue_depth{target="${id}"} ${(id * 7) % 101}\nprocess_open_fds 12\n`
      );
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const files: Record<string, string> = {};
    for (let i = 0; i < 1000; i++) {
      files[`metrics/t${i}.yml`] =
        `name: t${i}\ninterval: 1min\nsource: {type: scrape, url: "http://127.0.0.1:${port}/t/${i}", sample: queue_depth}\n`;
    }
    const scrapeRoot = writeProject(files);
    const scrapeProject = loadProject(scrapeRoot);
    const ctx = runContext();
    const scrapeMetrics = (
      await Promise.all(scrapeProject.metrics.map((m) => expandMetric(store, scrapeRoot, m, ctx)))
    ).flat();
    const t0 = performance.now();
    const scraped = await runMany(
      { store, reporter: silentReporter, logger: silentLogger },
      scrapeMetrics,
      { ...ALL, steps: new Set(['load']) },
      THREADS
    );
    const t1 = performance.now();
    // A tick that crosses a minute boundary also stores the interval it started in: one or two points.
    const ok = scraped.filter((r) => r.status === 'success' && r.datapointsLoaded >= 1).length;
    rows.push([`scrape tick: 1,000 local targets (${ok} stored a point)`, 1000, Math.round(t1 - t0)]);

    // 2. Fan-out: 100 series × one week at one minute, from a real Prometheus.
    if (!fs.existsSync(PROMETHEUS) || !fs.existsSync(PROMTOOL)) {
      rows.push(['fan-out: skipped (apt-get install prometheus)', 0, 0]);
    } else {
      const minute = 60_000;
      const end = Math.floor(Date.now() / minute) * minute - 3 * 3_600_000;
      const start = end - 7 * 24 * 60 * minute;
      const om: string[] = ['# TYPE bench_requests gauge'];
      for (let s = 0; s < 100; s++) {
        for (let t = start; t < end; t += minute) {
          const v = 100 + 20 * Math.sin((2 * Math.PI * (t % 86_400_000)) / 86_400_000) + ((t / minute + s * 13) % 17);
          om.push(`bench_requests{series="s${String(s).padStart(3, '0')}"} ${v} ${t / 1000}`);
        }
      }
      om.push('# EOF');
      const omFile = path.join(dir, 'bench.om');
      fs.writeFileSync(omFile, `${om.join('\n')}\n`);
      const tsdb = path.join(dir, 'tsdb');
      const made = spawnSync(PROMTOOL, ['tsdb', 'create-blocks-from', 'openmetrics', omFile, tsdb], {
        encoding: 'utf8',
      });
      if (made.status !== 0) {
        throw new Error(`promtool failed: ${made.stderr}`);
      }
      const promPort = await freePort();
      const cfg = path.join(dir, 'prometheus.yml');
      fs.writeFileSync(cfg, 'global:\n  scrape_interval: 1m\nscrape_configs: []\n');
      let log = '';
      const prom = spawn(PROMETHEUS, [
        `--config.file=${cfg}`,
        `--storage.tsdb.path=${tsdb}`,
        '--storage.tsdb.retention.time=30d',
        `--web.listen-address=127.0.0.1:${promPort}`,
      ]);
      prom.stderr.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
      procs.push(prom);
      await waitFor(`http://127.0.0.1:${promPort}/-/ready`, 'prometheus', prom, () => log);
      const fmt = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
      const fanRoot = writeProject({
        'metrics/requests.yml': `name: requests
interval: 1min
loading_start_time: "${fmt(start)}"
loading_batch_size: 10080
source: {type: prometheus, url: "http://127.0.0.1:${promPort}", query: bench_requests, max_series: 200}
detectors:
  - type: mad
    params: {window_size: 1440, min_samples: 100}
`,
      });
      const fanCtx = runContext({ to: end });
      const [def] = loadProject(fanRoot).metrics;
      const t2 = performance.now();
      const series: PipelineMetric[] = await expandMetric(store, fanRoot, def!, fanCtx);
      const res = await runMany(
        { store, reporter: silentReporter, logger: silentLogger, now: () => end },
        series,
        { ...ALL, to: end },
        THREADS
      );
      const t3 = performance.now();
      const points = res.reduce((a, r) => a + r.datapointsLoaded, 0);
      const failed = res.filter((r) => r.status !== 'success').length;
      rows.push([
        `fan-out: ${series.length} series × 1 week at 1 min, load + detect (${failed} failed)`,
        points,
        Math.round(t3 - t2),
      ]);
    }
    printTable('Prometheus sources (2 cores; embedded store)', ['run', 'points', 'ms'], rows);
  } finally {
    server?.close();
    for (const p of procs) {
      p.kill('SIGTERM');
    }
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
