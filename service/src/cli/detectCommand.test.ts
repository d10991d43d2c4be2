import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runDetect } from './detectCommand';

async function run(csv: string, type: string, params?: string, format: 'csv' | 'json' = 'csv'): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dtk-detect-'));
  const file = path.join(dir, 'in.csv');
  fs.writeFileSync(file, csv);
  let out = '';
  try {
    await runDetect({ input: file, type, params, format }, (c) => (out += c));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

const CSV = [
  'timestamp,value',
  ...[10, 10, 10, 50, NaN].map((v, i) => `2024-01-01 00:0${i}:00,${Number.isNaN(v) ? '' : v}`),
].join('\n');

describe('dtk detect', () => {
  it('prints one CSV row per point', async () => {
    expect((await run(CSV, 'mad', '{"window_size": 3, "min_samples": 2}')).split('\n')).toEqual([
      'timestamp,value,processed_value,is_anomaly,confidence_lower,confidence_upper,score',
      '2024-01-01T00:00:00.000Z,10,10,false,,,',
      '2024-01-01T00:01:00.000Z,10,10,false,,,',
      '2024-01-01T00:02:00.000Z,10,10,false,9.9999999999,10.0000000001,0',
      // 40 from the centre of a band 2e-10 wide.
      `2024-01-01T00:03:00.000Z,50,50,true,9.9999999999,10.0000000001,${40 / ((10.0000000001 - 9.9999999999) / 2)}`,
      '2024-01-01T00:04:00.000Z,,,false,,,',
      '',
    ]);
  });
  it('prints JSON with metadata', async () => {
    const rows = JSON.parse(await run(CSV, 'manual', '{"upper_bound": 20.0}', 'json')) as Array<
      Record<string, unknown>
    >;
    expect(rows).toHaveLength(5);
    expect(rows[3]).toMatchObject({ is_anomaly: true, confidence_upper: 20, confidence_lower: null, score: null });
    expect(rows[3]!.detection_metadata).toEqual({ direction: 'above', distance: 30, severity: 30 });
  });
  it('derives timestamp features for seasonality components', async () => {
    expect(
      await run(CSV, 'zscore', '{"window_size": 3, "min_samples": 2, "seasonality_components": ["hour"]}')
    ).toContain('true');
  });
  it('reports bad params and unknown types as usage errors', async () => {
    await expect(run(CSV, 'mad', '{"threshold": 0}')).rejects.toThrow('threshold must be positive');
    await expect(run(CSV, 'mad', '{threshold}')).rejects.toThrow('--params is not valid JSON');
    await expect(run(CSV, 'lof')).rejects.toThrow("Unknown detector type: 'lof'");
  });

  it('runs a custom detector module (path relative to the current directory), without state', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dtk-detect-custom-'));
    const cwd = process.cwd();
    try {
      fs.writeFileSync(
        path.join(dir, 'band.mjs'),
        'export function detect({ values }) { return { lower: Array.from(values, () => 0), upper: Array.from(values, () => 20) }; }'
      );
      process.chdir(dir);
      const lines = (await run(CSV, 'custom', '{"module": "band.mjs"}')).trim().split('\n');
      expect(lines.slice(1).map((l) => l.split(',').slice(3).join(','))).toEqual([
        'false,0,20,0',
        'false,0,20,0',
        'false,0,20,0',
        'true,0,20,4',
        // A missing value: the module's band, no score.
        'false,0,20,',
      ]);
      expect(fs.existsSync(path.join(dir, '.dtk'))).toBe(false);
      await expect(run(CSV, 'custom', '{"module": "missing.mjs"}')).rejects.toThrow('missing.mjs');
    } finally {
      process.chdir(cwd);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('timestamp formatting', () => {
  it('matches toISOString across days, milliseconds and before 1970', async () => {
    const ts = [
      Date.UTC(2024, 0, 1, 23, 59, 59, 999),
      Date.UTC(2024, 0, 2),
      Date.UTC(2024, 0, 2, 0, 0, 0, 5),
      -1500,
      0,
    ];
    const csv = ['timestamp,value', ...ts.sort((a, b) => a - b).map((t) => `${new Date(t).toISOString()},1`)].join(
      '\n'
    );
    const lines = (await run(csv, 'manual', '{"upper_bound": 5}')).trim().split('\n').slice(1);
    expect(lines.map((l) => l.split(',')[0])).toEqual(ts.map((t) => new Date(t).toISOString()));
  });
});
