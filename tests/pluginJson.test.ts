import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

/**
 * Every plugin.json (the app and its nested data source and panel) validates against Grafana's
 * published plugin.json schema (fixture: tests/fixtures/grafana, source noted there). The built
 * dist/ copies are checked too: `npm test` builds before it runs the tests.
 */
const ROOT = path.resolve(__dirname, '..');
const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'tests/fixtures/grafana/plugin.schema.json'), 'utf8'));
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validate = ajv.compile(schema);

const PLUGINS = [
  { dir: '', id: 'detectkit-anomaly-app', type: 'app' },
  { dir: 'datasource', id: 'detectkit-anomaly-datasource', type: 'datasource' },
  { dir: 'panels/bands', id: 'detectkit-bands-panel', type: 'panel' },
];

const read = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8'));

describe.each(['src', 'dist'])('%s plugin.json files', (base) => {
  const available = fs.existsSync(path.join(ROOT, base, 'plugin.json'));
  (available ? test.each(PLUGINS) : test.skip.each(PLUGINS))(
    "$id validates against Grafana's schema",
    ({ dir, id, type }) => {
      const json = read(path.join(ROOT, base, dir, 'plugin.json'));
      // create-plugin's build stamps `buildMode` into dist/plugin.json; the schema fixture (an older
      // stored copy, see SOURCE.md) predates that property, so it is checked separately.
      const { buildMode, ...rest } = json;
      if (base === 'dist') {
        expect(buildMode).toBe('production');
      }
      const ok = validate(rest);
      expect(validate.errors ?? []).toEqual([]);
      expect(ok).toBe(true);
      expect(json).toMatchObject({ id, type, dependencies: { grafanaDependency: '>=12.3.0' } });
      if (base === 'dist') {
        expect(fs.existsSync(path.join(ROOT, base, dir, 'module.js'))).toBe(true);
        expect(json.info.version).toMatch(/^\d+\.\d+\.\d+/);
        for (const logo of Object.values(json.info.logos) as string[]) {
          expect(fs.existsSync(path.join(ROOT, base, dir, logo))).toBe(true);
        }
      }
    }
  );
});

test('the app lists its nested data source and panel', () => {
  const app = read(path.join(ROOT, 'src/plugin.json'));
  const nested = app.includes.filter((i: { type: string }) => i.type === 'datasource' || i.type === 'panel');
  expect(nested).toEqual([
    expect.objectContaining({ type: 'datasource', path: 'datasource/plugin.json' }),
    expect.objectContaining({ type: 'panel', path: 'panels/bands/plugin.json' }),
  ]);
});

test('the schema rejects what Grafana rejects (the validator is not vacuous)', () => {
  expect(validate({ type: 'app', name: 'x', id: 'Not_Valid', info: {}, dependencies: {} })).toBe(false);
});

test('the grafana packages are pinned to 13.1.x', () => {
  const pkg = read(path.join(ROOT, 'package.json'));
  for (const name of ['@grafana/data', '@grafana/ui', '@grafana/runtime', '@grafana/schema', '@grafana/i18n']) {
    expect(pkg.dependencies[name]).toMatch(/^13\.1\.\d+$/);
  }
});

test('proxy routes: reads for Viewers, writes only through the app route and only for Editors', () => {
  type Route = { path: string; method?: string; reqRole?: string; headers?: unknown[] };
  const app = read(path.join(ROOT, 'src/plugin.json')).routes as Route[];
  const ds = read(path.join(ROOT, 'src/datasource/plugin.json')).routes as Route[];
  // The data source only reads: a route without a method would forward writes with the token to anyone who can
  // query the data source (Viewers included).
  expect(ds.map((r) => [r.method, r.reqRole])).toEqual([['GET', 'Viewer']]);
  const writes = app.filter((r) => r.method !== 'GET');
  expect(writes.length).toBeGreaterThan(0);
  for (const r of writes) {
    expect(r.method).toBeDefined();
    expect(r.reqRole).toBe('Editor');
  }
  expect(app.filter((r) => r.method === 'GET').map((r) => r.reqRole)).toEqual(['Viewer']);
});
