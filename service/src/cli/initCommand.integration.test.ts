import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runDtk } from '../../test/cli';

/**
 * The scaffold end to end, through the real CLI: `dtk init`, `dtk validate`, then `dtk run -s '*'` on the
 * embedded store in the project's own data directory (a child process: one engine data directory per process).
 */

const dtk = runDtk;

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dtk-init-it-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('dtk init → validate → run', () => {
  it('creates a project that validates and runs out of the box, finding the injected incident', () => {
    const init = dtk(['init', 'demo_project', '--target-dir', dir], dir);
    expect(init.code).toBe(0);
    const root = path.join(dir, 'demo_project');

    const again = dtk(['init', 'demo_project', '-d', dir], dir);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`Directory '${root}' already exists!`);

    const validate = dtk(['validate', '--strict'], root);
    expect(validate.stdout).toContain('0 errors, 0 warnings');
    expect(validate.code).toBe(0);

    const run = dtk(['run', '-s', '*', '--project', root], dir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const loaded = Number(/Loaded ([\d,]+) datapoints/.exec(run.stdout)?.[1]?.replace(/,/g, ''));
    // Seven to eight days of 10-minute points, from loading_start_time to now.
    expect(loaded).toBeGreaterThanOrEqual(7 * 144);
    const anomalies = [...run.stdout.matchAll(/Detected (\d+) anomalies/g)].map((m) => Number(m[1]));
    expect(anomalies).toHaveLength(1);
    // The recommended detector finds the 30-minute incident (3 points); on the dates tried, nothing else.
    expect(anomalies[0]).toBeGreaterThanOrEqual(3);
    expect(fs.existsSync(path.join(root, '.dtk/data'))).toBe(true);

    const spike = /toDateTime\('(\d{4}-\d\d-\d\d) 12:00:00', 'UTC'\)/.exec(
      fs.readFileSync(path.join(root, 'metrics/example_cpu_usage.yml'), 'utf8')
    )?.[1];
    expect(spike).toBeDefined();
    const exported = dtk(['export', 'example_cpu_usage', '--project', root, '--from', `${spike} 12:00:00`], dir);
    expect(exported.code).toBe(0);
    const incident = exported.stdout
      .split('\n')
      .filter((l) => l.startsWith(`${spike}T12:`))
      .map((l) => l.split(','));
    // Columns: timestamp, value, processed_value, is_anomaly, lower, upper, score, detector_id, detector_name.
    expect(incident.map((r) => [r[0]!.slice(11, 16), r[3], r[8]])).toEqual([
      ['12:00', 'true', 'RobustDetector'],
      ['12:10', 'true', 'RobustDetector'],
      ['12:20', 'true', 'RobustDetector'],
      ['12:30', 'false', 'RobustDetector'],
      ['12:40', 'false', 'RobustDetector'],
      ['12:50', 'false', 'RobustDetector'],
    ]);
  });
});
