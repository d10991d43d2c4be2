import { createDetector, parseSeriesCsv } from '../src/detectors';
import { runDetect } from '../src/cli/detectCommand';
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

export async function run(): Promise<void> {
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
