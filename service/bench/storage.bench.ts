import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Store } from '../src/storage';
import { bestOf, printTable } from './table';

const N = 1_000_000;
const BATCH = 100_000;

/** Embedded store throughput: datapoint and detection writes in 100k-row batches, series reads. */
export async function run(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dtk-bench-'));
  const store = await Store.open({
    type: 'embedded',
    path: dir,
    internal_database: 'bench',
    data_database: 'default',
    settings: {},
  });
  try {
    const t0 = Date.UTC(2024, 0, 1);
    const ts = new Float64Array(N);
    const vs = new Float64Array(N);
    for (let i = 0; i < N; i++) {
      ts[i] = t0 + i * 60_000;
      vs[i] = i % 997 === 0 ? NaN : Math.sin(i) * 1e3 + i / 7;
    }
    const seas = Array.from({ length: N }, (_, i) => {
      const d = new Date(ts[i]!);
      return `{"day_of_week":${(d.getUTCDay() + 6) % 7},"hour":${d.getUTCHours()}}`;
    });
    const rows: Array<Array<string | number>> = [];
    let metric = 0;

    const writeAll = async (withSeasonality: boolean) => {
      const name = `m${metric++}`;
      for (let s = 0; s < N; s += BATCH) {
        await store.writeDatapoints({
          metricName: name,
          intervalSeconds: 60,
          seasonalityColumns: withSeasonality ? 'hour,day_of_week' : '',
          timestamps: ts.subarray(s, s + BATCH),
          values: vs.subarray(s, s + BATCH),
          ...(withSeasonality ? { seasonalityData: seas.slice(s, s + BATCH) } : {}),
        });
      }
      return name;
    };
    let plainName = '';
    const wPlain = await bestOf(async () => (plainName = await writeAll(false)));
    rows.push(['write datapoints (value only)', N, 'RowBinary via file()', Math.round(N / (wPlain / 1000))]);
    const wSeas = await bestOf(() => writeAll(true));
    rows.push(['write datapoints (+ seasonality JSON)', N, 'RowBinary via file()', Math.round(N / (wSeas / 1000))]);

    const md = '{"direction":"above","severity":1.5}';
    const meta = Array.from({ length: BATCH }, () => md);
    const flags = new Uint8Array(BATCH).map((_, i) => (i % 50 === 0 ? 1 : 0));
    const wDet = await bestOf(async () => {
      const name = `d${metric++}`;
      for (let s = 0; s < N; s += BATCH) {
        await store.writeDetections({
          metricName: name,
          detectorId: '0123456789abcdef',
          detectorName: 'MADDetector',
          detectorParams: '{"threshold":3.0}',
          timestamps: ts.subarray(s, s + BATCH),
          isAnomaly: flags,
          lower: vs.subarray(s, s + BATCH),
          upper: vs.subarray(s, s + BATCH),
          values: vs.subarray(s, s + BATCH),
          processedValues: vs.subarray(s, s + BATCH),
          metadata: meta,
        });
      }
    });
    rows.push(['write detections', N, 'RowBinary via file()', Math.round(N / (wDet / 1000))]);

    let readN = 0;
    const rSeries = await bestOf(async () => (readN = (await store.readSeries(plainName)).timestamps.length));
    rows.push(['read series → Float64Array (FINAL)', readN, 'RowBinary', Math.round(readN / (rSeries / 1000))]);
    const rSeas = await bestOf(
      async () => (readN = (await store.readSeries('m1', {}, { seasonality: true })).timestamps.length)
    );
    rows.push(['read series + seasonality strings', readN, 'RowBinary', Math.round(readN / (rSeas / 1000))]);

    printTable(
      'Storage, embedded engine (batches of 100k rows; best of 3)',
      ['operation', 'rows', 'format', 'rows/s'],
      rows
    );
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
