import path from 'node:path';
import { runValidate } from '../cli/validateCommand';
import { DtkError } from '../errors';
import { loadProject, selectFromProject, selectMetrics } from './load';
import { findProjectRoot } from './discover';
import { selectProfile } from './profiles';
import { globToRegExp } from './select';
import { FIXTURES, makeProject, METRIC } from './testProject';

const metric = (name: string, extra = ''): string => METRIC.replace('name: cpu', `name: ${name}`) + extra;

describe('selectors (reference §3.2)', () => {
  const root = makeProject({
    'metrics/cpu.yml': metric('cpu', 'tags: [critical, system]\n'),
    'metrics/mem.yaml': metric('memory', 'tags: [system]\n'),
    'metrics/api/latency.yml': metric('api_latency', 'tags: [critical]\n'),
    'metrics/api/errors.yml': metric('api_errors_renamed'),
    'metrics/paused.yml': metric('paused', 'enabled: false\ntags: [critical]\n'),
    'metrics/broken.yml': 'name: broken\ninterval: [\n',
    'metrics/.gitkeep': '',
  });
  const p = loadProject(root, { partial: true });
  const names = (select?: string[], exclude?: string[]): string[] =>
    selectMetrics(p, select, exclude).map((m) => m.name);

  it("'*' selects every enabled metric at any depth; disabled ones are skipped", () => {
    expect(names(['*'])).toEqual(['api_errors_renamed', 'api_latency', 'cpu', 'memory']);
    expect(selectFromProject(p, ['*']).failed.map((f) => f.relPath)).toEqual(['metrics/broken.yml']);
  });

  it('name: the file metrics/<name>.yml|yaml first, then the name: key anywhere', () => {
    expect(names(['cpu'])).toEqual(['cpu']);
    expect(names(['mem'])).toEqual(['memory']);
    expect(names(['api_latency'])).toEqual(['api_latency']);
    expect(names(['paused'])).toEqual(['paused']); // an explicit name runs a disabled metric
  });

  it('path globs, relative to metrics/ unless they start with it; the extension may be left out', () => {
    expect(names(['api/*'])).toEqual(['api_errors_renamed', 'api_latency']);
    expect(names(['metrics/api/*.yml'])).toEqual(['api_errors_renamed', 'api_latency']);
    expect(names(['metrics/**/*.yml'])).toEqual(['api_errors_renamed', 'api_latency', 'cpu']);
    expect(names(['api/latency'])).toEqual(['api_latency']);
  });

  it('tag:, with detectkit skip warnings for unreadable files', () => {
    expect(names(['tag:critical'])).toEqual(['api_latency', 'cpu']);
    expect(selectFromProject(p, ['tag:system']).warnings).toEqual([
      expect.stringMatching(/^Warning: Skipping metrics\/broken\.yml: invalid YAML/),
    ]);
  });

  it('--exclude uses the same grammar; several --select are a union', () => {
    expect(names(['tag:system', 'api/*'], ['tag:critical'])).toEqual(['api_errors_renamed', 'memory']);
  });

  it('no match is a usage error with detectkit text', () => {
    expect(() => names(['nope'])).toThrow(new DtkError('usage', 'No metrics found matching selector: nope'));
    expect(() => names(['tag:nope'])).toThrow('No metrics found matching selector: tag:nope');
  });

  it('glob translation', () => {
    expect(globToRegExp('metrics/**/*.yml').test('metrics/a.yml')).toBe(true);
    expect(globToRegExp('metrics/*').test('metrics/a/b.yml')).toBe(false);
    expect(globToRegExp('metrics/[ab]?.yml').test('metrics/b1.yml')).toBe(true);
  });
});

describe('findProjectRoot', () => {
  it('finds the nearest ancestor with detectkit_project.yml', () => {
    const root = makeProject({ 'metrics/a/b/c.yml': METRIC });
    expect(findProjectRoot(path.join(root, 'metrics/a/b'))).toBe(root);
  });

  it('explains what to do when there is none', () => {
    expect(() => findProjectRoot('/')).toThrow(/Not in a detectkit project directory.*dtk init/);
  });
});

describe('selectProfile', () => {
  it('interpolates the chosen profile only, and accepts top-level profiles', () => {
    const root = makeProject({
      'profiles.yml': `default_profile: dev
dev:
  type: clickhouse
  host: "\${CH_HOST}"
  port: "{{ env_var('CH_PORT', '9440') }}"
  database: metrics
prod:
  type: clickhouse
  password: "\${UNSET_PROD_PASSWORD}"
`,
    });
    const s = selectProfile(root, undefined, { CH_HOST: 'ch.internal' });
    expect(s.name).toBe('dev');
    expect(s.profile).toMatchObject({ type: 'clickhouse', host: 'ch.internal', port: 9440, data_database: 'metrics' });
    expect(() => selectProfile(root, 'prod', {})).toThrow(
      /profiles\.yml:9:13: prod\.password: environment variable UNSET_PROD_PASSWORD/
    );
  });

  it("falls back to the project's default_profile, then embedded without profiles.yml", () => {
    const root = makeProject({
      'detectkit_project.yml': 'name: p\ndefault_profile: local\n',
      'profiles.yml': 'profiles:\n  local:\n    type: embedded\n',
    });
    expect(selectProfile(root).name).toBe('local');
    expect(selectProfile(makeProject({})).name).toBe('embedded');
  });

  it('refuses postgres when selected', () => {
    const root = makeProject({ 'profiles.yml': 'profiles:\n  pg:\n    type: postgres\n' });
    expect(() => selectProfile(root, 'pg')).toThrow(/postgres and mysql are not supported/);
  });
});

describe('dtk validate', () => {
  const run = (flags: Parameters<typeof runValidate>[0], env: NodeJS.ProcessEnv = {}) => {
    let out = '';
    const code = runValidate(flags, (s) => (out += s), false, env);
    return { code, out };
  };

  it('passes a valid project', () => {
    const r = run({ project: path.join(FIXTURES, 'advanced') });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^✓ 1 metric file checked in .*advanced: 0 errors, 0 warnings\n$/);
  });

  it('prints every error and warning with file:line:col and exits 1', () => {
    const root = makeProject({
      'metrics/a.yml': metric('a', 'colour: red\n'),
      'metrics/b.yml': 'name: b\ninterval: 10x\nquery: x\n',
      'profiles.yml': 'profiles:\n  dev:\n    type: mysql\n',
    });
    const r = run({ project: root });
    expect(r.code).toBe(1);
    const printed = r.out.split('\n').map((l) => l.replace(root + path.sep, ''));
    expect(printed).toEqual(
      expect.arrayContaining([
        "warning: metrics/a.yml:4:1: colour: unknown key 'colour': ignored; remove it or fix its spelling",
        expect.stringMatching(/^error: metrics\/b\.yml:2:11: interval: Unknown time unit: 'x'/),
        expect.stringMatching(
          /^error: profiles\.yml:3:11: profiles\.dev\.type: profile 'dev': database type 'mysql' is not supported/
        ),
        expect.stringMatching(/^✗ 2 metric files checked in .*: 2 errors, 1 warning$/),
      ])
    );
  });

  it('--select limits the metric files reported; --strict turns warnings into errors', () => {
    const root = makeProject({ 'metrics/a.yml': metric('a', 'colour: red\n'), 'metrics/b.yml': 'name: b\n' });
    expect(run({ project: root, select: ['a'] })).toMatchObject({ code: 0 });
    expect(run({ project: root, select: ['a'], strict: true })).toMatchObject({ code: 1 });
    expect(run({ project: root })).toMatchObject({ code: 1 });
  });
});
