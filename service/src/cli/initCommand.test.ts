import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { loadProject } from '../config';
import { silentReporter, type Reporter } from '../pipeline';
import { initProject } from './initCommand';

const NOW = Date.UTC(2025, 2, 14, 15, 42, 7);
let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dtk-init-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function collect(): Reporter & { text: () => string } {
  const lines: string[] = [];
  return { line: (t = '') => void lines.push(t), progress: () => undefined, text: () => lines.join('\n') };
}

const read = (root: string, rel: string): string => fs.readFileSync(path.join(root, rel), 'utf8');

/** Uncomments a `# key:` block of profiles.yml (the line and the following `#   ` lines). */
function uncomment(text: string, key: string): string {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => new RegExp(`^(\\s*)# ${key}:$`).test(l));
  expect(start).toBeGreaterThanOrEqual(0);
  for (
    let i = start;
    i < lines.length && /^\s*#( |$)/.test(lines[i]!) && (i === start || /^\s*# {2}/.test(lines[i]!));
    i++
  ) {
    lines[i] = lines[i]!.replace('# ', '');
  }
  return lines.join('\n');
}

describe('dtk init', () => {
  it("writes detectkit's layout and prints the next steps", () => {
    const out = collect();
    const root = initProject('my_project', dir, out, NOW);
    expect(root).toBe(path.join(dir, 'my_project'));
    for (const f of [
      'detectkit_project.yml',
      'profiles.yml',
      'metrics/.gitkeep',
      'metrics/example_cpu_usage.yml',
      'sql/.gitkeep',
      'README.md',
      '.gitignore',
    ]) {
      expect(fs.existsSync(path.join(root, f))).toBe(true);
    }
    expect(out.text()).toContain(`Creating detectkit project 'my_project' in ${dir}...`);
    expect(out.text()).toContain('✓ Project created successfully!');
    expect(out.text()).toContain("dtk run --select '*'");
  });

  it('generates a project that validates without errors or warnings, even with --strict', () => {
    const root = initProject('my_project', dir, silentReporter, NOW);
    for (const strict of [false, true]) {
      const p = loadProject(root, { strict, env: {} });
      expect(p.issues).toEqual([]);
      expect(p.metrics.map((m) => m.name)).toEqual(['example_cpu_usage']);
      expect(p.profiles?.default_profile).toBe('dev');
      expect(p.profiles?.profiles.dev).toMatchObject({ type: 'embedded', path: '.dtk/data' });
    }
    expect(parse(read(root, 'detectkit_project.yml'))).toMatchObject({ name: 'my_project', default_profile: 'dev' });
  });

  it('computes loading_start_time at init (midnight UTC a week back) and places the incident inside that week', () => {
    const root = initProject('p', dir, silentReporter, NOW);
    const m = loadProject(root, { env: {} }).metrics[0]!;
    expect(m.loadingStartTime).toBe(Date.UTC(2025, 2, 7));
    expect(m.intervalSeconds).toBe(600);
    expect(m.detectors.map((d) => d.type)).toEqual(['robust']);
    expect(m.config.query).toContain("toDateTime('2025-03-12 12:00:00', 'UTC')");
    expect(m.config.query).toContain('{{ dtk_start_time }}');
    expect(m.config.query).toContain('{{ dtk_end_time }}');
    expect(read(root, 'README.md')).toContain("loading_start_time: '2025-03-07 00:00:00'");
  });

  it('keeps validating when the prod profile and the alert channel are uncommented with their variables unset', () => {
    const root = initProject('p', dir, silentReporter, NOW);
    const file = path.join(root, 'profiles.yml');
    fs.writeFileSync(file, uncomment(uncomment(read(root, 'profiles.yml'), 'prod'), 'alert_channels'));
    const profiles = parse(read(root, 'profiles.yml')) as Record<string, Record<string, unknown>>;
    expect(Object.keys(profiles.profiles!)).toEqual(['dev', 'prod']);
    expect(Object.keys(profiles.alert_channels!)).toEqual(['mattermost_alerts']);
    const p = loadProject(root, { env: {} });
    expect(p.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(p.issues.map((i) => i.message).join('\n')).toContain('CLICKHOUSE_HOST is not set');
    // With the variables set, the prod profile is complete.
    const env = { CLICKHOUSE_HOST: 'ch', CLICKHOUSE_PASSWORD: 'pw', MATTERMOST_WEBHOOK_URL: 'http://mm' };
    const withEnv = loadProject(root, { env, profile: 'prod' });
    expect(withEnv.issues).toEqual([]);
    expect(withEnv.profiles?.profiles.prod).toMatchObject({ type: 'clickhouse', host: 'ch', user: 'default' });
  });

  it('names the project after the basename and quotes it, so a numeric name stays a string', () => {
    const root = initProject(path.join('some', 'where', '2024'), dir, silentReporter, NOW);
    expect(root).toBe(path.join(dir, '2024'));
    expect(loadProject(root, { env: {} }).project.name).toBe('2024');
    const spaced = initProject('my project-é', dir, silentReporter, NOW);
    expect(loadProject(spaced, { env: {} }).project.name).toBe('my project-é');
  });

  it('refuses an existing directory (exit 1) and an invalid name (usage, exit 2)', () => {
    initProject('p', dir, silentReporter, NOW);
    expect(() => initProject('p', dir, silentReporter, NOW)).toThrow(
      expect.objectContaining({
        code: 'conflict',
        message: expect.stringContaining(`Directory '${path.join(dir, 'p')}' already exists!`),
      })
    );
    for (const bad of ['bad!name', 'a.b', '   ', '']) {
      expect(() => initProject(bad, dir, silentReporter, NOW)).toThrow(expect.objectContaining({ code: 'usage' }));
    }
    expect(fs.readdirSync(dir)).toEqual(['p']);
  });
});
