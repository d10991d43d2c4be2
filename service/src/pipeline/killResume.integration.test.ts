import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { writeProject } from '../../test/project';

const REPO = path.resolve(__dirname, '../../..');
const POINTS = 500_000;
const START = Date.UTC(2025, 0, 1);
const TO = new Date(START + POINTS * 60_000).toISOString().slice(0, 19).replace('T', ' ');

/** 500,000 one-minute points whose values depend only on the timestamp, two detectors. */
function project(): string {
  return writeProject({
    'profiles.yml': 'default_profile: local\nprofiles:\n  local: {type: embedded, path: .dtk/data}\n',
    'metrics/big.yml': `name: big
interval: 1min
loading_start_time: "2025-01-01 00:00:00"
loading_batch_size: 10000
query: |
  SELECT ts AS timestamp,
         100 + 10 * sin(toUnixTimestamp(ts) / 3600.0) + (cityHash64(ts) % 1000) / 100.0
           + if(cityHash64(ts, 'spike') % 5000 = 0, 80, 0) AS value
  FROM (SELECT toDateTime('{{ dtk_start_time }}', 'UTC') + number * 60 AS ts
        FROM numbers(dateDiff('minute', toDateTime('{{ dtk_start_time }}', 'UTC'), toDateTime('{{ dtk_end_time }}', 'UTC'))))
detectors:
  - type: mad
    params: {threshold: 4.0, window_size: 1440, min_samples: 100}
  - type: zscore
    params: {threshold: 4.0, window_size: 1440, min_samples: 100}
`,
  });
}

const runArgs = (root: string) => [path.join(REPO, 'bin/dtk.js'), 'run', '-s', 'big', '--project', root, '--to', TO];

/** Runs `dtk run` and SIGKILLs it as soon as its output contains `marker`. */
async function runAndKill(root: string, marker: RegExp): Promise<string> {
  const child = spawn(process.execPath, runArgs(root), { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (marker.test(out) && child.exitCode === null) {
        child.kill('SIGKILL');
      }
    });
    child.on('exit', (code, signal) =>
      signal === 'SIGKILL'
        ? resolve(out)
        : reject(new Error(`run ended (${code}) before ${marker}: ${out.slice(-500)}`))
    );
  });
}

function runToEnd(root: string): string {
  const r = spawnSync(process.execPath, runArgs(root), { encoding: 'utf8' });
  expect(r.status).toBe(0);
  return r.stdout;
}

function digest(root: string): unknown {
  const r = spawnSync(
    process.execPath,
    [path.join(REPO, 'bin/run-ts.js'), path.join(REPO, 'service/test/storeDigest.ts'), path.join(root, '.dtk/data')],
    { encoding: 'utf8' }
  );
  expect(r.stderr).toBe('');
  // SIGKILL may land between an insert and its bookkeeping: compare deduplicated rows only.
  const { raw: _raw, ...deduplicated } = JSON.parse(r.stdout) as Record<string, unknown>;
  return deduplicated;
}

test('SIGKILL in the middle of a 500,000-point backfill, then a new run: the same tables as an uninterrupted run', async () => {
  const interrupted = project();
  // Killed while loading, then killed while detecting, then allowed to finish.
  await runAndKill(interrupted, /loaded: [4-8]0%/);
  await runAndKill(interrupted, /detected: [2-8]0%/);
  const resumed = runToEnd(interrupted);
  expect(resumed).toMatch(/Resuming from last saved/);

  const clean = project();
  runToEnd(clean);

  const a = digest(interrupted) as { datapoints: { rows: string }; detections: { rows: string; anomalies: string } };
  const b = digest(clean);
  expect(Number(a.datapoints.rows)).toBe(POINTS);
  expect(Number(a.detections.rows)).toBe(2 * POINTS);
  expect(Number(a.detections.anomalies)).toBeGreaterThan(0);
  expect(a).toEqual(b);
}, 300_000);
