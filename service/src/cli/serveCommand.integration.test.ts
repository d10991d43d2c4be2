import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { RunInfo } from '../../../common/api/runs';
import { freePort, sleep, waitFor } from '../../test/net';
import { writeProject } from '../../test/project';

const REPO = path.resolve(__dirname, '../../..');
const MINUTE = 60_000;
/** About 150,000 one-minute points of history up to now: several batches to load and detect. */
const POINTS = 150_000;

function project(): string {
  const start = Math.floor(Date.now() / MINUTE) * MINUTE - POINTS * MINUTE;
  return writeProject({
    'profiles.yml': 'default_profile: local\nprofiles:\n  local: {type: embedded, path: .dtk/data}\n',
    'metrics/big.yml': `name: big
interval: 1min
loading_start_time: "${new Date(start).toISOString().slice(0, 19).replace('T', ' ')}"
loading_batch_size: 10000
query: |
  SELECT ts AS timestamp, 100 + 10 * sin(toUnixTimestamp(ts) / 3600.0) + (cityHash64(ts) % 1000) / 100.0 AS value
  FROM (SELECT toDateTime('{{ dtk_start_time }}', 'UTC') + number * 60 AS ts
        FROM numbers(dateDiff('minute', toDateTime('{{ dtk_start_time }}', 'UTC'), toDateTime('{{ dtk_end_time }}', 'UTC'))))
detectors:
  - type: mad
    params: {window_size: 60, min_samples: 30, batch_size: 20000}
`,
  });
}

async function startServe(root: string, port: number): Promise<{ proc: ChildProcess; log: () => string }> {
  const proc = spawn(
    process.execPath,
    [
      path.join(REPO, 'bin/dtk.js'),
      'serve',
      '--project',
      root,
      '--port',
      String(port),
      '--host',
      '127.0.0.1',
      '--insecure-dev',
      '--delay',
      '0s',
      '--jitter',
      '0s',
      '--grace',
      '0s',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] }
  );
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
  proc.stderr!.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
  await waitFor(`http://127.0.0.1:${port}/api/health`, 'dtk serve', proc, () => out);
  return { proc, log: () => out };
}

async function runs(port: number): Promise<RunInfo[]> {
  const r = await fetch(`http://127.0.0.1:${port}/api/runs?metric=big`);
  return ((await r.json()) as { runs: RunInfo[] }).runs;
}

async function until(port: number, what: string, ok: (rs: RunInfo[]) => boolean, ms = 120_000): Promise<RunInfo[]> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const rs = await runs(port);
    if (ok(rs)) {
      return rs;
    }
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}: ${JSON.stringify(await runs(port))}`);
}

const exited = (p: ChildProcess) => new Promise<number | null>((r) => p.once('exit', (code) => r(code)));

test('SIGTERM in the middle of a scheduled backfill, then a restart: no gap and nothing written twice', async () => {
  const root = project();
  const port = await freePort();
  const first = await startServe(root, port);
  // Stopped while detecting (its load is done, part of the detections are stored).
  await until(port, 'detection in progress', (rs) =>
    rs.some((r) => r.status === 'running' && r.progress.step === 'detect' && r.progress.done >= 40_000)
  );
  first.proc.kill('SIGTERM');
  expect(await exited(first.proc)).toBe(0);
  expect(first.log()).toMatch(/stopped cleanly/);

  const second = await startServe(root, port);
  const after = await until(port, 'a successful run', (rs) => rs.some((r) => r.status === 'success'));
  const resumed = after.find((r) => r.status === 'success')!;
  // The restart loaded only the minutes since the stop, not the history again.
  expect(resumed.datapointsLoaded).toBeLessThan(100);
  second.proc.kill('SIGTERM');
  expect(await exited(second.proc)).toBe(0);

  const digest = spawnSync(
    process.execPath,
    [path.join(REPO, 'bin/run-ts.js'), path.join(REPO, 'service/test/storeDigest.ts'), path.join(root, '.dtk/data')],
    { encoding: 'utf8' }
  );
  expect(digest.stderr).toBe('');
  const d = JSON.parse(digest.stdout) as {
    datapoints: { rows: string; first: string; last: string };
    detections: { rows: string };
    raw: { datapoints: string; detections: string };
  };
  const span = (Date.parse(`${d.datapoints.last}Z`) - Date.parse(`${d.datapoints.first}Z`)) / MINUTE + 1;
  expect(Number(d.datapoints.rows)).toBe(span);
  expect(Number(d.datapoints.rows)).toBeGreaterThanOrEqual(POINTS);
  expect(Number(d.detections.rows)).toBe(Number(d.datapoints.rows));
  expect(Number(d.raw.datapoints)).toBe(Number(d.datapoints.rows));
  expect(Number(d.raw.detections)).toBe(Number(d.detections.rows));
}, 300_000);
