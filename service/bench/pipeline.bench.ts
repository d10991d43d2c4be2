import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadProject } from '../src/config';
import { silentLogger } from '../src/logging/logger';
import { runMany, runMetric, silentReporter, STEPS, type RunOptions } from '../src/pipeline';
import { pipelineMetric } from '../src/pipeline/fromConfig';
import { Store } from '../src/storage';
import { writeProject } from '../test/project';
import { printTable } from './table';

const ALL: RunOptions = { steps: new Set(STEPS), fullRefresh: false, force: false };
const START = Date.UTC(2025, 0, 1);

/** SQL generating one-minute (or `step`) points whose values depend only on the timestamp. */
const syntheticQuery = (salt: string) => `|
  SELECT ts AS timestamp,
         100 + 10 * sin(toUnixTimestamp(ts) / 3600.0) + (cityHash64(ts, '${salt}') % 1000) / 100.0 AS value
  FROM (SELECT toDateTime('{{ dtk_start_time }}', 'UTC') + number * {{ interval_seconds }} AS ts
        FROM numbers(intDiv(dateDiff('second', toDateTime('{{ dtk_start_time }}', 'UTC'), toDateTime('{{ dtk_end_time }}', 'UTC')), {{ interval_seconds }})))`;

/** `npm run bench -- pipeline`: end-to-end backfill and many-metric scheduling on the embedded store. */
export async function run(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dtk-bench-pipe-'));
  const store = await Store.open({
    type: 'embedded',
    path: dir,
    internal_database: 'bench',
    data_database: 'default',
    settings: {},
  });
  const rows: Array<Array<string | number>> = [];
  try {
    // 1. One metric, one year at one minute, MAD and Z-score.
    const year = 525_600;
    const root = writeProject({
      'metrics/year.yml': `name: year
interval: 1min
loading_start_time: "2025-01-01 00:00:00"
loading_batch_size: 100000
query: ${syntheticQuery('year')}
detectors:
  - type: mad
    params: {window_size: 1440, min_samples: 100}
  - type: zscore
    params: {window_size: 1440, min_samples: 100}
`,
    });
    const [m] = loadProject(root).metrics.map((x) => pipelineMetric(store, root, x));
    const now = START + year * 60_000;
    const t0 = performance.now();
    const r = await runMetric({ store, reporter: silentReporter, logger: silentLogger, now: () => now }, m!, {
      ...ALL,
      steps: new Set(['load']),
    });
    const t1 = performance.now();
    const d = await runMetric({ store, reporter: silentReporter, logger: silentLogger, now: () => now }, m!, {
      ...ALL,
      steps: new Set(['detect']),
    });
    const t2 = performance.now();
    rows.push([
      'backfill: load (SQL → grid → _dtk_datapoints)',
      r.datapointsLoaded,
      Math.round(t1 - t0),
      Math.round(r.datapointsLoaded / ((t1 - t0) / 1000)),
    ]);
    rows.push([
      'backfill: detect, MAD + Z-score (window 1,440)',
      d.detectors.reduce((a, x) => a + x.points, 0),
      Math.round(t2 - t1),
      Math.round(year / ((t2 - t1) / 1000)),
    ]);
    rows.push([
      'backfill: end to end (one year, 1-minute)',
      year,
      Math.round(t2 - t0),
      Math.round(year / ((t2 - t0) / 1000)),
    ]);

    // 2. 1,000 metrics at 1-minute, each with a day of history, then one new interval for all.
    const count = 1000;
    const files: Record<string, string> = {};
    for (let i = 0; i < count; i++) {
      files[`metrics/m${i}.yml`] = `name: m${i}
interval: 1min
loading_start_time: "2025-01-01 00:00:00"
query: ${syntheticQuery(`m${i}`)}
detectors:
  - type: mad
    params: {window_size: 60, min_samples: 30}
`;
    }
    const manyRoot = writeProject(files);
    const many = loadProject(manyRoot).metrics.map((x) => pipelineMetric(store, manyRoot, x));
    const history = START + 1440 * 60_000;
    await runMany({ store, reporter: silentReporter, logger: silentLogger, now: () => history }, many, ALL, 4);
    const t3 = performance.now();
    const res = await runMany(
      { store, reporter: silentReporter, logger: silentLogger, now: () => history + 60_000 },
      many,
      ALL,
      4
    );
    const t4 = performance.now();
    const ok = res.filter((x) => x.status === 'success' && x.datapointsLoaded === 1).length;
    rows.push([
      `${count} metrics × one new interval, in process (${ok} ok)`,
      count,
      Math.round(t4 - t3),
      Math.round(count / ((t4 - t3) / 1000)),
    ]);

    // 3. The same through the CLI, as cron would run it: its own process, project files, embedded store.
    fs.writeFileSync(
      path.join(manyRoot, 'profiles.yml'),
      'default_profile: local\nprofiles:\n  local: {type: embedded, path: .dtk/data}\n'
    );
    const cli = (to: string) =>
      spawnSync(
        process.execPath,
        [path.resolve(__dirname, '../../bin/dtk.js'), 'run', '-s', '*', '--project', manyRoot, '--to', to],
        {
          encoding: 'utf8',
        }
      );
    const first = cli('2025-01-02 00:00:00');
    if (first.status !== 0) {
      throw new Error(`dtk run failed: ${first.stdout.slice(-2000)}${first.stderr}`);
    }
    const t5 = performance.now();
    const second = cli('2025-01-02 00:01:00');
    const t6 = performance.now();
    const loaded = /(\d[\d,]*) datapoints loaded/.exec(second.stdout)?.[1] ?? '?';
    rows.push([
      `dtk run -s '*': ${count} metrics × one new interval (exit ${second.status}, ${loaded} points)`,
      count,
      Math.round(t6 - t5),
      Math.round(count / ((t6 - t5) / 1000)),
    ]);
    printTable('Pipeline, embedded engine', ['run', 'points / metrics', 'ms', 'per second'], rows);
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(manyRoot, { recursive: true, force: true });
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
