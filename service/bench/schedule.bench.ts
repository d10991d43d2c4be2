import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RunInfo } from '../../common/api/runs';
import { MetricCatalog } from '../src/catalog';
import { silentLogger } from '../src/logging/logger';
import { Scheduler } from '../src/scheduler';
import { setHttpConcurrency } from '../src/sources/http';
import { Store } from '../src/storage';
import { freePort, sleep } from '../test/net';
import { writeProject } from '../test/project';
import { printTable } from './table';

const METRICS = Number(process.env.DTK_BENCH_METRICS ?? 10_000);
/** Ticks measured after the first (catch-up) one. */
const TICKS = Number(process.env.DTK_BENCH_TICKS ?? 3);
const MINUTE = 60_000;

/** The exposition targets, in their own process so serving them does not take the scheduler's event loop. */
const TARGETS = `
const http = require('node:http');
http.createServer((req, res) => {
  const id = Number(/\\/t\\/(\\d+)/.exec(req.url || '')?.[1] || 0);
  const v = (id * 7 + Math.floor(Date.now() / 60000)) % 101;
  res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
  res.end('# TYPE queue_depth gauge\\nqueue_depth ' + v + '\\nprocess_open_fds 12\\n');
}).listen(Number(process.argv[1]), '127.0.0.1', () => process.stdout.write('up\\n'));
`;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! : NaN;
};

/**
 * `npm run bench -- schedule`: 10,000 scrape metrics at one minute (MAD + Z-score each) under `dtk serve`'s
 * scheduler on the embedded store, sustained for a few minutes; lag = when a tick's run finished minus the
 * interval boundary it serves (it includes the default 5 s delay and up to 10 s of jitter).
 */
export async function run(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dtk-bench-sched-'));
  const port = await freePort();
  const targets = spawn(process.execPath, ['-e', TARGETS, String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((r) => targets.stdout!.once('data', () => r()));
  setHttpConcurrency(64);
  const files: Record<string, string> = {};
  for (let i = 0; i < METRICS; i++) {
    files[`metrics/q${i}.yml`] = `name: q${i}
interval: 1min
source: {type: scrape, url: "http://127.0.0.1:${port}/t/${i}", sample: queue_depth}
detectors:
  - {type: mad, params: {window_size: 30, min_samples: 5}}
  - {type: zscore, params: {window_size: 30, min_samples: 5}}
`;
  }
  const root = writeProject(files);
  const store = await Store.open({
    type: 'embedded',
    path: path.join(dir, 'store'),
    internal_database: 'bench',
    data_database: 'default',
    settings: {},
  });
  const finished: RunInfo[] = [];
  try {
    const t0 = performance.now();
    const catalog = await MetricCatalog.open({ root, store, logger: silentLogger });
    const loadMs = performance.now() - t0;
    const scheduler = new Scheduler({
      store,
      catalog,
      root,
      logger: silentLogger,
      hooks: { runFinished: (i) => finished.push(i) },
    });
    const started = Date.now();
    scheduler.startSchedule();
    // The first run of every metric starts at once; then TICKS whole minutes on the grid (+ delay and jitter).
    const firstTick = Math.floor(started / MINUTE) * MINUTE + MINUTE;
    const end = firstTick + (TICKS - 1) * MINUTE + 30_000;
    let maxQueue = 0;
    while (Date.now() < end) {
      maxQueue = Math.max(maxQueue, scheduler.queueDepth());
      await sleep(250);
    }
    await scheduler.stop();
    await catalog.close();
    const measured = finished.filter(
      (r) => r.kind === 'scheduled' && r.tick !== null && r.tick >= firstTick && r.tick < firstTick + TICKS * MINUTE
    );
    const ok = measured.filter((r) => r.status === 'success');
    const lags = ok.map((r) => (r.finishedAt! - r.tick!) / 1000);
    const first = finished.filter((r) => r.tick !== null && r.tick < firstTick);
    const firstDone = Math.max(...first.map((r) => r.finishedAt ?? 0)) - started;
    const counts = await store.tableCounts();
    printTable(
      `Scheduler: ${METRICS.toLocaleString('en-US')} scrape metrics at 1 min, MAD + Z-score, ${TICKS} ticks (2 cores; embedded store)`,
      ['measure', 'value'],
      [
        ['catalog load (ms)', Math.round(loadMs)],
        ['first run of every metric, done after (ms)', Math.round(firstDone)],
        ['scheduled runs measured', measured.length],
        [
          '… succeeded / failed / skipped',
          `${ok.length} / ${measured.filter((r) => r.status === 'failed').length} / ${measured.filter((r) => r.status === 'skipped').length}`,
        ],
        ['lag p50 (s)', pct(lags, 50)],
        ['lag p99 (s)', pct(lags, 99)],
        ['lag max (s)', pct(lags, 100)],
        ['most runs queued at once', maxQueue],
        ['datapoints / detections stored', `${counts._dtk_datapoints ?? 0} / ${counts._dtk_detections ?? 0}`],
      ]
    );
    const failures = measured.filter((r) => r.status === 'failed').slice(0, 3);
    for (const f of failures) {
      process.stdout.write(`failed: ${f.metric}: ${f.error}\n`);
    }
  } finally {
    targets.kill();
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(root, { recursive: true, force: true });
  }
}
