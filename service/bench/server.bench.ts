import { spawn } from 'node:child_process';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { RunInfo } from '../../common/api/runs';
import { MetricCatalog } from '../src/catalog';
import { silentLogger } from '../src/logging/logger';
import { runMany, silentReporter, STEPS } from '../src/pipeline';
import { pipelineMetric } from '../src/pipeline/fromConfig';
import type { RunController } from '../src/serve/contracts';
import { buildServer, ServiceMetrics } from '../src/server';
import { Store } from '../src/storage';
import { writeProject } from '../test/project';
import { printTable } from './table';

/**
 * `GET /api/metrics/:name/series` over HTTP on 127.0.0.1: one week of 1-minute points (10,080) with 3 detectors,
 * 20 requests at a time from a client in another process, latency per request (p50/p99) for: the same series (a
 * dashboard's panels and refreshes), 20 different series, and both again with the read cache off (every request
 * reads the store; requests for the same range still share one read while it is in flight). Client times include
 * moving ~1.6 MB per answer over loopback into a client that shares the machine's cores; server times run from the
 * request's arrival to its last byte handed to the socket.
 */
const METRICS = 20;
const CONCURRENCY = 20;
const ROUNDS = 15;
const TOKEN = 'bench-token-0123456789abcdef';
const WEEK = 7 * 86_400_000;

const query =
  "SELECT toDateTime('{{ dtk_start_time }}', 'UTC') + number * 60 AS timestamp, " +
  '100 + 10 * sin(toUnixTimestamp(timestamp) / 13751) + if(intDiv(toUnixTimestamp(timestamp), 60) % 997 = 0, 80, 0) AS value ' +
  "FROM numbers(intDiv(dateDiff('second', toDateTime('{{ dtk_start_time }}', 'UTC'), toDateTime('{{ dtk_end_time }}', 'UTC')), 60))";

const metricFile = (name: string) =>
  [
    `name: ${name}`,
    'interval: 1min',
    `query: "${query}"`,
    'detectors:',
    '  - {type: mad, params: {window_size: 1440, min_samples: 100}}',
    '  - {type: zscore, params: {window_size: 720, threshold: 4.0}}',
    '  - {type: manual_bounds, params: {upper_bound: 150}}',
  ].join('\n');

/** No runs happen during the bench: the data version stays put, as between two scheduled runs. */
const idleRuns: RunController = {
  start: () => {
    throw new Error('no runs in the bench');
  },
  get: () => undefined,
  list: (): RunInfo[] => [],
  status: () => undefined,
  queueDepth: () => 0,
};

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

/**
 * The load generator runs in its own process (as Grafana would), and each request is timed from sending it to the
 * last byte of the answer: what the service costs. Parsing the answers is the client's work (20 × ~1.6 MB of JSON
 * takes one client core longer than the server needs to send them), so it is done once, to check them, in the
 * warm-up round.
 */
const CLIENT = `
const [urls, concurrency, rounds, token] = JSON.parse(process.argv[1]);
(async () => {
  const lat = [];
  let bad = null;
  const one = async (url, check) => {
    const t0 = performance.now();
    const headers = { authorization: 'Bearer ' + token, ...(check ? { 'x-bench-warmup': '1' } : {}) };
    const res = await fetch(url, { headers });
    const bytes = await res.arrayBuffer();
    const ms = performance.now() - t0;
    if (res.status !== 200) bad = 'HTTP ' + res.status + ' ' + Buffer.from(bytes).toString().slice(0, 300);
    if (check) {
      const body = JSON.parse(Buffer.from(bytes).toString());
      if (body.timestamps.length !== 10080 || body.detectors.length !== 3) bad = 'wrong answer for ' + url;
    }
    return ms;
  };
  const round = (check) => Promise.all(Array.from({ length: concurrency }, (_, i) => one(urls[i % urls.length], check)));
  await round(true); // warm-up (connections, caches), and every answer checked once
  for (let r = 0; r < rounds; r++) lat.push(...(await round(false)));
  process.stdout.write(JSON.stringify({ lat, bad }));
})();
`;

async function measure(urls: string[]): Promise<{ p50: number; p99: number; max: number }> {
  serverTimes.length = 0;
  const child = spawn(process.execPath, ['-e', CLIENT, JSON.stringify([urls, CONCURRENCY, ROUNDS, TOKEN])], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const r = JSON.parse(out || '{}') as { lat?: number[]; bad?: string | null };
  if (code !== 0 || !r.lat || r.bad) {
    throw new Error(`bench client failed (exit ${code}): ${r.bad ?? out.slice(0, 300)}`);
  }
  const lat = r.lat.sort((a, b) => a - b);
  return { p50: percentile(lat, 0.5), p99: percentile(lat, 0.99), max: lat[lat.length - 1]! };
}

/** Time from request to the last byte handed to the socket, as the server saw it (warm-up round excluded). */
const serverTimes: number[] = [];

export async function run(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dtk-bench-api-'));
  const files: Record<string, string> = {};
  for (let i = 0; i < METRICS; i++) {
    files[`metrics/m${i}.yml`] = metricFile(`m${i}`);
  }
  const root = writeProject(files);
  const store = await Store.open(
    { type: 'embedded', path: dir, internal_database: 'bench', data_database: 'default', settings: {} },
    { baseDir: root }
  );
  const catalog = await MetricCatalog.open({ root, store });
  const to = Math.floor(Date.now() / 86_400_000) * 86_400_000;
  const from = to - WEEK;
  const results = await runMany(
    { store, reporter: silentReporter, logger: silentLogger },
    catalog.list().map((e) => pipelineMetric(store, root, e.loaded!)),
    { steps: new Set(STEPS), from, to, fullRefresh: false, force: false },
    4
  );
  const failed = results.filter((r) => r.status !== 'success');
  if (failed.length) {
    throw new Error(`bench setup failed: ${failed[0]!.error}`);
  }
  const rows: Array<Array<string | number>> = [];
  try {
    for (const cacheMs of [15_000, 0]) {
      const app = buildServer({
        store,
        catalog,
        runs: idleRuns,
        logger: silentLogger,
        token: TOKEN,
        version: 'bench',
        metrics: new ServiceMetrics({ processMetrics: false }),
        limits: { seriesCacheMs: cacheMs },
      });
      app.addHook('onResponse', async (req, reply) => {
        if (!req.headers['x-bench-warmup']) {
          serverTimes.push(reply.elapsedTime);
        }
      });
      await app.listen({ host: '127.0.0.1', port: 0 });
      const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
      try {
        const range = `from=${from}&to=${to}`;
        const cache = cacheMs > 0 ? `cache ${cacheMs / 1000}s` : 'no cache';
        const same = [`${base}/api/metrics/m0/series?${range}`];
        const distinct = Array.from({ length: METRICS }, (_, i) => `${base}/api/metrics/m${i}/series?${range}`);
        for (const [label, urls] of [
          ['same series', same],
          [`${METRICS} series`, distinct],
        ] as const) {
          const m = await measure(urls);
          const server = [...serverTimes].sort((a, b) => a - b);
          rows.push([
            `${label}, ${cache}`,
            CONCURRENCY,
            m.p50.toFixed(1),
            m.p99.toFixed(1),
            m.max.toFixed(1),
            percentile(server, 0.5).toFixed(1),
            percentile(server, 0.99).toFixed(1),
          ]);
        }
      } finally {
        await app.close();
      }
    }
  } finally {
    await catalog.close();
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(root, { recursive: true, force: true });
  }
  printTable(
    `API series endpoint (1 week of 1-min points = 10,080, 3 detectors, ${ROUNDS} rounds, loopback HTTP, ${os.cpus().length} CPUs)`,
    ['requests', 'concurrent', 'client p50 ms', 'client p99 ms', 'client max ms', 'server p50 ms', 'server p99 ms'],
    rows
  );
}
