import fs from 'node:fs';
import path from 'node:path';
import { openTestStore } from '../../test/embedded';
import { writeProject } from '../../test/project';
import type { Store } from '../storage';
import { MetricCatalog } from './catalog';
import { MetricConfigStore } from './configStore';

const fileMetric = (name: string, interval = '1min') =>
  `name: ${name}\ninterval: ${interval}\nquery: SELECT 1\ndetectors:\n  - type: mad\n    params: {threshold: 2.5}\n`;

const uiDef = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  interval: '5min',
  query: "SELECT toDateTime('{{ dtk_start_time }}', 'UTC') AS timestamp, 1 AS value",
  detectors: [{ type: 'zscore', params: { threshold: 2 } }],
  ...extra,
});

/** Rejects with the DtkError thrown, for assertions on code and message. */
async function failure(
  p: Promise<unknown>
): Promise<{ code: string; message: string; details?: Record<string, unknown> }> {
  try {
    await p;
  } catch (e) {
    return e as { code: string; message: string };
  }
  throw new Error('expected a failure');
}

describe('MetricCatalog', () => {
  let store: Store;
  let close: () => Promise<void>;
  let root: string;
  let catalog: MetricCatalog;

  beforeEach(async () => {
    ({ store, close } = await openTestStore('cat'));
    root = writeProject({
      'metrics/a.yml': fileMetric('a'),
      'metrics/broken.yml': 'name: broken\ninterval: 7x\nquery: SELECT 1\n',
      'metrics/unreadable.yml': 'name: [unclosed\n',
    });
    catalog = await MetricCatalog.open({ root, store, uiEnv: { DTK_UI_TOKEN: 'from-env' } });
  });

  afterEach(async () => {
    await catalog.close();
    await close();
  });

  it('lists file metrics, valid and invalid, with their errors', () => {
    const byName = Object.fromEntries(catalog.list().map((e) => [e.name, e]));
    expect(Object.keys(byName).sort()).toEqual(['a', 'broken', 'metrics/unreadable.yml']);
    expect(byName.a).toMatchObject({ origin: 'file', relPath: 'metrics/a.yml', version: 0 });
    expect(byName.a!.loaded?.detectors[0]?.detector.identity.className).toBe('MADDetector');
    expect(byName.a!.definition).toEqual({
      name: 'a',
      interval: '1min',
      query: 'SELECT 1',
      detectors: [{ type: 'mad', params: { threshold: 2.5 } }],
    });
    expect(byName.broken!.loaded).toBeNull();
    expect(byName.broken!.error).toMatch(/metrics\/broken\.yml: interval: Unknown time unit: 'x'/);
    expect(byName['metrics/unreadable.yml']!.error).toMatch(/invalid YAML/);
  });

  it('creates, updates and deletes UI metrics as versions, and a deleted name can be created again', async () => {
    const created = await catalog.create(uiDef('u'), { author: 'alice', comment: 'first' });
    expect(created).toMatchObject({ name: 'u', origin: 'ui', relPath: 'ui:u', version: 1, author: 'alice' });
    expect(created.loaded?.intervalSeconds).toBe(300);
    expect(created.loaded?.relPath).toBe('ui:u');

    const updated = await catalog.update('u', uiDef('u', { interval: '10min' }), { author: 'bob', expectedVersion: 1 });
    expect(updated.version).toBe(2);
    expect(catalog.get('u')?.loaded?.intervalSeconds).toBe(600);

    expect(await catalog.remove('u', { author: 'carol' })).toEqual({ version: 3 });
    expect(catalog.get('u')).toBeUndefined();
    const again = await catalog.create(uiDef('u'), { author: 'dave' });
    expect(again.version).toBe(4);

    const history = await new MetricConfigStore(store).history('u');
    expect(history.map((h) => [h.version, h.deleted, h.author])).toEqual([
      [4, false, 'dave'],
      [3, true, 'carol'],
      [2, false, 'bob'],
      [1, false, 'alice'],
    ]);
    expect(history[3]!.comment).toBe('first');
  });

  it('refuses writes to file metrics, naming the file to edit', async () => {
    const create = await failure(catalog.create(uiDef('a'), { author: 'x' }));
    expect(create.code).toBe('conflict');
    expect(create.message).toMatch(/Metric 'a' is provisioned from metrics\/a\.yml and is read-only here/);
    for (const p of [
      catalog.update('a', uiDef('a'), { author: 'x' }),
      catalog.remove('a', { author: 'x' }),
      catalog.update('broken', uiDef('broken'), { author: 'x' }),
    ]) {
      const e = await failure(p);
      expect(e.code).toBe('conflict');
      expect(e.message).toMatch(/is provisioned from metrics\/(a|broken)\.yml/);
    }
  });

  it('refuses a second metric of the same name, a stale version and a rename', async () => {
    await catalog.create(uiDef('u'), { author: 'x' });
    expect((await failure(catalog.create(uiDef('u'), { author: 'y' }))).message).toMatch(
      /Metric 'u' already exists \(version 1, saved by x\)/
    );
    await catalog.update('u', uiDef('u'), { author: 'y' });
    const stale = await failure(catalog.update('u', uiDef('u'), { author: 'z', expectedVersion: 1 }));
    expect(stale.code).toBe('conflict');
    expect(stale.message).toMatch(/at version 2 \(saved by y\), not the version 1 you edited/);
    expect((await failure(catalog.remove('u', { author: 'z', expectedVersion: 1 }))).code).toBe('conflict');
    const rename = await failure(catalog.update('u', uiDef('v'), { author: 'z' }));
    expect(rename.code).toBe('usage');
    expect(rename.message).toMatch(/cannot be renamed/);
    expect((await failure(catalog.update('nope', uiDef('nope'), { author: 'z' }))).code).toBe('not_found');
    expect((await failure(catalog.remove('nope', { author: 'z' }))).code).toBe('not_found');
  });

  it('validates a UI definition like a file, with the same messages and key paths', async () => {
    const e = await failure(
      catalog.create(
        uiDef('bad', { interval: 'zz', detectors: [{ type: 'mad', params: { threshold: -1, wat: 1 } }] }),
        {
          author: 'x',
        }
      )
    );
    expect(e.code).toBe('config_invalid');
    const issues = (e.details as { issues: Array<{ path?: string; message: string }> }).issues;
    expect(issues.map((i) => i.path)).toEqual(expect.arrayContaining(['interval', 'detectors[0].params']));
    expect(issues.map((i) => i.message).join('\n')).toMatch(/threshold must be positive \(allowed: > 0\), got -1/);
    // The same content as a file fails with the same message.
    fs.writeFileSync(path.join(root, 'metrics/bad.yml'), 'name: bad\ninterval: zz\nquery: SELECT 1\n');
    await catalog.reload();
    const fileIssue = catalog.get('bad')!.issues.find((i) => i.path === 'interval')!;
    expect(issues.find((i) => i.path === 'interval')!.message).toBe(fileIssue.message);
  });

  it('gives a UI definition the detector ids of the float spelling of float parameters', async () => {
    fs.writeFileSync(
      path.join(root, 'metrics/f.yml'),
      'name: f\ninterval: 1min\nquery: SELECT 1\ndetectors:\n  - {type: zscore, params: {threshold: 2.0, window_size: 50}}\n  - {type: manual_bounds, params: {lower_bound: 1.0}}\n'
    );
    await catalog.reload();
    const ui = await catalog.create(
      uiDef('g', {
        detectors: [
          { type: 'zscore', params: { threshold: 2, window_size: 50 } },
          { type: 'manual_bounds', params: { lower_bound: 1 } },
        ],
      }),
      { author: 'x' }
    );
    const ids = (name: string) => catalog.get(name)!.loaded!.detectors.map((d) => d.detector.identity.id);
    expect(ui.loaded!.detectors.map((d) => d.detector.identity.paramsJson)).toEqual([
      '{"threshold":2.0,"window_size":50}',
      '{"lower_bound":1.0}',
    ]);
    expect(ids('g')).toEqual(ids('f'));
  });

  it('refuses keys named like inherited object members, and over-long names', async () => {
    const proto = await failure(
      catalog.create(
        { ...uiDef('k'), constructor: { x: 1 }, detectors: [{ type: 'mad', params: { toString: 1 } }] },
        { author: 'x' }
      )
    );
    expect(proto.code).toBe('config_invalid');
    expect((proto.details as { issues: Array<{ path: string }> }).issues.map((i) => i.path).sort()).toEqual([
      'constructor',
      'detectors[0].params.toString',
    ]);
    const long = await failure(catalog.create(uiDef('n'.repeat(201)), { author: 'x' }));
    expect(long.message).toMatch(/the metric name is 201 characters long; at most 200/);
    expect((await catalog.create(uiDef('n'.repeat(200)), { author: 'x' })).name).toHaveLength(200);
  });

  it('refuses query_file and reads only the environment it was given', async () => {
    const qf = await failure(
      catalog.create(uiDef('q', { query: undefined, query_file: 'sql/x.sql' }), { author: 'x' })
    );
    expect(qf.message).toMatch(/query_file is not available for metrics managed in the UI/);
    const prom = (token: string) =>
      uiDef('p', {
        query: undefined,
        source: { type: 'prometheus', url: 'http://127.0.0.1:9', query: 'up', bearer_token: token },
      });
    const leaked = await failure(catalog.create(prom('${HOME}'), { author: 'x' }));
    expect(leaked.message).toMatch(/environment variable HOME is not set/);
    const ok = await catalog.create(prom('${DTK_UI_TOKEN}'), { author: 'x' });
    expect(ok.loaded?.config.source).toMatchObject({ bearer_token: 'from-env' });
    expect(ok.definition).toMatchObject({ source: { bearer_token: '${DTK_UI_TOKEN}' } });
  });

  it('hides the process environment from UI definitions by default', async () => {
    const c = new MetricCatalog({ root, store, env: { HOME: '/root', DTK_UI_X: 'x' } });
    await c.load();
    try {
      const e = await failure(
        c.create(
          uiDef('h', {
            description: 'x',
            query: undefined,
            source: { type: 'scrape', url: 'http://${HOME}/', sample: 'up' },
          }),
          { author: 'x' }
        )
      );
      expect(e.message).toMatch(/environment variable HOME is not set.*read only DTK_UI_\* variables/);
      const ok = await c.create(
        uiDef('h', { query: undefined, source: { type: 'scrape', url: 'http://${DTK_UI_X}/', sample: 'up' } }),
        { author: 'x' }
      );
      expect(ok.loaded?.config.source).toMatchObject({ url: 'http://x/' });
    } finally {
      await c.close();
    }
  });

  it('notifies listeners on every change, and reload only when something changed', async () => {
    let changes = 0;
    const off = catalog.onChange(() => changes++);
    expect(await catalog.reload()).toBe(false);
    expect(changes).toBe(0);
    await catalog.create(uiDef('u'), { author: 'x' });
    expect(changes).toBe(1);
    // A comment in a file changes nothing that runs.
    fs.appendFileSync(path.join(root, 'metrics/a.yml'), '# a comment\n');
    expect(await catalog.reload()).toBe(false);
    fs.writeFileSync(path.join(root, 'metrics/a.yml'), fileMetric('a', '2min'));
    expect(await catalog.reload()).toBe(true);
    expect(catalog.get('a')?.loaded?.intervalSeconds).toBe(120);
    fs.rmSync(path.join(root, 'metrics/broken.yml'));
    expect(await catalog.reload()).toBe(true);
    expect(catalog.get('broken')).toBeUndefined();
    expect(changes).toBe(3);
    off();
    fs.writeFileSync(path.join(root, 'metrics/c.yml'), fileMetric('c'));
    expect(await catalog.reload()).toBe(true);
    expect(changes).toBe(3);
  });

  it('sees the writes of another replica on reload', async () => {
    const other = await MetricCatalog.open({ root, store });
    try {
      await other.create(uiDef('remote'), { author: 'replica-2' });
      expect(catalog.get('remote')).toBeUndefined();
      expect(await catalog.reload()).toBe(true);
      expect(catalog.get('remote')).toMatchObject({ version: 1, author: 'replica-2' });
      // The stale replica's write with a stale version is refused, not silently overwriting.
      await other.update('remote', uiDef('remote', { interval: '1h' }), { author: 'replica-2' });
      const e = await failure(catalog.update('remote', uiDef('remote'), { author: 'replica-1', expectedVersion: 1 }));
      expect(e.code).toBe('conflict');
      await other.remove('remote', { author: 'replica-2' });
      expect(await catalog.reload()).toBe(true);
      expect(catalog.get('remote')).toBeUndefined();
    } finally {
      await other.close();
    }
  });

  it('keeps the previous set when the project becomes unloadable, and reports it', async () => {
    const before = catalog.list().length;
    fs.writeFileSync(path.join(root, 'detectkit_project.yml'), 'name: [broken\n');
    expect(await catalog.reload()).toBe(false);
    expect(catalog.lastError).toMatch(/project files:/);
    expect(catalog.list()).toHaveLength(before);
    fs.writeFileSync(path.join(root, 'detectkit_project.yml'), 'name: p\ndefault_profile: local\n');
    await catalog.reload();
    expect(catalog.lastError).toBeNull();
  });

  it('lets a file that appears under a UI metric name win, and the UI one be deleted', async () => {
    await catalog.create(uiDef('dup'), { author: 'x' });
    fs.writeFileSync(path.join(root, 'metrics/dup.yml'), fileMetric('dup'));
    await catalog.reload();
    expect(catalog.get('dup')).toMatchObject({ origin: 'file' });
    const shadowed = catalog.list().find((e) => e.name === 'dup' && e.origin === 'ui')!;
    expect(shadowed.loaded).toBeNull();
    expect(shadowed.error).toMatch(/shadowed by the provisioned file metrics\/dup\.yml/);
    await catalog.remove('dup', { author: 'x' });
    expect(
      catalog
        .list()
        .filter((e) => e.name === 'dup')
        .map((e) => e.origin)
    ).toEqual(['file']);
  });

  it('resolves a fan-out series name to its Prometheus definition only', async () => {
    await catalog.create(
      uiDef('cpu', {
        query: undefined,
        source: { type: 'prometheus', url: 'http://127.0.0.1:9', query: 'rate(x[5m])' },
      }),
      { author: 'x' }
    );
    expect(catalog.resolve('cpu{instance="a:9100",job="node"}')?.name).toBe('cpu');
    expect(catalog.resolve('a{instance="x"}')).toBeUndefined();
    expect(catalog.resolve('cpu{')).toBeUndefined();
  });

  it('watches files and the configs table, and reloads on its own', async () => {
    const other = await MetricCatalog.open({ root, store });
    const changed = new Promise<void>((resolve) => catalog.onChange(resolve));
    catalog.watch({ pollMs: 100 });
    try {
      await other.create(uiDef('watched'), { author: 'replica-2' });
      await changed;
      expect(catalog.get('watched')?.author).toBe('replica-2');
    } finally {
      await other.close();
    }
  });
});
