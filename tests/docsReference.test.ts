import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { buildProgram } from '../service/src/cli/program';
import type { ApiContext } from '../service/src/server/context';
import { ServiceMetrics } from '../service/src/server/metrics';
import { apiRoutes } from '../service/src/server/server';
import { configReference } from '../scripts/docs/configReference';
import { HTTP_ERROR_CODES } from '../scripts/docs/descriptions';
import { renderReferences, staleFiles, type References } from '../scripts/docs/generate';

/**
 * docs/reference/*.md are generated (`npm run docs`): regenerated here in memory, they must equal the files, every
 * configuration key needs a description, and each page must name everything it documents: every key, every command
 * and flag, every endpoint and error code.
 */

const REPO = path.resolve(__dirname, '..');
const read = (rel: string) => fs.readFileSync(path.join(REPO, rel), 'utf8');

let refs: References;
beforeAll(async () => {
  refs = await renderReferences();
});

test('every configuration key has a description, and every description a key', () => {
  expect(refs.problems).toEqual([]);
});

test('docs/reference/*.md are what `npm run docs` generates', () => {
  const stale = staleFiles(refs.files);
  if (stale.length) {
    throw new Error(`${stale.join(', ')} out of date: run npm run docs`);
  }
});

test('configuration.md names every key of every file and every detector parameter', () => {
  const text = read('docs/reference/configuration.md');
  const missing = configReference()
    .keys.map((k) => (k.section === 'detectors' ? k.path.replace(/^detectors\[[^\]]+\]\.params\./, '') : k.path))
    .filter((shown) => !text.includes(`\`${shown}\``));
  expect(missing).toEqual([]);
});

function commands(cmd: Command): Command[] {
  return [cmd, ...cmd.commands.flatMap(commands)];
}

function fullName(cmd: Command): string {
  return cmd.parent ? `${fullName(cmd.parent)} ${cmd.name()}` : cmd.name();
}

test('cli.md has a section for every command with each of its arguments and options', () => {
  const text = read('docs/reference/cli.md');
  const missing: string[] = [];
  for (const cmd of commands(buildProgram())) {
    const name = fullName(cmd);
    const at = name === 'dtk' ? text.indexOf('## Global options') : text.indexOf(`## \`${name}\`\n`);
    if (at < 0) {
      missing.push(`section ${name}`);
      continue;
    }
    const next = text.indexOf('\n## ', at + 1);
    const section = text.slice(at, next < 0 ? undefined : next);
    for (const o of cmd.options) {
      if (!section.includes(o.long ?? o.flags)) {
        missing.push(`${name} ${o.flags}`);
      }
    }
    for (const a of cmd.registeredArguments) {
      if (!section.includes(`\`${a.name()}\``)) {
        missing.push(`${name} <${a.name()}>`);
      }
    }
  }
  expect(missing).toEqual([]);
});

test('api.md documents every route of the server and /metrics', () => {
  const text = read('docs/reference/api.md');
  const ctx = { store: { location: { kind: 'embedded' } } } as unknown as ApiContext;
  const endpoints = [
    ...apiRoutes(ctx, () => ({})).map((r) => `${r.method} ${r.url.replace(/:(\w+)/g, '{$1}')}`),
    'GET /metrics',
  ];
  expect(endpoints.filter((e) => !text.includes(`### \`${e}\``))).toEqual([]);
});

test('api.md lists every error code the server sends', () => {
  const text = read('docs/reference/api.md');
  const dir = path.join(REPO, 'service/src/server');
  const sources = fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => fs.readFileSync(path.join(dir, f), 'utf8'))
    .join('\n');
  const codes = new Set([...sources.matchAll(/new HttpError\(\s*\d+,\s*'(\w+)'/g)].map((m) => m[1]!));
  const unlisted = [...codes].filter((c) => c !== 'internal' && c !== 'not_found' && !(c in HTTP_ERROR_CODES));
  expect(unlisted).toEqual([]);
  expect([...codes].filter((c) => !text.includes(`\`${c}\``))).toEqual([]);
});

describe('the service metrics in docs/operations.md and docs/dashboards/dtk-service.json', () => {
  // Every name the service exposes, histogram and counter series included.
  const exposed = async (): Promise<Set<string>> => {
    const text = await new ServiceMetrics().text();
    const names = [...text.matchAll(/^# TYPE (\S+) (\w+)/gm)].flatMap(([, name, type]) =>
      type === 'histogram' ? [`${name}_bucket`, `${name}_count`, `${name}_sum`, name!] : [name!]
    );
    return new Set(names);
  };

  test('operations.md lists every dtk metric the service defines', async () => {
    const text = read('docs/operations.md');
    const own = [...(await exposed())].filter(
      (n) => !/^dtk_(process|nodejs)_/.test(n) && !/_(bucket|count|sum)$/.test(n)
    );
    expect(own.filter((n) => !text.includes(`\`${n}\``))).toEqual([]);
  });

  test('the dashboard queries only metrics the service exposes', async () => {
    const names = await exposed();
    const dashboard = read('docs/dashboards/dtk-service.json');
    const used = new Set([...dashboard.matchAll(/\bdtk_[a-z0-9_]+/g)].map((m) => m[0]));
    expect([...used].filter((n) => !names.has(n))).toEqual([]);
    expect(JSON.parse(dashboard).panels.length).toBeGreaterThan(10);
  });
});
