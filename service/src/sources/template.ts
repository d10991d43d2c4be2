import nunjucks from 'nunjucks';
import { SourceError } from './errors';
import { pyStr } from './pyStr';

/**
 * Jinja2-compatible rendering of metric queries (reference §8) on nunjucks.
 *
 * detectkit renders with `Environment(autoescape=False, trim_blocks=True, lstrip_blocks=True,
 * undefined=StrictUndefined)`; nunjucks has the same options. What nunjucks does differently is printing values
 * the JS way (`true`, `cpu,memory`, empty for null): the runtime's output hooks are swapped for Python `str()`
 * semantics for the duration of each (synchronous) render, so no other nunjucks user in the process sees them.
 */

export const TEMPLATE_VARIABLES = ['dtk_start_time', 'dtk_end_time', 'interval_seconds'] as const;

export interface QueryVars {
  /** Inclusive start of the loaded range, epoch ms UTC. */
  start: number;
  /** Exclusive end of the loaded range, epoch ms UTC. */
  end: number;
  intervalSeconds: number;
}

export interface RenderOptions {
  /** Shown in error messages (the query file, relative to the project, or a description). */
  file?: string;
  /** Extra variables, merged after the built-ins (they override them), as detectkit's `context` argument. */
  context?: Record<string, unknown>;
  /** StrictUndefined (default): printing an undefined variable fails. false: it prints as an empty string. */
  strict?: boolean;
}

/** `%Y-%m-%d %H:%M:%S` of a UTC epoch-ms instant: detectkit's naive-UTC format, no milliseconds. */
export function formatUtc(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

export function templateVariables(vars: QueryVars): Record<string, unknown> {
  return {
    dtk_start_time: formatUtc(vars.start),
    dtk_end_time: formatUtc(vars.end),
    interval_seconds: Math.trunc(vars.intervalSeconds),
  };
}

/**
 * Renders a metric query for one range. The third argument is the file name for messages, or full options.
 * Throws SourceError (`config_invalid`) for syntax errors (with line and column) and undefined variables (naming
 * the variable and listing the available ones).
 */
export function renderQuery(template: string, vars: QueryVars, fileOrOptions?: string | RenderOptions): string {
  const options = typeof fileOrOptions === 'string' ? { file: fileOrOptions } : (fileOrOptions ?? {});
  return renderTemplate(template, { ...templateVariables(vars), ...options.context }, options);
}

// ---------------------------------------------------------------------------------------------------------------

interface RuntimeHooks {
  suppressValue: (val: unknown, autoescape: boolean) => unknown;
  ensureDefined: (val: unknown, lineno: number, colno: number) => unknown;
  contextOrFrameLookup: (context: unknown, frame: unknown, name: string) => unknown;
  memberLookup: (obj: unknown, val: unknown) => unknown;
}

interface NunjucksError extends Error {
  lineno?: number;
  colno?: number;
}

const runtime = nunjucks.runtime as unknown as RuntimeHooks;

const original: RuntimeHooks = {
  suppressValue: runtime.suppressValue,
  ensureDefined: runtime.ensureDefined,
  contextOrFrameLookup: runtime.contextOrFrameLookup,
  memberLookup: runtime.memberLookup,
};

/** Set while a render runs: what the last failed lookup was, to name it when printing it fails. */
interface RenderState {
  lastUndefined: string | null;
  undefinedAt: { name: string } | null;
}

let activeState: RenderState | null = null;

const pyHooks: RuntimeHooks = {
  // Python str() of every printed value; undefined prints empty (the non-strict Undefined).
  suppressValue: (val) => {
    if (activeState) {
      activeState.lastUndefined = null; // an output is done: its failed lookups cannot name the next one's
    }
    return val === undefined ? '' : pyStr(val);
  },
  ensureDefined: (val, lineno, colno) => {
    // StrictUndefined fails on undefined only: None is a value and prints `None`.
    if (val === undefined) {
      const name = activeState?.lastUndefined ?? 'a value';
      if (activeState) {
        activeState.undefinedAt = { name };
      }
      throw new nunjucks.lib.TemplateError(`${name} is undefined`, lineno + 1, colno + 1);
    }
    return val;
  },
  contextOrFrameLookup: (context, frame, name) => {
    const v = original.contextOrFrameLookup(context, frame, name);
    if (v === undefined && activeState) {
      activeState.lastUndefined = `'${name}'`;
    }
    return v;
  },
  memberLookup: (obj, val) => {
    const v = original.memberLookup(obj, val);
    if (v === undefined && activeState && obj !== undefined && obj !== null) {
      activeState.lastUndefined = `attribute '${String(val)}'`;
    }
    return v;
  },
};

function installHooks(hooks: RuntimeHooks): void {
  runtime.suppressValue = hooks.suppressValue;
  runtime.ensureDefined = hooks.ensureDefined;
  runtime.contextOrFrameLookup = hooks.contextOrFrameLookup;
  runtime.memberLookup = hooks.memberLookup;
}

function makeEnvironment(strict: boolean): nunjucks.Environment {
  // An empty loader list: without it nunjucks would read `{% include %}` files from ./views, which detectkit
  // (no loader) cannot do either.
  const env = new nunjucks.Environment([], {
    autoescape: false,
    trimBlocks: true,
    lstripBlocks: true,
    throwOnUndefined: strict,
  });
  // Jinja spells its constants capitalised as well; nunjucks only knows true/false/none.
  env.addGlobal('True', true);
  env.addGlobal('False', false);
  env.addGlobal('None', null);
  // @types/nunjucks lacks addTest, which nunjucks 3 has.
  (env as unknown as { addTest: (name: string, fn: (v: unknown) => boolean) => void }).addTest(
    'none',
    (v) => v === null
  );
  // Jinja's join and string filters str() their input.
  env.addFilter('join', (items: unknown, sep: unknown = '', attr?: unknown) => {
    const list = Array.isArray(items) ? items : typeof items === 'string' ? [...items] : [];
    const picked = typeof attr === 'string' ? list.map((x) => (x as Record<string, unknown>)?.[attr]) : list;
    return picked.map((x) => pyStr(x)).join(pyStr(sep));
  });
  env.addFilter('string', (v: unknown) => pyStr(v));
  return env;
}

const environments = new Map<boolean, nunjucks.Environment>();

function environment(strict: boolean): nunjucks.Environment {
  let env = environments.get(strict);
  if (!env) {
    env = makeEnvironment(strict);
    environments.set(strict, env);
  }
  return env;
}

interface ErrorInfo {
  reason: string;
  line?: number;
  column?: number;
}

/**
 * nunjucks reports `(path) [Line l, Column c]\n  reason` and, outside its dev mode, keeps the position only in
 * that text: take it apart.
 */
function errorInfo(e: NunjucksError): ErrorInfo {
  const m = /^\([^)]*\)(?: \[Line (\d+)(?:, Column (\d+))?\])?\s*/.exec(e.message);
  const text = (m ? e.message.slice(m[0].length) : e.message).trim().replace(/^Error: /, '');
  const line = m?.[1] !== undefined ? Number(m[1]) : e.lineno;
  const column = m?.[2] !== undefined ? Number(m[2]) : e.colno;
  return { reason: text, line: line || undefined, column: column || undefined };
}

function where(file: string | undefined, info: ErrorInfo): string {
  const parts: string[] = [];
  if (file) {
    parts.push(file);
  }
  if (info.line) {
    parts.push(info.column ? `line ${info.line}, column ${info.column}` : `line ${info.line}`);
  }
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

/**
 * Jinja applies trim_blocks and lstrip_blocks to comments too; nunjucks only to tags. Moving the comment's
 * leading indentation and trailing newline inside it gives Jinja's output and keeps line numbers for messages.
 */
export function jinjaComments(template: string): string {
  return template.replace(/(^[ \t]+)?\{#([\s\S]*?)#\}(\r?\n)?/gm, (all, lead?: string, body?: string, nl?: string) => {
    if (!lead && !nl) {
      return all;
    }
    let text = body ?? '';
    const open = /^[-+]/.test(text) ? text.charAt(0) : '';
    const close = text.length > open.length && /[-+]$/.test(text) ? text.charAt(text.length - 1) : '';
    text = text.slice(open.length, text.length - close.length);
    return `{#${open}${lead ?? ''}${text}${nl ?? ''}${close}#}`;
  });
}

const compiled = new Map<string, nunjucks.Template>();
const COMPILED_CACHE_SIZE = 512;

function compile(template: string, strict: boolean, file: string | undefined): nunjucks.Template {
  // A run renders the same template once per batch and metric: compile it once.
  const key = `${strict ? 's' : 'l'}${template}`;
  const hit = compiled.get(key);
  if (hit) {
    return hit;
  }
  let t: nunjucks.Template;
  try {
    t = new nunjucks.Template(jinjaComments(template), environment(strict), file, true);
  } catch (e) {
    const info = errorInfo(e as NunjucksError);
    if (info.line === undefined && /end of file/.test(info.reason)) {
      info.line = template.split('\n').length; // an unclosed block: nunjucks gives no position, the end is it
    }
    throw new SourceError('config_invalid', `Invalid template syntax: ${info.reason}${where(file, info)}`, {
      cause: e,
      details: { file, line: info.line, column: info.column },
    });
  }
  if (compiled.size >= COMPILED_CACHE_SIZE) {
    compiled.clear();
  }
  compiled.set(key, t);
  return t;
}

/** Renders any Jinja template with Python value semantics; `renderQuery` adds the built-in variables. */
export function renderTemplate(
  template: string,
  context: Record<string, unknown>,
  options: { file?: string; strict?: boolean } = {}
): string {
  const strict = options.strict ?? true;
  const t = compile(template, strict, options.file);
  const state: RenderState = { lastUndefined: null, undefinedAt: null };
  const outer = activeState;
  activeState = state;
  installHooks(pyHooks);
  try {
    return t.render(context);
  } catch (e) {
    const info = errorInfo(e as NunjucksError);
    const details = { file: options.file, line: info.line, column: info.column };
    if (state.undefinedAt) {
      const available = Object.keys(context).sort().join(', ');
      throw new SourceError(
        'config_invalid',
        `Template rendering failed: ${state.undefinedAt.name} is undefined${where(options.file, info)}. ` +
          `Available variables: ${available || '(none)'}`,
        { cause: e, details }
      );
    }
    throw new SourceError('config_invalid', `Template rendering failed: ${info.reason}${where(options.file, info)}`, {
      cause: e,
      details,
    });
  } finally {
    activeState = outer;
    if (!outer) {
      installHooks(original);
    }
  }
}
