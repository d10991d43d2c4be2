import { DtkError } from '../errors';
import type { FailedMetric, LoadedMetric } from './metricFile';

/**
 * Metric selectors (reference §3.2): `tag:<tag>`, a path glob (contains `*` or `/`, relative to the
 * metrics directory unless it starts with it), or a name (`<metrics>/<name>.yml|yaml`, else the file whose
 * `name:` matches). `*` alone selects every metric, at any depth.
 */

export interface Selectable {
  relPath: string;
  name?: string;
  tags?: string[];
  enabled: boolean;
}

export interface Selection {
  metrics: LoadedMetric[];
  /** Selected files that failed to load: each is a failed metric of the run. */
  failed: FailedMetric[];
  /** detectkit's `Skipping <path>: <error>` lines for unreadable files a tag or name selector had to skip. */
  warnings: string[];
}

/** Python pathlib-style glob → RegExp over `/`-separated relative paths. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      re += slash ? '(?:[^/]+/)*' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') {
      re += '[^/]*';
    } else if (c === '?') {
      re += '[^/]';
    } else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end > i) {
        const body = glob
          .slice(i + 1, end)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\');
        re += `[${body}]`;
        i = end;
      } else {
        re += '\\[';
      }
    } else {
      re += c.replace(/[.+^${}()|\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${re}$`);
}

interface Entry {
  item: Selectable;
  metric?: LoadedMetric;
  failed?: FailedMetric;
}

function match(entries: Entry[], selector: string, metricsDir: string): { hits: Entry[]; warnings: string[] } {
  const warnings: string[] = [];
  const unreadable = (): void => {
    for (const e of entries) {
      if (e.failed && e.failed.name === undefined) {
        warnings.push(`Warning: Skipping ${e.item.relPath}: ${e.failed.issues[0]?.message ?? 'cannot be parsed'}`);
      }
    }
  };
  const prefix = metricsDir ? `${metricsDir}/` : '';
  if (selector === '*') {
    return { hits: entries.filter((e) => e.item.enabled), warnings };
  }
  if (selector.startsWith('tag:')) {
    const tag = selector.slice(4);
    unreadable();
    return { hits: entries.filter((e) => e.item.enabled && (e.item.tags ?? []).includes(tag)), warnings };
  }
  if (selector.includes('*') || selector.includes('/')) {
    const pattern = selector.startsWith(prefix) ? selector : `${prefix}${selector}`;
    const re = globToRegExp(pattern.replace(/^\.\//, ''));
    let hits = entries.filter((e) => re.test(e.item.relPath));
    if (!hits.length && !/\.ya?ml$/.test(pattern)) {
      // detectkit adds no extension (`sub/a` matched nothing); we try the metric file extensions.
      const withExt = [globToRegExp(`${pattern}.yml`), globToRegExp(`${pattern}.yaml`)];
      hits = entries.filter((e) => withExt.some((r) => r.test(e.item.relPath)));
    }
    return { hits: hits.filter((e) => e.item.enabled || !selector.includes('*')), warnings };
  }
  // By name: an explicit name also runs a metric with `enabled: false`.
  for (const ext of ['yml', 'yaml']) {
    const byPath = entries.find((e) => e.item.relPath === `${prefix}${selector}.${ext}`);
    if (byPath) {
      return { hits: [byPath], warnings };
    }
  }
  unreadable();
  return { hits: entries.filter((e) => e.item.name === selector).slice(0, 1), warnings };
}

export function selectDetailed(
  metrics: LoadedMetric[],
  failed: FailedMetric[],
  metricsDir: string,
  select: string[] | undefined,
  exclude: string[] | undefined
): Selection {
  const entries: Entry[] = [
    ...metrics.map((m) => ({
      item: { relPath: m.relPath, name: m.name, tags: m.config.tags ?? [], enabled: m.config.enabled },
      metric: m,
    })),
    ...failed.map((f) => ({
      item: { relPath: f.relPath, name: f.name, tags: f.tags, enabled: f.enabled !== false },
      failed: f,
    })),
  ].sort((a, b) => a.item.relPath.localeCompare(b.item.relPath));
  const warnings: string[] = [];
  const chosen = new Set<Entry>();
  for (const s of select?.length ? select : ['*']) {
    const r = match(entries, s, metricsDir);
    warnings.push(...r.warnings);
    if (!r.hits.length) {
      throw new DtkError('usage', `No metrics found matching selector: ${s}`);
    }
    r.hits.forEach((e) => chosen.add(e));
  }
  for (const s of exclude ?? []) {
    const r = match(entries, s, metricsDir);
    const names = new Set(r.hits.map((e) => e.item.name ?? e.item.relPath));
    for (const e of [...chosen]) {
      if (names.has(e.item.name ?? e.item.relPath)) {
        chosen.delete(e);
      }
    }
  }
  const list = entries.filter((e) => chosen.has(e));
  return {
    metrics: list.flatMap((e) => (e.metric ? [e.metric] : [])),
    failed: list.flatMap((e) => (e.failed ? [e.failed] : [])),
    warnings: [...new Set(warnings)],
  };
}
