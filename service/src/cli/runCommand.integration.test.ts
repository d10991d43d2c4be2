import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { writeProject } from '../../test/project';

const REPO = path.resolve(__dirname, '../../..');

/** Synthetic 10-minute SQL over [dtk_start_time, dtk_end_time): values depend only on the timestamp. */
const SQL = `|
  SELECT ts AS timestamp, 50 + 10 * sin(2 * pi() * toHour(ts) / 24) + (cityHash64(ts) % 100) / 50.0
         + if(ts = toDateTime('2026-01-05 12:00:00', 'UTC'), 60, 0) AS value
  FROM (SELECT toDateTime('{{ dtk_start_time }}', 'UTC') + number * 600 AS ts
        FROM numbers(intDiv(dateDiff('second', toDateTime('{{ dtk_start_time }}', 'UTC'), toDateTime('{{ dtk_end_time }}', 'UTC')), 600)))`;

function dtk(root: string, ...args: string[]) {
  return spawnSync(process.execPath, [path.join(REPO, 'bin/dtk.js'), ...args, '--project', root], { encoding: 'utf8' });
}

test('dtk run -s *: the good metric runs, the failures are recorded with clear messages, exit 1; reruns are incremental', () => {
  const root = writeProject({
    'profiles.yml': 'default_profile: local\nprofiles:\n  local: {type: embedded, path: .dtk/data}\n',
    'metrics/good.yml': `name: good
interval: 10min
loading_start_time: "2026-01-01 00:00:00"
seasonality_columns: [hour]
query: ${SQL}
detectors:
  - type: mad
    params: {threshold: 4.0, window_size: 432, min_samples: 144, seasonality_components: [hour], min_samples_per_group: 5}
`,
    'metrics/bad_sql.yml': `name: bad_sql
interval: 10min
loading_start_time: "2026-01-01 00:00:00"
query: SELEC value FROM nowhere
detectors:
  - type: zscore
`,
    'metrics/bad_param.yml': `name: bad_param
interval: 10min
loading_start_time: "2026-01-01 00:00:00"
query: SELECT 1
detectors:
  - type: mad
    params: {threshold: -3}
`,
  });

  const first = dtk(root, 'run', '-s', '*', '--to', '2026-01-08 00:00:00');
  expect(first.status).toBe(1);
  expect(first.stdout).toContain('Found 3 metric(s) to process');
  // 7 days of 10-minute points for the good metric, and its anomaly on 2026-01-05 12:00.
  expect(first.stdout).toMatch(/Loaded 1,008 datapoints/);
  expect(first.stdout).toMatch(/Done: 1 succeeded, 2 failed/);
  expect(first.stdout).toMatch(
    /✗ bad_param: invalid configuration in metrics\/bad_param\.yml: .*bad_param\.yml:7:\d+: .*threshold/
  );
  expect(first.stdout).toMatch(/✗ bad_sql: .*Syntax error/);

  const exported = spawnSync(process.execPath, [path.join(REPO, 'bin/dtk.js'), 'export', 'good', '--project', root], {
    encoding: 'utf8',
  });
  expect(exported.status).toBe(0);
  const anomalies = exported.stdout.split('\n').filter((l) => l.includes(',true,'));
  expect(anomalies.some((l) => l.startsWith('2026-01-05T12:00:00'))).toBe(true);

  // A second run loads only the new intervals.
  const second = dtk(root, 'run', '-s', 'good', '--to', '2026-01-08 00:30:00');
  expect(second.status).toBe(0);
  expect(second.stdout).toMatch(/Resuming from last saved: 2026-01-07 23:50:00/);
  expect(second.stdout).toMatch(/Loaded 3 datapoints/);
  expect(second.stdout).toMatch(/Detecting from 2026-01-08 00:00:00/);

  // A full refresh rewrites exactly its range.
  const refresh = dtk(root, 'run', '-s', 'good', '--full-refresh', '--from', '2026-01-03', '--to', '2026-01-04');
  expect(refresh.status).toBe(0);
  expect(refresh.stdout).toMatch(/Loaded 144 datapoints/);
  expect(refresh.stdout).toMatch(/Deleting existing detections/);
  const after = spawnSync(process.execPath, [path.join(REPO, 'bin/dtk.js'), 'export', 'good', '--project', root], {
    encoding: 'utf8',
  });
  const rows = (text: string) => text.split('\n').filter((l) => /^\d{4}-/.test(l));
  // The source is deterministic: the rewritten day equals what was there, and nothing else moved.
  expect(rows(after.stdout)).toHaveLength(1011);
  expect(rows(after.stdout).slice(0, 1008)).toEqual(rows(exported.stdout));
}, 180_000);
