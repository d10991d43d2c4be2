import { createDetector, parseSeriesCsv } from '../src/detectors';
import { runDetect } from '../src/cli/detectCommand';
import { clearForecastCache } from '../src/detectors/forecast/forecastDetector';
import { Clock, trainingWindow } from '../src/detectors/forecast/grid';
import { fitForecast } from '../src/detectors/forecast/models';
import { synthetic } from '../src/detectors/forecast/synthetic';
import { mstlParamsSchema, etsParamsSchema, prophetParamsSchema, type ForecastParams } from '../../common/detectors';
import { bestOf, printTable } from './table';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Detector throughput (issue #3 targets, one core: Z-score ≥ 5M points/s; MAD and IQR ≥ 500k points/s at
 * window 8,640). Series: a daily cycle of 8,640 points, noise, level shifts, 1% missing — realistic for the
 * sorted-window engine, whose cost depends on how far values move in rank.
 */

const WINDOWS = [100, 1000, 8640];
const LENGTHS = [10_000, 100_000, 1_000_000];

function makeSeries(n: number): { timestamps: Float64Array; values: Float64Array } {
  let seed = 42;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  const values = new Float64Array(n);
  const timestamps = new Float64Array(n);
  let level = 100;
  for (let i = 0; i < n; i++) {
    if (rnd() < 0.0005) {
      level += (rnd() - 0.5) * 50;
    }
    values[i] = rnd() < 0.01 ? NaN : level + 20 * Math.sin((2 * Math.PI * i) / 8640) + (rnd() - 0.5) * 10;
    timestamps[i] = Date.UTC(2024, 0, 1) + i * 10_000;
  }
  return { timestamps, values };
}

/** CPU milliseconds of one call (the benchmark machine may be shared: wall time alone overstates). */
async function cpuMs(fn: () => unknown | Promise<unknown>): Promise<number> {
  const before = process.cpuUsage();
  await fn();
  const d = process.cpuUsage(before);
  return (d.user + d.system) / 1000;
}

/**
 * Forecast and custom detectors (issue #9 target: MSTL fit + predict on 30 days of 5-minute points, 8,640, for
 * one metric ≤ 200 ms). "fit + predict" is one model fit through augurs and the 288-point forecast of a block;
 * "detect" is the detector end to end: the judged day's fit plus the three blocks that calibrate its band
 * (a cold start), then the same call again (the fits come from the cache, as in a scheduled run).
 */
async function forecastBench(): Promise<void> {
  const I = 300_000;
  const start = Date.UTC(2024, 2, 10);
  // Daily cycle on UTC time, and the same on Berlin time (a DST change inside the 30 days) for the timezone row.
  const utc = synthetic({ start, intervalMs: I, points: 8640 + 4 * 288, seed: 1 });
  const berlin = synthetic({ start, intervalMs: I, points: 8640 + 4 * 288, seed: 1, timeZone: 'Europe/Berlin' });
  const s = utc;
  const anchor = start + 8640 * I;
  const block = Float64Array.from({ length: 288 }, (_, h) => anchor + h * I);
  const rows: Array<Array<string | number>> = [];
  const fitRow = async (
    label: string,
    kind: 'mstl' | 'ets' | 'prophet',
    params: Record<string, unknown>,
    window: number,
    series = utc
  ) => {
    const schema = kind === 'mstl' ? mstlParamsSchema : kind === 'ets' ? etsParamsSchema : prophetParamsSchema;
    const p: ForecastParams = schema.parse({ window_size: window, ...params });
    const clock = new Clock(I, p.timezone ?? null);
    const train = trainingWindow(series.timestamps, series.values, anchor, clock, window);
    const fit = () => fitForecast(kind, p, train, block, clock);
    fit(); // compile and tier up the WebAssembly before timing
    const wall = await bestOf(fit, { runs: 3 });
    const cpu = Math.min(await cpuMs(fit), await cpuMs(fit));
    rows.push([label, window, Math.round(wall), Math.round(cpu)]);
  };
  await fitRow('mstl, periods [288, 2016]', 'mstl', { periods: [288, 2016] }, 8640);
  await fitRow('mstl, periods detected', 'mstl', {}, 8640);
  await fitRow(
    'mstl, periods [288, 2016], Berlin-time data, timezone Europe/Berlin',
    'mstl',
    { periods: [288, 2016], timezone: 'Europe/Berlin' },
    8640,
    berlin
  );
  await fitRow(
    'mstl, periods [288, 2016], Berlin-time data, UTC model',
    'mstl',
    { periods: [288, 2016] },
    8640,
    berlin
  );
  await fitRow('mstl, periods [288, 2016] (default window)', 'mstl', { periods: [288, 2016] }, 4032);
  await fitRow('ets (default window)', 'ets', {}, 1000);
  await createDetector('prophet', {}).run({ timestamps: new Float64Array(0), values: new Float64Array(0) });
  await fitRow('prophet (default window)', 'prophet', {}, 4320);
  printTable(
    'forecast models: one fit + 288-point forecast (best of 3 after a warm-up)',
    ['model', 'history points', 'wall ms', 'cpu ms'],
    rows
  );

  const d = createDetector('mstl', { window_size: 8640, refit_every: 288, periods: [288, 2016] });
  const input = { ...s, intervalMs: I, evaluateFrom: anchor };
  clearForecastCache();
  const cold = await bestOf(() => d.detect(input), { runs: 1 });
  const warm = await bestOf(() => d.detect(input), { runs: 3 });
  printTable(
    'mstl detector, window 8,640, one judged day (288 points)',
    ['case', 'ms'],
    [
      ['cold: 4 fits (the day + 3 calibration blocks)', Math.round(cold)],
      ['warm: fits cached (a scheduled run inside the same day)', Math.round(warm)],
    ]
  );

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dtk-bench-custom-'));
  try {
    fs.copyFileSync(
      path.resolve(__dirname, '../../provisioning/detectkit/detectors/hourly_profile.mjs'),
      path.join(dir, 'm.mjs')
    );
    const custom = createDetector('custom', { module: 'm.mjs' }, { root: dir });
    const rowsC: Array<Array<string | number>> = [];
    for (const n of [288, 8640, 100_000]) {
      const inp = {
        timestamps: Float64Array.from({ length: n }, (_, i) => start + i * I),
        values: Float64Array.from({ length: n }, (_, i) => 100 + (i % 288)),
      };
      const ms = await bestOf(() => custom.run(inp), { runs: 3 });
      rowsC.push([n, Math.round(ms), Math.round(n / (ms / 1000))]);
    }
    printTable(
      'custom detector (example module, fresh worker thread per call)',
      ['points', 'ms per call', 'points/s'],
      rowsC
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<void> {
  await forecastBench();
  const series = new Map(LENGTHS.map((n) => [n, makeSeries(n)]));
  const rows: Array<Array<string | number>> = [];
  for (const type of ['zscore', 'mad', 'iqr']) {
    for (const window of WINDOWS) {
      const row: Array<string | number> = [type, window];
      for (const n of LENGTHS) {
        const d = createDetector(type, { window_size: window, min_samples: Math.min(30, window) });
        const input = series.get(n)!;
        d.detect(series.get(LENGTHS[0]!)!); // warm the JIT so the first timed run is not a cold start
        const ms = await bestOf(() => d.detect(input), { runs: n >= 1_000_000 ? 2 : 3 });
        row.push(Math.round(n / (ms / 1000)));
      }
      rows.push(row);
    }
  }
  const manual = createDetector('manual_bounds', { lower_bound: 0, upper_bound: 150 });
  const mrow: Array<string | number> = ['manual_bounds', '-'];
  for (const n of LENGTHS) {
    const ms = await bestOf(() => manual.detect(series.get(n)!), { runs: 3 });
    mrow.push(Math.round(n / (ms / 1000)));
  }
  rows.push(mrow);
  const seasonal = createDetector('mad', { window_size: 8640, min_samples: 30, seasonality_components: ['hour'] });
  const srow: Array<string | number> = ['mad + hour groups', 8640];
  for (const n of LENGTHS) {
    const input = series.get(n)!;
    const hour = Array.from(input.timestamps, (t) => new Date(t).getUTCHours());
    const ms = await bestOf(() => seasonal.detect({ ...input, seasonality: { hour } }), {
      runs: n >= 1_000_000 ? 1 : 3,
    });
    srow.push(Math.round(n / (ms / 1000)));
  }
  rows.push(srow);
  // The recommended detector at its defaults (seasonality auto: the daily cycle of this series is found).
  const robust = createDetector('robust', {});
  const rrow: Array<string | number> = ['robust (recommended, defaults)', '60 / 720'];
  for (const n of LENGTHS) {
    const ms = await bestOf(() => robust.detect(series.get(n)!), { runs: n >= 1_000_000 ? 1 : 3 });
    rrow.push(Math.round(n / (ms / 1000)));
  }
  rows.push(rrow);
  printTable(
    'detectors: points/s (one core, min_samples 30, best of 2–3 runs after a warm-up; full 1M runs, no sampling)',
    ['detector', 'window', '10k', '100k', '1M'],
    rows
  );

  // dtk detect on a 1M-row CSV: parse, detect, format (output discarded).
  const big = series.get(1_000_000)!;
  let csv = 'timestamp,value\n';
  for (let i = 0; i < big.values.length; i++) {
    csv += `${new Date(big.timestamps[i]!).toISOString().slice(0, 19).replace('T', ' ')},${Number.isNaN(big.values[i]!) ? '' : big.values[i]!.toFixed(4)}\n`;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dtk-bench-'));
  const file = path.join(dir, 'series.csv');
  fs.writeFileSync(file, csv);
  try {
    const parseMs = await bestOf(() => parseSeriesCsv(fs.readFileSync(file, 'utf8')), { runs: 1 });
    const cli: Array<Array<string | number>> = [
      ['read + parse CSV', Math.round(parseMs), Math.round(1e6 / (parseMs / 1000))],
    ];
    for (const [type, params] of [
      ['zscore', '{"window_size": 8640, "min_samples": 30}'],
      ['mad', '{"window_size": 8640, "min_samples": 30}'],
    ] as const) {
      const ms = await bestOf(() => runDetect({ input: file, type, params, format: 'csv' }, () => undefined), {
        runs: 1,
      });
      cli.push([`dtk detect --type ${type} (window 8640), total`, Math.round(ms), Math.round(1e6 / (ms / 1000))]);
    }
    printTable('dtk detect on a 1M-row CSV (parse + detect + CSV output)', ['step', 'ms', 'rows/s'], cli);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
