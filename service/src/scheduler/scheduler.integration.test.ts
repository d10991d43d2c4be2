import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { MetricCatalog } from '../catalog';
import { silentLogger } from '../logging/logger';
import type { Store } from '../storage';
import { openTestStore } from '../../test/embedded';
import { sleep } from '../../test/net';
import { writeProject } from '../../test/project';
import { Scheduler } from './scheduler';
import { parseShard } from './timing';

const fmt = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

/** A SQL metric with one point per `interval` seconds whose value depends only on the time. */
const sqlMetric = (name: string, startMs: number, interval = 1) => `name: ${name}
interval: ${interval}s
loading_start_time: "${fmt(startMs)}"
query: |
  SELECT toDateTime('{{ dtk_start_time }}', 'UTC') + number * {{ interval_seconds }} AS timestamp,
         toFloat64(toUnixTimestamp(timestamp) % 7) AS value
  FROM numbers(intDiv(dateDiff('second', toDateTime('{{ dtk_start_time }}', 'UTC'), toDateTime('{{ dtk_end_time }}', 'UTC')), {{ interval_seconds }}))
detectors:
  - type: mad
    params: {window_size: 10, min_samples: 5}
`;

const NO_WAIT = { delayMs: 0, jitterMs: 0 };

describe('Scheduler on the embedded store', () => {
  let store: Store;
  let close: () => Promise<void>;
  beforeEach(async () => {
    ({ store, close } = await openTestStore('sch'));
  });
  afterEach(() => close());

  const open = async (files: Record<string, string>) => {
    const root = writeProject(files);
    return { root, catalog: await MetricCatalog.open({ root, store, logger: silentLogger }) };
  };

  test('runs every metric on its grid and keeps its datapoints contiguous; an invalid file stops only itself', async () => {
    const start = Math.floor(Date.now() / 2000) * 2000 - 20_000;
    const { root, catalog } = await open({
      'metrics/a.yml': sqlMetric('a', start),
      'metrics/b.yml': sqlMetric('b', start, 2),
      'metrics/broken.yml': 'name: broken\ninterval: 1s\nquery: SELECT 1\ndetectors: [{type: nope}]\n',
    });
    const finished: string[] = [];
    const s = new Scheduler({
      store,
      catalog,
      root,
      logger: silentLogger,
      timing: NO_WAIT,
      hooks: { runFinished: (i) => finished.push(`${i.metric}:${i.status}`) },
    });
    s.startSchedule();
    await sleep(4_500);
    await s.stop();
    await catalog.close();
    const runs = s.list({ metric: 'a' });
    expect(runs.filter((r) => r.status === 'success').length).toBeGreaterThanOrEqual(3);
    expect(runs.every((r) => r.kind === 'scheduled')).toBe(true);
    expect(s.list({ metric: 'broken' })).toEqual([]);
    expect(finished).toContain('b:success');
    for (const [name, step] of [
      ['a', 1000],
      ['b', 2000],
    ] as const) {
      const series = await store.readSeries(name);
      const ts = Array.from(series.timestamps);
      expect(ts[0]).toBe(start);
      ts.forEach((t, i) => expect(t).toBe(start + i * step));
      // Up to the last complete interval before the scheduler stopped (a run every interval).
      expect(ts[ts.length - 1]).toBeGreaterThanOrEqual(Math.floor(Date.now() / step) * step - 3 * step);
      const det = await store.readDetections(name);
      expect(det.length).toBe(ts.length);
    }
    const status = s.status('a');
    expect(status?.lastRun?.status).toBe('success');
    expect(status?.lagSeconds).toBeGreaterThanOrEqual(0);
    expect(status?.lagSeconds).toBeLessThan(5);
  });

  test('two shards run disjoint sets of metrics whose union is every metric', async () => {
    const start = Math.floor(Date.now() / 1000) * 1000 - 5_000;
    const files: Record<string, string> = {};
    const names = Array.from({ length: 16 }, (_, i) => `m${i}`);
    names.forEach((n) => (files[`metrics/${n}.yml`] = sqlMetric(n, start, 5)));
    const { root, catalog } = await open(files);
    const shards = ['1/2', '2/2'].map(
      (sh) => new Scheduler({ store, catalog, root, logger: silentLogger, timing: NO_WAIT, shard: parseShard(sh) })
    );
    shards.forEach((s) => s.startSchedule());
    await sleep(2_500);
    await Promise.all(shards.map((s) => s.stop()));
    await catalog.close();
    const ran = shards.map((s) => new Set(s.list({ limit: 1000 }).map((r) => r.metric)));
    expect(ran[0]!.size).toBeGreaterThan(0);
    expect(ran[1]!.size).toBeGreaterThan(0);
    expect([...ran[0]!].filter((m) => ran[1]!.has(m))).toEqual([]);
    expect([...ran[0]!, ...ran[1]!].sort()).toEqual([...names].sort());
    expect(shards[0]!.status('m0')?.owned).not.toBe(shards[1]!.status('m0')?.owned);
  });

  test('a tick that finds the previous run still going is skipped and recorded; manual runs conflict too', async () => {
    let slow = true;
    const server = http.createServer((_req, res) => {
      const answer = () => {
        res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
        res.end('queue_depth 3\n');
      };
      if (slow) {
        setTimeout(answer, 2_500);
      } else {
        answer();
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const { root, catalog } = await open({
      'metrics/q.yml': `name: q\ninterval: 1s\nsource: {type: scrape, url: "http://127.0.0.1:${port}/metrics", sample: queue_depth}\n`,
    });
    const s = new Scheduler({ store, catalog, root, logger: silentLogger, timing: NO_WAIT });
    try {
      s.startSchedule();
      await sleep(1_500);
      expect(() => s.start('q', { fullRefresh: false })).toThrow(/already has a running scheduled run/);
      expect(() => s.start('nope', { fullRefresh: false })).toThrow(/No metric named 'nope'/);
      await sleep(1_500);
      slow = false;
      await sleep(2_000);
    } finally {
      await s.stop();
      await catalog.close();
      server.close();
    }
    const runs = s.list({ metric: 'q' });
    const skipped = runs.filter((r) => r.status === 'skipped');
    expect(skipped.length).toBeGreaterThanOrEqual(1);
    expect(skipped[0]!.error).toMatch(/previous scheduled run .* was still running/);
    expect(runs.some((r) => r.status === 'success')).toBe(true);
    const rows = await store.userQuery(
      `SELECT count() AS n FROM ${store.table('_dtk_tasks')} WHERE metric_name = 'q' AND status = 'skipped'`
    );
    expect(Number(rows.rows[0]![0])).toBe(skipped.length);
  });

  test('a backfill can be started by hand, reports progress and stops at a batch boundary on stop', async () => {
    const start = Date.UTC(2025, 0, 1);
    const { root, catalog } = await open({
      'metrics/big.yml': sqlMetric('big', start, 60).replace(
        'interval: 60s',
        'interval: 60s\nloading_batch_size: 2000'
      ),
    });
    const s = new Scheduler({ store, catalog, root, logger: silentLogger, timing: NO_WAIT });
    // Not scheduled: a manual backfill of 200,000 minutes only.
    const run = s.start('big', { from: start, to: start + 200_000 * 60_000, fullRefresh: false });
    expect(run.kind).toBe('backfill');
    let seen = s.get(run.id)!;
    for (let i = 0; i < 200 && !(seen.progress.step === 'load' && seen.progress.done > 10_000); i++) {
      await sleep(50);
      seen = s.get(run.id)!;
    }
    expect(seen.status).toBe('running');
    expect(seen.progress.total).toBe(200_000);
    await s.stop(0);
    await catalog.close();
    const done = s.get(run.id)!;
    expect(done.status).toBe('cancelled');
    expect(await store.locks.holder({ metricName: 'big' })).toBeNull();
    const stored = await store.readSeries('big');
    expect(stored.timestamps.length).toBeGreaterThan(0);
    expect(stored.timestamps.length).toBeLessThan(200_000);
    expect(stored.timestamps[stored.timestamps.length - 1]).toBe(start + (stored.timestamps.length - 1) * 60_000);
  });
});
