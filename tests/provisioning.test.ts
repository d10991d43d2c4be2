import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { loadProject, selectProfile } from '../service/src/config';
import { DEMO_TABLE } from '../service/src/demo/demoData';

/**
 * The docker-compose stack, checked without Docker (none here): every provisioning file parses; the dashboard
 * only names panel and data source types and uids that exist; what docker-compose.yaml mounts or builds exists;
 * every service has a healthcheck and every dependency waits on one; every compose variable has a default; the
 * Dockerfile copies what exists and what .dockerignore lets through, and the image holds every package the
 * service imports; the compose project validates with dtk's own loader. The checks are plain functions over
 * the parsed files, and the last block feeds them broken inputs to show that each one can fail.
 */

const ROOT = path.resolve(__dirname, '..');
const rel = (...parts: string[]) => path.join(ROOT, ...parts);
const read = (file: string) => fs.readFileSync(file, 'utf8');

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const obj = (v: unknown): Obj => (isObj(v) ? v : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** YAML as Grafana, Prometheus and compose read it, but strict: syntax errors and duplicate keys fail. */
function parseYamlStrict(text: string, file: string): unknown {
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  const errors = [...doc.errors, ...doc.warnings].map((e) => `${file}: ${e.message}`);
  if (errors.length) {
    throw new Error(errors.join('\n'));
  }
  return doc.toJS({ maxAliasCount: 100 });
}
const loadYaml = (file: string) => parseYamlStrict(read(file), path.relative(ROOT, file));
const loadJson = (file: string): unknown => JSON.parse(read(file));

function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) {
    return [];
  }
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? (e.name === '.dtk' || e.name === 'node_modules' ? [] : walk(p)) : [p];
  });
}

/** Every string value of a parsed document (not keys, not comments), with its path. */
function strings(v: unknown, at = ''): Array<{ at: string; value: string }> {
  if (typeof v === 'string') {
    return [{ at, value: v }];
  }
  if (Array.isArray(v)) {
    return v.flatMap((x, i) => strings(x, `${at}[${i}]`));
  }
  if (isObj(v)) {
    return Object.entries(v).flatMap(([k, x]) => strings(x, at ? `${at}.${k}` : k));
  }
  return [];
}

// ---------------------------------------------------------------------------------------------------------
// Checks: pure functions returning the problems found (empty = fine).

/** Compose interpolation: `${VAR}` without a default, `${VAR:?err}` and bare `$VAR` need the caller's environment. */
export function composeVariableProblems(compose: unknown): string[] {
  const problems: string[] = [];
  for (const { at, value } of strings(compose)) {
    const text = value.replace(/\$\$/g, ''); // `$$` is a literal `$` for the container
    for (const m of text.matchAll(/\$\{([^}]*)\}/g)) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*:?-/.test(m[1] ?? '')) {
        problems.push(`${at}: \${${m[1]}} has no default (write \${${m[1]}:-value})`);
      }
    }
    for (const m of text.matchAll(/\$([A-Za-z_][A-Za-z0-9_]*)/g)) {
      problems.push(`${at}: $${m[1]} has no default (write \${${m[1]}:-value}, or $$${m[1]} for the container)`);
    }
  }
  return problems;
}

/** Resolves compose's `${VAR:-default}` / `${VAR-default}` with an empty environment, `$$` to `$`. */
export function composeDefaults(value: string): string {
  return value.replace(/\$\{[A-Za-z_][A-Za-z0-9_]*:?-([^}]*)\}/g, '$1').replace(/\$\$/g, '$');
}

interface ComposeContext {
  /** Directory of the compose file (bind sources and build contexts are relative to it). */
  dir: string;
  exists: (absolutePath: string) => boolean;
  /** Reads another compose file for `extends`. */
  load: (absolutePath: string) => unknown;
}

const hasHealthcheck = (svc: Obj) => {
  const hc = obj(svc.healthcheck);
  const test = hc.test;
  return (
    hc.disable !== true &&
    (typeof test === 'string' ? test.length > 0 : arr(test).length > 0 && arr(test)[0] !== 'NONE')
  );
};
const isOneShot = (svc: Obj) =>
  obj(svc.healthcheck).disable === true && [undefined, 'no'].includes(svc.restart as string);

/** A service merged with what it `extends` (the local keys win), each side's paths resolved from its own file. */
interface ResolvedService {
  name: string;
  merged: Obj;
  /** [compose dir, service definition] of this file and of every file it extends. */
  layers: Array<[string, Obj]>;
}

function resolveService(name: string, svc: Obj, ctx: ComposeContext, problems: string[]): ResolvedService {
  const layers: Array<[string, Obj]> = [[ctx.dir, svc]];
  let merged: Obj = { ...svc };
  const ext = obj(svc.extends);
  if (Object.keys(ext).length) {
    const file = path.resolve(ctx.dir, str(ext.file));
    if (!ctx.exists(file)) {
      problems.push(`${name}: extends file ${str(ext.file)} does not exist`);
    } else {
      const base = obj(obj(obj(ctx.load(file)).services)[str(ext.service)]);
      if (!Object.keys(base).length) {
        problems.push(`${name}: extends service ${str(ext.service)} is not in ${str(ext.file)}`);
      }
      layers.push([path.dirname(file), base]);
      merged = { ...base, ...svc, environment: { ...obj(base.environment), ...obj(svc.environment) } };
    }
  }
  return { name, merged, layers };
}

export function composeProblems(compose: unknown, ctx: ComposeContext): string[] {
  const problems: string[] = [...composeVariableProblems(compose)];
  const file = obj(compose);
  const services = obj(file.services);
  const namedVolumes = new Set(Object.keys(obj(file.volumes)));
  if (!Object.keys(services).length) {
    return [...problems, 'no services'];
  }
  const resolved = new Map(
    Object.entries(services).map(([name, svc]) => [name, resolveService(name, obj(svc), ctx, problems)])
  );

  for (const { name, merged, layers } of resolved.values()) {
    if (!hasHealthcheck(merged) && !isOneShot(merged)) {
      problems.push(`${name}: no healthcheck (a one-shot job says healthcheck.disable: true and restart: "no")`);
    }
    // depends_on: always with a condition the target can meet.
    const deps = merged.depends_on;
    if (Array.isArray(deps)) {
      problems.push(`${name}: depends_on without conditions; use condition: service_healthy`);
    }
    for (const [dep, spec] of Object.entries(obj(deps))) {
      const target = resolved.get(dep);
      const condition = str(obj(spec).condition);
      if (!target) {
        problems.push(`${name}: depends on unknown service ${dep}`);
        continue;
      }
      if (condition === 'service_healthy' && !hasHealthcheck(target.merged)) {
        problems.push(`${name}: waits for ${dep} to be healthy, but ${dep} has no healthcheck`);
      } else if (condition === 'service_completed_successfully' && !isOneShot(target.merged)) {
        problems.push(`${name}: waits for ${dep} to complete, but ${dep} is not a one-shot job`);
      } else if (!['service_healthy', 'service_completed_successfully'].includes(condition)) {
        problems.push(`${name}: depends on ${dep} with condition "${condition}"; wait for service_healthy`);
      }
      if (!arr(merged.profiles).length && arr(target.merged.profiles).length) {
        problems.push(`${name}: runs in every profile but depends on ${dep}, which only runs in a profile`);
      }
    }
    // One-shot jobs must only be awaited to completion, or compose would wait for a health that never comes.
    if (isOneShot(merged)) {
      for (const other of resolved.values()) {
        const cond = str(obj(obj(other.merged.depends_on)[name]).condition);
        if (cond && cond !== 'service_completed_successfully') {
          problems.push(`${other.name}: waits for one-shot job ${name} with ${cond}`);
        }
      }
    }
    // Mounts and builds, each relative to the file that declares it.
    for (const [dir, layer] of layers) {
      for (const v of arr(layer.volumes)) {
        const source = typeof v === 'string' ? (composeDefaults(v).split(':')[0] ?? '') : str(obj(v).source);
        if (/^[./~]/.test(source)) {
          if (!ctx.exists(path.resolve(dir, source))) {
            problems.push(`${name}: mounts ${source}, which does not exist (${path.resolve(dir, source)})`);
          }
        } else if (source && !namedVolumes.has(source) && dir === ctx.dir) {
          problems.push(`${name}: volume ${source} is not declared under volumes:`);
        }
      }
      const build = layer.build;
      if (build !== undefined) {
        const context = path.resolve(dir, typeof build === 'string' ? build : str(obj(build).context) || '.');
        const dockerfile = path.resolve(context, (isObj(build) && str(build.dockerfile)) || 'Dockerfile');
        if (!ctx.exists(context)) {
          problems.push(`${name}: build context ${context} does not exist`);
        }
        if (!ctx.exists(dockerfile)) {
          problems.push(`${name}: ${dockerfile} does not exist`);
        }
      }
    }
  }
  return problems;
}

/** .dockerignore: last matching pattern wins; a pattern matching a directory applies to everything in it. */
export function dockerIgnored(patterns: string[], file: string): boolean {
  const toRegex = (p: string) =>
    new RegExp(
      `^${p
        .replace(/\/+$/, '')
        .replace(/^\/+/, '')
        .split('/')
        .map((seg) =>
          seg === '**'
            ? '.*'
            : seg
                .replace(/[.+^${}()|[\]\\]/g, '\\$&')
                .replace(/\*/g, '[^/]*')
                .replace(/\?/g, '[^/]')
        )
        .join('/')
        .replace(/\.\*\//g, '(?:.*/)?')}$`
    );
  const parts = file.split('/');
  const prefixes = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
  let ignored = false;
  for (const raw of patterns) {
    const negate = raw.startsWith('!');
    const re = toRegex(negate ? raw.slice(1) : raw);
    if (prefixes.some((p) => re.test(p))) {
      ignored = !negate;
    }
  }
  return ignored;
}

export const dockerIgnorePatterns = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));

interface DockerInstruction {
  op: string;
  args: string;
}

export function dockerInstructions(text: string): DockerInstruction[] {
  const joined = text.replace(/\\\r?\n/g, ' ');
  return joined
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const m = /^(\w+)\s+(.*)$/.exec(l);
      return { op: (m?.[1] ?? l).toUpperCase(), args: m?.[2] ?? '' };
    });
}

/** Source paths of a COPY/ADD (flags and the destination left out), relative to the context. */
const copySources = (c: DockerInstruction) =>
  c.args
    .split(/\s+/)
    .filter((w) => !w.startsWith('--'))
    .slice(0, -1)
    .map((src) => src.replace(/^\.\//, '').replace(/\/+$/, ''));

/** The Dockerfile of the service image against the repository and .dockerignore. */
export function dockerfileProblems(text: string, ignore: string[], exists: (relPath: string) => boolean): string[] {
  const problems: string[] = [];
  const ins = dockerInstructions(text);
  const copies = ins.filter((i) => (i.op === 'COPY' || i.op === 'ADD') && !/--from=/.test(i.args));
  for (const c of copies) {
    for (const src of copySources(c)) {
      if (!exists(src)) {
        problems.push(`${c.op} ${src}/: does not exist`);
      } else if (dockerIgnored(ignore, src)) {
        problems.push(`${c.op} ${src}/: excluded by .dockerignore, so the build cannot see it`);
      }
    }
  }
  const user = ins.filter((i) => i.op === 'USER').pop();
  if (!user || /^(root|0)(:|$)/.test(user.args)) {
    problems.push('the image runs as root: add a USER');
  }
  if (!ins.some((i) => i.op === 'HEALTHCHECK' && /\/api\/(health|ready)/.test(i.args))) {
    problems.push('no HEALTHCHECK against /api/health');
  }
  const entry = ins.filter((i) => i.op === 'ENTRYPOINT').pop();
  let entryArgs: unknown = null;
  try {
    entryArgs = entry ? JSON.parse(entry.args) : null;
  } catch {
    entryArgs = null;
  }
  const script = arr(entryArgs)[1];
  if (!Array.isArray(entryArgs) || entryArgs[0] !== 'node' || typeof script !== 'string') {
    problems.push('ENTRYPOINT is not ["node", "<script>"] in exec form');
  } else if (!copies.some((c) => copySources(c).some((src) => src && script.startsWith(src)))) {
    problems.push(`ENTRYPOINT runs ${script}, which no COPY puts in the image`);
  }
  return problems;
}

/** Panel and data source references of a dashboard against what exists. */
export function dashboardProblems(
  dashboard: unknown,
  known: { panelTypes: Set<string>; datasources: Map<string, string>; metrics: Set<string> }
): string[] {
  const problems: string[] = [];
  const d = obj(dashboard);
  const uid = str(d.uid);
  if (!uid || uid.length > 40) {
    problems.push(`uid "${uid}" must be 1–40 characters`);
  }
  const schema = d.schemaVersion;
  if (typeof schema !== 'number' || schema < 39 || schema > 42) {
    problems.push(`schemaVersion ${String(schema)}: use one Grafana 12.3+ knows without a newer release (39–42)`);
  }
  const variables = arr(obj(d.templating).list).map(obj);
  const varNames = new Set(variables.map((v) => str(v.name)));
  const builtinDs = new Map([['-- Grafana --', 'grafana']]);

  const checkDs = (where: string, ref: unknown) => {
    if (ref === undefined || ref === null) {
      return;
    }
    const r = obj(ref);
    const type = builtinDs.get(str(r.uid)) ?? known.datasources.get(str(r.uid));
    if (!type) {
      problems.push(`${where}: data source uid "${str(r.uid)}" is not provisioned`);
    } else if (str(r.type) !== type) {
      problems.push(`${where}: data source ${str(r.uid)} is of type ${type}, not ${str(r.type)}`);
    }
  };
  const checkVars = (where: string, v: unknown) => {
    for (const { at, value } of strings(v)) {
      for (const m of value.matchAll(/\$(?:\{([A-Za-z_]\w*)[^}]*\}|([A-Za-z_]\w*))/g)) {
        const name = m[1] ?? m[2] ?? '';
        if (!name.startsWith('__') && !varNames.has(name)) {
          problems.push(`${where}${at ? `.${at}` : ''}: $${name} is not a dashboard variable`);
        }
      }
    }
  };
  const checkMetric = (where: string, target: Obj, dsUid: string) => {
    if (known.datasources.get(dsUid) !== 'detectkit-anomaly-datasource') {
      return;
    }
    const metric = str(target.metric);
    if (!metric) {
      problems.push(`${where}: a query of the anomaly data source needs a metric`);
    } else if (!metric.startsWith('$') && !known.metrics.has(metric)) {
      problems.push(`${where}: metric ${metric} is not defined in the project`);
    }
  };

  for (const v of variables) {
    checkDs(`variable ${str(v.name)}`, v.datasource);
  }
  for (const [i, a] of arr(obj(d.annotations).list).map(obj).entries()) {
    checkDs(`annotation ${i}`, a.datasource);
    if (a.target) {
      checkVars(`annotation ${i}`, a.target);
      checkMetric(`annotation ${i}`, obj(a.target), str(obj(a.datasource).uid));
    }
  }
  const panels = arr(d.panels)
    .map(obj)
    .flatMap((p) => [p, ...arr(p.panels).map(obj)]);
  if (!panels.length) {
    problems.push('no panels');
  }
  const ids = new Set<number>();
  for (const p of panels) {
    const where = `panel ${String(p.id)} (${str(p.title)})`;
    if (typeof p.id !== 'number' || ids.has(p.id)) {
      problems.push(`${where}: ids must be unique numbers`);
    }
    ids.add(p.id as number);
    if (!known.panelTypes.has(str(p.type))) {
      problems.push(`${where}: panel type ${str(p.type)} does not exist`);
    }
    const grid = obj(p.gridPos);
    if ((grid.x as number) + (grid.w as number) > 24) {
      problems.push(`${where}: gridPos is wider than the 24 columns`);
    }
    if (p.repeat !== undefined && !varNames.has(str(p.repeat))) {
      problems.push(`${where}: repeats over unknown variable ${str(p.repeat)}`);
    }
    checkVars(where, p.title);
    checkDs(where, p.datasource);
    for (const t of arr(p.targets).map(obj)) {
      const ds = t.datasource ?? p.datasource;
      checkDs(`${where} query ${str(t.refId)}`, ds);
      checkVars(`${where} query ${str(t.refId)}`, t);
      checkMetric(`${where} query ${str(t.refId)}`, t, str(obj(ds).uid));
    }
  }
  return problems;
}

/** Minimal XML well-formedness: tags nest and close (comments, declarations and self-closing tags aside). */
export function xmlProblems(text: string): string[] {
  const stack: string[] = [];
  const body = text.replace(/<!--[\s\S]*?-->/g, '').replace(/<\?[\s\S]*?\?>/g, '');
  for (const m of body.matchAll(/<(\/?)([A-Za-z_][\w.-]*)[^>]*?(\/?)>/g)) {
    const [, close, name = '', selfClose] = m;
    if (selfClose) {
      continue;
    }
    if (!close) {
      stack.push(name);
    } else if (stack.pop() !== name) {
      return [`</${name}> does not close the open element`];
    }
  }
  return stack.length ? [`<${stack.join('>, <')}> never closed`] : [];
}

/** Packages a module graph needs at run time, from an entry file along its relative imports. */
export function runtimePackages(entry: string): Map<string, string> {
  const found = new Map<string, string>(); // package -> first importing file
  const seen = new Set<string>();
  const resolveRel = (from: string, spec: string) => {
    const base = path.resolve(path.dirname(from), spec);
    return [
      base,
      `${base}.ts`,
      `${base}.tsx`,
      `${base}.js`,
      path.join(base, 'index.ts'),
      path.join(base, 'index.js'),
    ].find((p) => fs.existsSync(p) && fs.statSync(p).isFile());
  };
  const queue = [entry];
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file)) {
      continue;
    }
    seen.add(file);
    const src = read(file)
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/^\s*\/\/.*$/gm, '');
    const specs = [
      ...[...src.matchAll(/^\s*(?:import|export)\s+(?!type\b)[^;]*?\bfrom\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]),
      ...[...src.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]),
      ...[...src.matchAll(/\b(?:require|import)\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]),
    ].filter((s): s is string => Boolean(s));
    for (const spec of specs) {
      if (spec.startsWith('.')) {
        const target = resolveRel(file, spec);
        if (target && !target.endsWith('.json')) {
          queue.push(target);
        }
      } else if (!spec.startsWith('node:') && !builtinModules.includes(spec)) {
        const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] ?? spec);
        if (!found.has(name)) {
          found.set(name, path.relative(ROOT, file));
        }
      }
    }
  }
  return found;
}

// ---------------------------------------------------------------------------------------------------------
// The repository's files.

const COMPOSE_FILE = rel('docker-compose.yaml');
const compose = obj(loadYaml(COMPOSE_FILE));
const services = obj(compose.services);
const service = (name: string) => obj(services[name]);
const envOf = (name: string): Record<string, string> =>
  Object.fromEntries(Object.entries(obj(service(name).environment)).map(([k, v]) => [k, composeDefaults(String(v))]));

const pluginJsons = walk(rel('src'))
  .filter((f) => path.basename(f) === 'plugin.json')
  .map((f) => obj(loadJson(f)));
const pluginIds = (type: string) => new Set(pluginJsons.filter((p) => p.type === type).map((p) => str(p.id)));
const appPlugin = pluginJsons.find((p) => p.type === 'app') ?? {};
const dsPlugin = pluginJsons.find((p) => p.type === 'datasource') ?? {};

const datasourcesFile = obj(loadYaml(rel('provisioning/datasources/datasources.yml')));
const datasources = arr(datasourcesFile.datasources).map(obj);
const datasourceTypes = new Map(datasources.map((d) => [str(d.uid), str(d.type)]));
const appsFile = obj(loadYaml(rel('provisioning/plugins/apps.yaml')));

const DASHBOARDS_DIR = rel('provisioning/dashboards');
const providers = arr(obj(loadYaml(path.join(DASHBOARDS_DIR, 'dashboards.yaml'))).providers).map(obj);

const DEMO_METRICS_DIR = rel('provisioning/detectkit/metrics');
const demoMetricNames = walk(DEMO_METRICS_DIR)
  .filter((f) => /\.ya?ml$/.test(f))
  .map((f) => str(obj(loadYaml(f)).name))
  .sort();

/** Grafana's own panels the dashboards may use. */
const CORE_PANELS = ['timeseries', 'table', 'stat', 'text', 'row', 'bargauge', 'gauge', 'state-timeline'];
/** Data source types built into Grafana. */
const CORE_DATASOURCES = ['prometheus', 'alertmanager', 'loki', 'tempo', 'grafana', 'grafana-testdata-datasource'];

/** Plugins the compose Grafana installs from the catalog (GF_PLUGINS_PREINSTALL[_SYNC], GF_INSTALL_PLUGINS). */
const preinstalled = new Set(
  ['GF_PLUGINS_PREINSTALL_SYNC', 'GF_PLUGINS_PREINSTALL', 'GF_INSTALL_PLUGINS']
    .flatMap((k) => (envOf('grafana')[k] ?? '').split(','))
    .map((s) => s.trim().split(/[@:]/)[0] ?? '')
    .filter(Boolean)
);

/** The `dtk` service's --flag value from its compose command. */
const dtkFlag = (svc: string, flag: string) => {
  const cmd = arr(service(svc).command).map((c) => composeDefaults(String(c)));
  const i = cmd.indexOf(flag);
  return i >= 0 ? cmd[i + 1] : undefined;
};

// ---------------------------------------------------------------------------------------------------------

describe('every provisioning file parses', () => {
  const files = [
    COMPOSE_FILE,
    ...[
      'plugins',
      'datasources',
      'dashboards',
      'prometheus',
      'alertmanager',
      'detectkit-compose',
      'clickhouse',
    ].flatMap((d) => walk(rel('provisioning', d))),
  ].filter((f) => /\.(ya?ml|json|xml)$/.test(f));

  test('the stack has its files', () => {
    const names = files.map((f) => path.relative(ROOT, f));
    for (const expected of [
      'provisioning/plugins/apps.yaml',
      'provisioning/datasources/datasources.yml',
      'provisioning/dashboards/dashboards.yaml',
      'provisioning/prometheus/prometheus.yml',
      'provisioning/alertmanager/alertmanager.yml',
      'provisioning/clickhouse/users.d/grafana.xml',
      'provisioning/detectkit-compose/profiles.yml',
    ]) {
      expect(names).toContain(expected);
    }
  });

  test.each(files.map((f) => [path.relative(ROOT, f), f]))('%s', (_name, file) => {
    if (file.endsWith('.json')) {
      expect(() => loadJson(file)).not.toThrow();
    } else if (file.endsWith('.xml')) {
      expect(xmlProblems(read(file))).toEqual([]);
    } else {
      expect(() => loadYaml(file)).not.toThrow();
    }
  });
});

describe('docker-compose.yaml', () => {
  const ctx: ComposeContext = { dir: ROOT, exists: (p) => fs.existsSync(p), load: (p) => loadYaml(p) };
  const dist = rel('dist');
  // dist/ is the plugin build (`npm run build`, which `npm test` runs first); the mount check needs it.
  const problems = composeProblems(compose, ctx);
  const distProblems = problems.filter((p) => p.includes(`(${dist})`));

  test('mounts and builds only what exists, waits only on healthchecks, has a default for every variable', () => {
    expect(problems.filter((p) => !distProblems.includes(p))).toEqual([]);
  });

  (fs.existsSync(dist) ? test : test.skip)('mounts the built plugin (dist/)', () => {
    expect(distProblems).toEqual([]);
  });

  test('runs Grafana, ClickHouse and dtk by default, Prometheus, node-exporter and Alertmanager in a profile', () => {
    const inProfile = (name: string) => arr(service(name).profiles).includes('prometheus');
    for (const name of ['grafana', 'clickhouse', 'dtk', 'dtk-demo-data']) {
      expect([name, inProfile(name)]).toEqual([name, false]);
    }
    for (const name of ['prometheus', 'node-exporter', 'alertmanager']) {
      expect([name, inProfile(name)]).toEqual([name, true]);
      expect(str(service(name).image)).toMatch(/^prom\//);
    }
    expect(str(service('clickhouse').image)).toMatch(/^clickhouse\/clickhouse-server:/);
    expect(obj(service('grafana').extends)).toEqual({ file: '.config/docker-compose-base.yaml', service: 'grafana' });
  });

  test('Grafana loads the three unsigned plugins and installs every external data source it provisions', () => {
    const unsigned = (envOf('grafana').GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS ?? '').split(',');
    expect(new Set(unsigned)).toEqual(new Set(pluginJsons.map((p) => str(p.id))));
    for (const d of datasources) {
      const type = str(d.type);
      if (!pluginIds('datasource').has(type) && !CORE_DATASOURCES.includes(type)) {
        expect([d.name, preinstalled.has(type)]).toEqual([d.name, true]);
      }
    }
  });

  test('one development token everywhere, long enough for dtk, and the same in the browser tests', () => {
    const defaults = new Set(
      strings(compose).flatMap(({ value }) =>
        [...value.matchAll(/\$\{DTK_API_TOKEN:-([^}]*)\}/g)].map((m) => m[1] ?? '')
      )
    );
    expect(defaults.size).toBe(1);
    const token = [...defaults][0] ?? '';
    expect(token.length).toBeGreaterThanOrEqual(16); // dtk serve refuses shorter tokens
    expect(token).toMatch(/dev/); // visibly a development value
    expect(read(rel('tests/fixtures.ts'))).toContain(`DEV_API_TOKEN = '${token}'`);
    for (const name of ['grafana', 'dtk', 'dtk-demo-data']) {
      expect([name, envOf(name).DTK_API_TOKEN]).toEqual([name, token]);
    }
  });

  test('dtk serves the compose project on the port Grafana and the healthcheck use', () => {
    const project = dtkFlag('dtk', '--project') ?? '';
    expect(project).toMatch(/^\/app\//);
    expect(dtkFlag('dtk-demo-data', '--project')).toBe(project);
    expect(fs.existsSync(rel(project.replace(/^\/app\//, ''), 'profiles.yml'))).toBe(true);
    const port = dtkFlag('dtk', '--port') ?? '8080';
    expect(JSON.stringify(obj(service('dtk').healthcheck).test)).toContain(`127.0.0.1:${port}/api/`);
    const urls = [
      str(obj(arr(appsFile.apps).map(obj)[0]?.jsonData).serviceUrl),
      ...datasources.filter((d) => d.type === dsPlugin.id).map((d) => str(obj(d.jsonData).serviceUrl)),
    ];
    expect(urls.length).toBeGreaterThanOrEqual(2);
    for (const url of urls) {
      expect(url).toBe(`http://dtk:${port}`);
    }
  });

  test('the Prometheus profile scrapes compose services, with the token file its entrypoint writes', () => {
    const prom = obj(loadYaml(rel('provisioning/prometheus/prometheus.yml')));
    for (const job of arr(prom.scrape_configs).map(obj)) {
      for (const target of arr(obj(arr(job.static_configs)[0]).targets).map(String)) {
        const host = target.split(':')[0] ?? '';
        expect([job.job_name, host === 'localhost' || host in services]).toEqual([job.job_name, true]);
      }
      const file = str(obj(job.authorization).credentials_file);
      if (file) {
        expect(JSON.stringify(service('prometheus').entrypoint)).toContain(`> ${file}`);
      }
    }
    const am = arr(obj(arr(obj(prom.alerting).alertmanagers)[0]).static_configs).map(obj);
    expect(String(arr(am[0]?.targets)[0])).toBe('alertmanager:9093');
  });
});

describe('Grafana provisioning', () => {
  const grafanaEnv = envOf('grafana');

  test('every ${VAR} Grafana expands in its provisioning files is set in its compose environment', () => {
    const files = ['plugins', 'datasources', 'dashboards'].flatMap((d) => walk(rel('provisioning', d)));
    const missing = files.flatMap((f) =>
      [
        ...read(f)
          .replace(/^\s*#.*$/gm, '')
          .matchAll(/\$\{([A-Za-z_]\w*)\}/g),
      ]
        .map((m) => m[1] ?? '')
        .filter((v) => !(v in grafanaEnv))
        .map((v) => `${path.relative(ROOT, f)}: ${v}`)
    );
    expect(missing).toEqual([]);
  });

  test('the app is enabled with every key its proxy route templates read', () => {
    const apps = arr(appsFile.apps).map(obj);
    expect(apps).toHaveLength(1);
    const app = apps[0] ?? {};
    expect(app).toMatchObject({ type: appPlugin.id, disabled: false });
    expect(routeKeys(appPlugin, 'JsonData').every((k) => k in obj(app.jsonData))).toBe(true);
    expect(routeKeys(appPlugin, 'SecureJsonData').every((k) => k in obj(app.secureJsonData))).toBe(true);
    expect(obj(app.secureJsonData).serviceToken).toBe('${DTK_API_TOKEN}');
  });

  test('data sources: unique uids, known types, the nested one with every key its route reads', () => {
    expect(new Set(datasources.map((d) => d.uid)).size).toBe(datasources.length);
    expect(datasources.filter((d) => d.isDefault === true).length).toBeLessThanOrEqual(1);
    const anomaly = datasources.filter((d) => d.type === dsPlugin.id);
    expect(anomaly).toHaveLength(1);
    const ds = anomaly[0] ?? {};
    expect(routeKeys(dsPlugin, 'JsonData').length).toBeGreaterThan(0);
    expect(routeKeys(dsPlugin, 'JsonData').filter((k) => !(k in obj(ds.jsonData)))).toEqual([]);
    expect(routeKeys(dsPlugin, 'SecureJsonData').filter((k) => !(k in obj(ds.secureJsonData)))).toEqual([]);
    for (const d of datasources) {
      const type = str(d.type);
      const known = pluginIds('datasource').has(type) || CORE_DATASOURCES.includes(type) || preinstalled.has(type);
      expect([d.name, known]).toEqual([d.name, true]);
      const url = str(d.url) || (d.type === dsPlugin.id ? str(obj(d.jsonData).serviceUrl) : '');
      if (url) {
        expect([d.name, new URL(url).hostname in services]).toEqual([d.name, true]);
      }
    }
  });

  test('the ClickHouse data source reaches the compose server as the read-only user the server defines', () => {
    const ch = datasources.find((d) => d.type === 'grafana-clickhouse-datasource');
    const jsonData = obj(ch?.jsonData);
    expect(jsonData).toMatchObject({ host: 'clickhouse', port: 9000, protocol: 'native', username: 'grafana' });
    const xml = read(rel('provisioning/clickhouse/users.d/grafana.xml'));
    expect(xml).toContain(`<${str(jsonData.username)}>`);
    const envName = /<password from_env="(\w+)"/.exec(xml)?.[1] ?? '';
    expect(envName).not.toBe('');
    expect(Object.keys(envOf('clickhouse'))).toContain(envName);
    expect(obj(ch?.secureJsonData).password).toBe(`\${${envName}}`);
    expect(envOf('clickhouse')[envName]).toBe(grafanaEnv[envName]);
    // The server reads the XML from users.d.
    expect(arr(service('clickhouse').volumes).join('\n')).toContain(
      './provisioning/clickhouse/users.d/grafana.xml:/etc/clickhouse-server/users.d/grafana.xml'
    );
    expect(xml).toMatch(/<readonly>1<\/readonly>/);
  });

  test('the dashboards provider reads the folder its JSON files are in, as Grafana sees it', () => {
    expect(providers).toHaveLength(1);
    const base = obj(loadYaml(rel('.config/docker-compose-base.yaml')));
    const mount = arr(obj(obj(base.services).grafana).volumes).map(String);
    const provisioningMount = mount.find((v) => v.startsWith('../provisioning:'));
    expect(provisioningMount).toBe('../provisioning:/etc/grafana/provisioning');
    const inGrafana = str(obj(providers[0]?.options).path);
    const onDisk = rel('provisioning', path.relative('/etc/grafana/provisioning', inGrafana));
    expect(walk(onDisk).filter((f) => f.endsWith('.json')).length).toBeGreaterThan(0);
  });
});

/** `{{ .JsonData.x }}` / `{{ .SecureJsonData.y }}` keys a plugin.json's routes read. */
function routeKeys(plugin: Obj, kind: 'JsonData' | 'SecureJsonData'): string[] {
  const text = JSON.stringify(plugin.routes ?? []);
  return [...new Set([...text.matchAll(new RegExp(`\\.${kind}\\.(\\w+)`, 'g'))].map((m) => m[1] ?? ''))];
}

describe('the Anomaly overview dashboard', () => {
  const files = walk(DASHBOARDS_DIR).filter((f) => f.endsWith('.json'));
  const known = {
    panelTypes: new Set([...CORE_PANELS, ...pluginIds('panel')]),
    datasources: datasourceTypes,
    metrics: new Set(demoMetricNames),
  };

  test.each(files.map((f) => [path.relative(ROOT, f), f]))('%s references only what exists', (_n, file) => {
    expect(dashboardProblems(loadJson(file), known)).toEqual([]);
  });

  test('uses the band panel and the time series panel on the nested data source, a metrics() variable and anomaly annotations', () => {
    const dash = obj(loadJson(rel('provisioning/dashboards/detectkit/anomaly-overview.json')));
    expect(dash.title).toBe('Anomaly overview');
    const panels = arr(dash.panels).map(obj);
    const nested = { type: dsPlugin.id, uid: datasources.find((d) => d.type === dsPlugin.id)?.uid };
    for (const type of ['detectkit-bands-panel', 'timeseries']) {
      const panel = panels.find((p) => p.type === type);
      expect(panel?.datasource).toEqual(nested);
      expect(panel?.repeat).toBe('metric');
    }
    const variable = arr(obj(dash.templating).list).map(obj)[0] ?? {};
    expect(variable).toMatchObject({ name: 'metric', type: 'query', query: 'metrics()', datasource: nested });
    const annotations = arr(obj(dash.annotations).list).map(obj);
    expect(
      annotations.some((a) => obj(a.target).queryType === 'anomalies' && obj(a.datasource).uid === nested.uid)
    ).toBe(true);
  });

  test('its ClickHouse query reads the database dtk writes in the compose project', () => {
    const dash = read(rel('provisioning/dashboards/detectkit/anomaly-overview.json'));
    const profile = selectProfile(rel('provisioning/detectkit-compose'), undefined, envOf('dtk')).profile;
    expect(profile.type).toBe('clickhouse');
    expect(dash).toContain(`FROM ${profile.internal_database}._dtk_alerts`);
  });
});

describe('the compose detectkit project (provisioning/detectkit-compose)', () => {
  const root = rel('provisioning/detectkit-compose');
  const env = envOf('dtk');

  test("validates with dtk's loader under the dtk service's environment", () => {
    const project = loadProject(root, { env });
    expect(project.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(project.metrics.map((m) => m.config.name).sort()).toEqual(demoMetricNames);
  });

  test('the browser tests expect the demo metrics there are', () => {
    const fixtures = read(rel('tests/fixtures.ts'));
    const listed = /DEMO_METRICS = \[([^\]]*)\]/.exec(fixtures)?.[1] ?? '';
    expect([...listed.matchAll(/'([^']+)'/g)].map((m) => m[1]).sort()).toEqual(demoMetricNames);
  });

  test('its profile is the compose ClickHouse server, with the databases Grafana may read', () => {
    const { profile, name } = selectProfile(root, undefined, env);
    expect(name).toBe('clickhouse');
    expect(profile).toMatchObject({
      type: 'clickhouse',
      host: 'clickhouse',
      user: envOf('clickhouse').CLICKHOUSE_USER,
    });
    if (profile.type !== 'clickhouse') {
      return;
    }
    expect(profile.password).toBe(envOf('clickhouse').CLICKHOUSE_PASSWORD);
    expect(DEMO_TABLE.split('.')[0]).toBe(profile.data_database);
    const xml = read(rel('provisioning/clickhouse/users.d/grafana.xml'));
    for (const db of [profile.internal_database, profile.data_database]) {
      expect(xml).toContain(`<database>${db}</database>`);
    }
    // Without the compose environment the password is an error, not a guess.
    expect(() => selectProfile(root, undefined, {})).toThrow(/CLICKHOUSE_PASSWORD/);
  });

  test('the grafana channel names the provisioned ClickHouse data source and the provisioned folder', () => {
    const profiles = obj(loadYaml(path.join(root, 'profiles.yml')));
    const grafana = obj(obj(profiles.alert_channels).grafana);
    expect(datasourceTypes.get(str(grafana.datasource_uid))).toBe('grafana-clickhouse-datasource');
    // dtk does not create the folder of its alert rules: the dashboards provider does.
    expect(providers.map((p) => p.folderUid)).toContain(grafana.folder_uid);
    const am = obj(obj(profiles.alert_channels).alertmanager);
    expect(composeDefaults(str(am.url))).toBe('http://alertmanager:9093');
  });
});

describe('Dockerfile of the dtk service', () => {
  const dockerfile = read(rel('Dockerfile'));
  const ignore = dockerIgnorePatterns(read(rel('.dockerignore')));
  const pkg = obj(loadJson(rel('package.json')));

  test('copies sources that exist and .dockerignore lets through; runs as non-root with a healthcheck', () => {
    expect(dockerfileProblems(dockerfile, ignore, (p) => fs.existsSync(rel(p)))).toEqual([]);
  });

  test('starts from a Debian slim Node image and installs production dependencies only', () => {
    const ins = dockerInstructions(dockerfile);
    const from = ins.find((i) => i.op === 'FROM')?.args ?? '';
    expect(from).toMatch(/^node:\$\{NODE_VERSION\}-bookworm-slim$|^node:\d+-bookworm-slim$/);
    expect(ins.some((i) => i.op === 'RUN' && /npm ci --omit=dev/.test(i.args))).toBe(true);
    expect(ins.find((i) => i.op === 'CMD')?.args).toBe('["serve", "--project", "/project"]');
  });

  test('the context holds the runtime files and none of the local data or tests', () => {
    for (const f of [
      'package.json',
      'package-lock.json',
      'bin/dtk.js',
      'service/src/cli/main.ts',
      'common/api/health.ts',
      'provisioning/detectkit/metrics/api_requests.yml',
      'provisioning/detectkit-compose/profiles.yml',
    ]) {
      expect([f, dockerIgnored(ignore, f)]).toEqual([f, false]);
    }
    for (const f of [
      'node_modules/yaml/package.json',
      'provisioning/detectkit/.dtk/data/dtk.pid',
      'service/src/cli/runCommand.integration.test.ts',
      'src/plugin.json',
      'dist/module.js',
      '.git/HEAD',
    ]) {
      expect([f, dockerIgnored(ignore, f)]).toEqual([f, true]);
    }
  });

  test('every package the CLI loads is a production dependency (the image omits devDependencies)', () => {
    const deps = { ...obj(pkg.dependencies), ...obj(pkg.optionalDependencies) };
    const cliEntry = /require\('\.\.\/(service\/src\/cli\/main\.ts)'\)/.exec(read(rel('bin/dtk.js')))?.[1];
    expect(cliEntry).toBeDefined();
    const needed = runtimePackages(rel(cliEntry ?? ''));
    needed.set('tsx', 'bin/dtk.js'); // bin/dtk.js requires tsx/cjs
    expect(needed.size).toBeGreaterThan(5);
    const missing = [...needed].filter(([name]) => !(name in deps)).map(([name, by]) => `${name} (imported by ${by})`);
    expect(missing).toEqual([]);
  });
});

describe('configuration checks by the tools themselves (when installed)', () => {
  const has = (bin: string) => spawnSync('sh', ['-c', `command -v ${bin}`]).status === 0;

  (has('promtool') ? test : test.skip)('promtool check config', () => {
    // The token file only exists in the container: point the check at a temporary one.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dtk-prom-'));
    try {
      fs.writeFileSync(path.join(dir, 'dtk-token'), 'x');
      const config = read(rel('provisioning/prometheus/prometheus.yml')).replace(
        '/prometheus/dtk-token',
        path.join(dir, 'dtk-token')
      );
      fs.writeFileSync(path.join(dir, 'prometheus.yml'), config);
      const r = spawnSync('promtool', ['check', 'config', path.join(dir, 'prometheus.yml')], { encoding: 'utf8' });
      expect(`${r.stdout}${r.stderr}`).toContain('SUCCESS');
      expect(r.status).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  (has('amtool') ? test : test.skip)('amtool check-config', () => {
    const r = spawnSync('amtool', ['check-config', rel('provisioning/alertmanager/alertmanager.yml')], {
      encoding: 'utf8',
    });
    expect(`${r.stdout}${r.stderr}`).toContain('SUCCESS');
    expect(r.status).toBe(0);
  });
});

describe('the checks catch mistakes', () => {
  const files = new Set(['/r/Dockerfile', '/r/exists.yml', '/r']);
  const ctx: ComposeContext = { dir: '/r', exists: (p) => files.has(p), load: () => ({}) };
  const good = {
    services: {
      db: { image: 'x', healthcheck: { test: ['CMD', 'true'] } },
      app: { build: '.', depends_on: { db: { condition: 'service_healthy' } }, healthcheck: { test: 'true' } },
    },
  };

  test('a correct file passes', () => {
    expect(composeProblems(good, ctx)).toEqual([]);
  });

  test('compose: missing healthcheck, unhealthy dependency, variables without defaults, missing mounts', () => {
    const bad = {
      services: {
        db: { image: 'x:${TAG}', environment: { P: '$SECRET', Q: '$${LITERAL}', R: '${OK:-1}' } },
        app: {
          build: { context: '.', dockerfile: 'Missing.Dockerfile' },
          volumes: ['./nowhere:/x', 'undeclared:/y'],
          depends_on: { db: { condition: 'service_healthy' }, ghost: { condition: 'service_healthy' } },
          healthcheck: { test: 'true' },
        },
        job: { image: 'x', healthcheck: { disable: true }, restart: 'no' },
        waiter: { image: 'x', depends_on: ['db'], healthcheck: { test: 'true' } },
        waiter2: { image: 'x', depends_on: { job: { condition: 'service_healthy' } }, healthcheck: { test: 'true' } },
        prof: { image: 'x', profiles: ['p'], healthcheck: { test: 'true' } },
        always: { image: 'x', depends_on: { prof: { condition: 'service_healthy' } }, healthcheck: { test: 'true' } },
      },
    };
    const problems = composeProblems(bad, ctx).join('\n');
    expect(problems).toContain('services.db.image: ${TAG} has no default');
    expect(problems).toContain('$SECRET has no default');
    expect(problems).not.toContain('LITERAL');
    expect(problems).not.toContain('${OK');
    expect(problems).toContain('db: no healthcheck');
    expect(problems).toContain('app: waits for db to be healthy, but db has no healthcheck');
    expect(problems).toContain('app: depends on unknown service ghost');
    expect(problems).toContain('app: mounts ./nowhere, which does not exist');
    expect(problems).toContain('app: volume undeclared is not declared');
    expect(problems).toContain('Missing.Dockerfile does not exist');
    expect(problems).toContain('waiter: depends_on without conditions');
    expect(problems).toContain('waiter2: waits for job to be healthy, but job has no healthcheck');
    expect(problems).toContain('always: runs in every profile but depends on prof');
  });

  test('Dockerfile: a missing or ignored COPY source, root user, no healthcheck, an entrypoint not copied', () => {
    const text =
      'FROM node:22-bookworm-slim\nCOPY package.json ./\nCOPY src/ src/\nCOPY gone/ gone/\nENTRYPOINT ["node", "bin/dtk.js"]\n';
    const problems = dockerfileProblems(text, ['*', '!package.json', '!src/', 'src/secret'], (p) => p !== 'gone').join(
      '\n'
    );
    expect(problems).toContain('COPY gone/: does not exist');
    expect(problems).toContain('the image runs as root');
    expect(problems).toContain('no HEALTHCHECK');
    expect(problems).toContain('ENTRYPOINT runs bin/dtk.js, which no COPY puts in the image');
    expect(dockerfileProblems('COPY src/ src/\n', ['*'], () => true).join('\n')).toContain('excluded by .dockerignore');
    expect(dockerIgnored(['*', '!src/', 'src/secret'], 'src/secret/key')).toBe(true);
    expect(dockerIgnored(['*', '!src/', '**/*.test.ts'], 'src/a/b.test.ts')).toBe(true);
    expect(dockerIgnored(['*', '!src/', '**/*.test.ts'], 'src/a/b.ts')).toBe(false);
  });

  test('dashboard: unknown panel type, data source uid or type, variable, metric', () => {
    const known = {
      panelTypes: new Set(['timeseries']),
      datasources: new Map([['ds', 'detectkit-anomaly-datasource']]),
      metrics: new Set(['m']),
    };
    const dash = {
      uid: 'u',
      schemaVersion: 99,
      templating: {
        list: [{ name: 'v', type: 'query', datasource: { type: 'detectkit-anomaly-datasource', uid: 'ds' } }],
      },
      panels: [
        { id: 1, type: 'nope-panel', title: '$missing', gridPos: { x: 12, w: 24 } },
        {
          id: 1,
          type: 'timeseries',
          datasource: { type: 'prometheus', uid: 'ds' },
          targets: [{ refId: 'A', metric: 'x' }],
        },
        { id: 2, type: 'timeseries', datasource: { type: 'loki', uid: 'gone' }, targets: [], repeat: 'w' },
      ],
    };
    const problems = dashboardProblems(dash, known).join('\n');
    expect(problems).toContain('schemaVersion 99');
    expect(problems).toContain('panel type nope-panel does not exist');
    expect(problems).toContain('$missing is not a dashboard variable');
    expect(problems).toContain('gridPos is wider');
    expect(problems).toContain('ids must be unique');
    expect(problems).toContain('data source ds is of type detectkit-anomaly-datasource, not prometheus');
    expect(problems).toContain('data source uid "gone" is not provisioned');
    expect(problems).toContain('metric x is not defined');
    expect(problems).toContain('repeats over unknown variable w');
  });

  test('XML: unbalanced tags', () => {
    expect(xmlProblems('<a><b></a>')).not.toEqual([]);
    expect(xmlProblems('<a><b/><!-- <c> --></a>')).toEqual([]);
  });

  test('runtime imports: a package the service loads is found through relative imports', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dtk-imports-'));
    try {
      fs.writeFileSync(path.join(dir, 'main.ts'), "import { x } from './lib';\nimport type { T } from 'types-only';\n");
      fs.mkdirSync(path.join(dir, 'lib'));
      fs.writeFileSync(path.join(dir, 'lib', 'index.ts'), "export const x = require('left-pad');\n");
      expect([...runtimePackages(path.join(dir, 'main.ts')).keys()]).toEqual(['left-pad']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
