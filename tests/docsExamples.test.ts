import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CommanderError, type Command } from 'commander';
import YAML from 'yaml';
import { buildProgram } from '../service/src/cli/program';
import { ConfigError, formatIssue, loadProject } from '../service/src/config';
import { writeProject } from '../service/test/project';

/**
 * Every example in docs/**\/*.md and README.md is checked, so the documentation cannot drift from the code. The
 * conventions (docs/README.md repeats them):
 *
 * - ```yaml blocks must parse. Those that are dtk configuration are validated through the project loader, as
 *   `dtk validate` would: a metric file, a profiles.yml or a detectkit_project.yml. The kind comes from the info
 *   string (```yaml metric, ```yaml profiles, ```yaml project) or, without one, from the content (top-level
 *   `interval` with `query`/`query_file`/`source`, or `metric:` → metric; `profiles` or `alert_channels` →
 *   profiles; `name` with `paths`/`tables`/`timeouts`/`version` → project). ```yaml other opts out (a fragment).
 *   `file=metrics/x.yml` on a metric block also writes it into the demo project for the page's commands.
 * - ```sh blocks: every command that starts with `dtk` or `npx dtk` runs, in order, in a copy of the demo project
 *   (provisioning/detectkit after `dtk demo --once --days 2`), and must exit 0. ```sh parse-only blocks are parsed
 *   by the CLI program instead (unknown commands or options fail) but not run: `dtk serve`, `dtk demo` without
 *   `--once`, commands that need a server or show a failure. Other commands (npm, docker, curl) are not run.
 */

const REPO = path.resolve(__dirname, '..');

interface Block {
  file: string;
  line: number;
  lang: string;
  words: string[];
  text: string;
}

function markdownFiles(): string[] {
  const docs = fs
    .readdirSync(path.join(REPO, 'docs'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.md'))
    .map((f) => path.join('docs', f));
  return ['README.md', ...docs.sort()];
}

function blocks(rel: string): Block[] {
  const lines = fs.readFileSync(path.join(REPO, rel), 'utf8').split('\n');
  const out: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)(.*)$/.exec(lines[i]!);
    if (!open) {
      continue;
    }
    const [, indent, fence, lang, rest] = open;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !lines[j]!.trimStart().startsWith(fence!); j++) {
      body.push(lines[j]!.slice(Math.min(indent!.length, lines[j]!.search(/\S|$/))));
    }
    out.push({
      file: rel,
      line: i + 1,
      lang: lang!,
      words: rest!.trim().split(/\s+/).filter(Boolean),
      text: body.join('\n'),
    });
    i = j;
  }
  return out;
}

const ALL = markdownFiles().flatMap(blocks);
const YAML_BLOCKS = ALL.filter((b) => b.lang === 'yaml' || b.lang === 'yml');
const SH_BLOCKS = ALL.filter((b) => ['sh', 'bash', 'shell', 'console'].includes(b.lang));
const where = (b: Block) => `${b.file}:${b.line}`;

type Kind = 'metric' | 'profiles' | 'project' | 'other';

function kindOf(b: Block, value: unknown): Kind {
  const tagged = b.words.find((w): w is Kind => ['metric', 'profiles', 'project', 'other'].includes(w));
  if (tagged) {
    return tagged;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return 'other';
  }
  const keys = new Set(Object.keys(value));
  const has = (...k: string[]) => k.some((x) => keys.has(x));
  if (has('metric') || (keys.has('interval') && has('query', 'query_file', 'source'))) {
    return 'metric';
  }
  if (has('profiles', 'alert_channels')) {
    return 'profiles';
  }
  if (keys.has('name') && has('paths', 'tables', 'timeouts', 'version', 'project_name')) {
    return 'project';
  }
  return 'other';
}

/** Placeholder values for `${VAR}` references, of the kind the key expects. */
function envFor(text: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const m of text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)|env_var\(\s*['"]([A-Za-z_][A-Za-z0-9_]*)/g)) {
    const name = (m[1] ?? m[2])!;
    env[name] = /PORT$/.test(name) ? '8123' : /URL$/.test(name) ? 'http://example.com:9000' : 'docs-example-secret';
  }
  return env;
}

function attribute(b: Block, name: string): string | undefined {
  return b.words.find((w) => w.startsWith(`${name}=`))?.slice(name.length + 1);
}

function validate(kind: Kind, b: Block, value: unknown): void {
  const files: Record<string, string> = { 'detectkit_project.yml': 'name: docs_example\n' };
  if (kind === 'metric') {
    files[attribute(b, 'file') ?? 'metrics/example.yml'] = b.text;
    const config = (value as { metric?: { query_file?: unknown }; query_file?: unknown }) ?? {};
    const queryFile = config.metric?.query_file ?? config.query_file;
    if (typeof queryFile === 'string' && !queryFile.startsWith('/') && !queryFile.includes('..')) {
      files[queryFile] = "SELECT now() AS timestamp, 1 AS value WHERE timestamp >= '{{ dtk_start_time }}'\n";
    }
  } else if (kind === 'profiles') {
    files['profiles.yml'] = b.text;
  } else if (kind === 'project') {
    files['detectkit_project.yml'] = b.text;
  }
  const root = writeProject(files);
  try {
    loadProject(root, { env: envFor(b.text) });
  } catch (e) {
    if (e instanceof ConfigError) {
      const errors = e.issues.filter((i) => i.severity === 'error').map(formatIssue);
      throw new Error(`${where(b)}: this ${kind} example does not validate:\n${errors.join('\n')}`);
    }
    throw e;
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

describe('yaml examples', () => {
  test.each(YAML_BLOCKS.map((b) => [where(b), b] as const))('%s', (_name, b) => {
    let value: unknown;
    try {
      value = YAML.parse(b.text);
    } catch (e) {
      throw new Error(`${where(b)}: not valid YAML: ${(e as Error).message}`);
    }
    const kind = kindOf(b, value);
    if (kind !== 'other') {
      validate(kind, b, value);
    }
  });
});

/** Shell words of one command line: quotes and backslashes as sh reads them; stops at an unquoted `#`. */
function shellWords(line: string): { words: string[]; expansions: boolean } {
  const words: string[] = [];
  let cur: string | null = null;
  let expansions = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      cur = (cur ?? '') + line.slice(i + 1, end < 0 ? undefined : end);
      i = end < 0 ? line.length : end;
    } else if (c === '"') {
      let j = i + 1;
      let s = '';
      for (; j < line.length && line[j] !== '"'; j++) {
        if (line[j] === '\\' && j + 1 < line.length) {
          j++;
        } else if (line[j] === '$') {
          expansions = true;
        }
        s += line[j];
      }
      cur = (cur ?? '') + s;
      i = j;
    } else if (c === '\\' && i + 1 < line.length) {
      cur = (cur ?? '') + line[++i];
    } else if (/\s/.test(c)) {
      if (cur !== null) {
        words.push(cur);
        cur = null;
      }
    } else if (c === '#' && cur === null) {
      break;
    } else {
      expansions ||= c === '$' || c === '`';
      cur = (cur ?? '') + c;
    }
  }
  if (cur !== null) {
    words.push(cur);
  }
  return { words, expansions };
}

/** The dtk invocations of a block: joined continuation lines, split at `&&` / `;`, leading VAR=value dropped. */
function dtkCommands(b: Block): Array<{ args: string[]; expansions: boolean; text: string }> {
  const out: Array<{ args: string[]; expansions: boolean; text: string }> = [];
  const joined = b.text.replace(/\\\n/g, ' ').split('\n');
  for (const raw of joined) {
    const line = raw.replace(/^\s*\$\s+/, '');
    for (const part of line.split(/&&|;|\|\|/)) {
      const { words, expansions } = shellWords(part.trim());
      while (words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0]!)) {
        words.shift();
      }
      const start = words[0] === 'npx' && words[1] === 'dtk' ? 2 : words[0] === 'dtk' ? 1 : -1;
      if (start > 0) {
        out.push({ args: words.slice(start), expansions, text: part.trim() });
      }
    }
  }
  return out;
}

function leafCommands(cmd: Command): Command[] {
  return cmd.commands.length ? cmd.commands.flatMap(leafCommands) : [cmd];
}

/** Parses `args` with the real program whose actions do nothing: unknown commands and options throw. */
function parseOnly(args: string[]): void {
  const program = buildProgram();
  for (const c of [program, ...program.commands.flatMap((c) => [c, ...c.commands])]) {
    c.configureOutput({ writeOut: () => undefined, writeErr: () => undefined });
  }
  for (const leaf of leafCommands(program)) {
    leaf.action(() => undefined);
  }
  try {
    program.parse(args, { from: 'user' });
  } catch (e) {
    if (!(e instanceof CommanderError) || e.exitCode !== 0) {
      throw e;
    }
  }
}

const PARSE_ONLY_COMMANDS = new Set(['serve']);

// The checks themselves must bite: a wrong example fails them.
test('a metric example with a mistake fails validation, a wrong flag fails parsing', () => {
  const bad: Block = {
    file: 'x.md',
    line: 1,
    lang: 'yaml',
    words: [],
    text: 'name: m\ninterval: 10 minutes\nquery: SELECT 1\n',
  };
  expect(() => validate('metric', bad, YAML.parse(bad.text))).toThrow(/interval/i);
  expect(() => parseOnly(['run', '-s', 'x', '--selct', 'y'])).toThrow(/unknown option/);
  expect(() => parseOnly(['serve', '--port', '8080'])).not.toThrow();
  expect(shellWords(`npx dtk detect --params '{"threshold": 3}' # comment`).words).toEqual([
    'npx',
    'dtk',
    'detect',
    '--params',
    '{"threshold": 3}',
  ]);
});

describe('sh examples', () => {
  const runnable = SH_BLOCKS.filter((b) => !b.words.includes('parse-only') && dtkCommands(b).length > 0);
  let demo = '';

  beforeAll(() => {
    if (runnable.length === 0) {
      return;
    }
    demo = fs.mkdtempSync(path.join(os.tmpdir(), 'dtk-docs-demo-'));
    const src = path.join(REPO, 'provisioning/detectkit');
    fs.cpSync(src, demo, { recursive: true, filter: (f) => !path.relative(src, f).startsWith('.dtk') });
    // Metric files the guides ask readers to write, so their commands find them.
    for (const b of YAML_BLOCKS) {
      const file = attribute(b, 'file');
      if (file) {
        fs.mkdirSync(path.dirname(path.join(demo, file)), { recursive: true });
        fs.writeFileSync(path.join(demo, file), b.text);
      }
    }
    const r = dtk(['demo', '--once', '--days', '2', '--project', demo], demo);
    if (r.status !== 0) {
      throw new Error(`dtk demo --once failed:\n${r.stdout}\n${r.stderr}`);
    }
  }, 180_000);

  afterAll(() => {
    if (demo) {
      fs.rmSync(demo, { recursive: true, force: true });
    }
  });

  function dtk(args: string[], cwd: string) {
    return spawnSync(process.execPath, [path.join(REPO, 'bin/dtk.js'), ...args], {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', DTK_API_TOKEN: 'docs-examples-token-0123456789' },
      timeout: 120_000,
    });
  }

  const cases = SH_BLOCKS.filter((b) => dtkCommands(b).length > 0).map((b) => [where(b), b] as const);
  test.each(cases)('%s', (_name, b) => {
    const parse = b.words.includes('parse-only');
    for (const c of dtkCommands(b)) {
      if (parse) {
        try {
          parseOnly(c.args);
        } catch (e) {
          throw new Error(`${where(b)}: \`${c.text}\` is not a valid dtk command line: ${(e as Error).message}`);
        }
        continue;
      }
      const blocking = PARSE_ONLY_COMMANDS.has(c.args[0] ?? '') || (c.args[0] === 'demo' && !c.args.includes('--once'));
      if (blocking || c.expansions) {
        throw new Error(
          `${where(b)}: \`${c.text}\` cannot run in a test (${blocking ? 'it does not exit' : 'it uses shell expansions'}): mark the block \`\`\`sh parse-only`
        );
      }
      const r = dtk(c.args, demo);
      if (r.status !== 0) {
        throw new Error(`${where(b)}: \`${c.text}\` exited ${r.status ?? r.signal}:\n${r.stdout}\n${r.stderr}`);
      }
    }
  });
});
