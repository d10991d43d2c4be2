import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runDtk } from '../../test/cli';

/**
 * `dtk export` over what `dtk run` stored, both through the real CLI in child processes, on a tiny project
 * whose embedded store lives in its own directory.
 */

const dtk = runDtk;

const METRIC = `name: tiny_metric
interval: 1h
loading_start_time: '2024-01-01 00:00:00'
query: |
  SELECT toDateTime('{{ dtk_start_time }}', 'UTC') + toIntervalSecond(number * {{ interval_seconds }}) AS timestamp,
         if(toHour(timestamp) = 5, 100, 10) AS value
  FROM numbers(intDiv(dateDiff('second', toDateTime('{{ dtk_start_time }}', 'UTC'),
                                toDateTime('{{ dtk_end_time }}', 'UTC')), {{ interval_seconds }}))
detectors:
  - type: manual_bounds
    params:
      upper_bound: 50.0
  - type: mad
    params:
      window_size: 4
      min_samples: 3
`;

const HEADER =
  'timestamp,value,processed_value,is_anomaly,confidence_lower,confidence_upper,score,detector_id,detector_name';
let root: string;

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'dtk-export-it-'));
  fs.mkdirSync(path.join(root, 'metrics'));
  fs.writeFileSync(path.join(root, 'detectkit_project.yml'), 'name: tiny\n');
  fs.writeFileSync(
    path.join(root, 'profiles.yml'),
    'default_profile: dev\nprofiles:\n  dev:\n    type: embedded\n    path: .dtk/data\n'
  );
  fs.writeFileSync(path.join(root, 'metrics/tiny.yml'), METRIC);
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('dtk export', () => {
  it('exports loaded datapoints with empty detector columns, then one row per detector after detection', () => {
    const load = dtk(['run', '-s', '*', '--steps', 'load', '--to', '2024-01-01 08:00:00', '--project', root], root);
    expect(load.code).toBe(0);
    const loadedOnly = dtk(['export', 'tiny_metric'], root);
    expect(loadedOnly.code).toBe(0);
    expect(loadedOnly.stdout.split('\n')).toEqual([
      HEADER,
      ...Array.from({ length: 8 }, (_, h) => `2024-01-01T0${h}:00:00.000Z,${h === 5 ? 100 : 10},,,,,,,`),
      '',
    ]);

    const detect = dtk(['run', '-s', '*', '--steps', 'detect', '--project', root], root);
    expect(detect.code).toBe(0);
    const csv = dtk(['export', 'tiny_metric', '--from', '2024-01-01 04:00:00', '--to', '2024-01-01 06:00:00'], root);
    expect(csv.code).toBe(0);
    const lines = csv.stdout.trim().split('\n');
    expect(lines[0]).toBe(HEADER);
    const rows = lines.slice(1).map((l) => l.split(','));
    expect(rows.map((r) => [r[0], r[1], r[3], r[8]])).toEqual([
      ['2024-01-01T04:00:00.000Z', '10', 'false', 'MADDetector'],
      ['2024-01-01T04:00:00.000Z', '10', 'false', 'ManualBoundsDetector'],
      ['2024-01-01T05:00:00.000Z', '100', 'true', 'MADDetector'],
      ['2024-01-01T05:00:00.000Z', '100', 'true', 'ManualBoundsDetector'],
    ]);
    // manual_bounds: no lower bound, upper 50; the detector ids are detectkit's 16-hex hashes.
    expect(rows[1]!.slice(4, 7)).toEqual(['', '50', '']);
    // MAD's band at the spike: the score is > 1 where the point is flagged.
    expect(Number(rows[2]![6])).toBeGreaterThan(1);
    expect(rows.every((r) => /^[0-9a-f]{16}$/.test(r[7]!))).toBe(true);

    const json = dtk(['export', 'tiny_metric', '--format', 'json', '--project', root], os.tmpdir());
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout) as Array<Record<string, unknown>>;
    expect(parsed).toHaveLength(16);
    expect(parsed.filter((r) => r.is_anomaly === true).map((r) => r.detector_name)).toEqual([
      'MADDetector',
      'ManualBoundsDetector',
    ]);
    expect(parsed[1]).toMatchObject({
      timestamp: '2024-01-01T00:00:00.000Z',
      value: 10,
      processed_value: 10,
      is_anomaly: false,
      confidence_lower: null,
      confidence_upper: 50,
      detector_name: 'ManualBoundsDetector',
    });
  });

  it('an unknown metric: a clear error naming similar metrics, exit 1; a bad date: exit 2', () => {
    const unknown = dtk(['export', 'tiny_metrc', '--project', root], root);
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toContain("Metric 'tiny_metrc' not found");
    expect(unknown.stderr).toContain('Did you mean: tiny_metric?');
    expect(dtk(['export', 'tiny_metric', '--from', 'yesterday'], root).code).toBe(2);
    // Commander's own option errors: exit 2 once the boundary's exitOverride reaches subcommands (not yet: 1).
    const format = dtk(['export', 'tiny_metric', '--format', 'xml'], root);
    expect(format.code).not.toBe(0);
    expect(format.stderr).toContain('Allowed choices are csv, json');
  });
});
