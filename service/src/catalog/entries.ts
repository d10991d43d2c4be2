import fs from 'node:fs';
import { parse } from 'yaml';
import type { ConfigIssue, LoadedProject } from '../config';
import type { CatalogMetric } from '../serve/contracts';
import type { StoredConfig } from './configStore';
import { flatDefinition, uiRelPath, type DefinitionLoader } from './uiDefinition';

/** What the catalog knows of a metric beyond the serve contract: the definition as written, its issues, who saved it. */
export interface CatalogEntry extends CatalogMetric {
  /** Flat definition as written (before environment interpolation); null when the file is unreadable. */
  definition: Record<string, unknown> | null;
  /** Errors and warnings of the definition. */
  issues: ConfigIssue[];
  /** UI metrics: author and time (epoch ms) of the current version. */
  author: string | null;
  updatedAt: number | null;
}

const errorsOf = (issues: ConfigIssue[]) => issues.filter((i) => i.severity === 'error');

/** The errors of a definition on one line, each with its key path. */
export function describeErrors(issues: ConfigIssue[]): string {
  return errorsOf(issues)
    .map((i) => (i.path ? `${i.path}: ${i.message}` : i.message))
    .join('; ');
}

/** The flat definition of a metric file as written, or null when it cannot be read. */
function readFileDefinition(file: string): Record<string, unknown> | null {
  try {
    return flatDefinition(JSON.parse(JSON.stringify(parse(fs.readFileSync(file, 'utf8'), { version: '1.1' }))));
  } catch {
    return null;
  }
}

/** The project's metric files as entries: the loaded ones, and the broken ones with their errors. */
export function fileEntries(project: LoadedProject): CatalogEntry[] {
  return [
    ...project.metrics.map((m): CatalogEntry => ({
      name: m.name,
      origin: 'file',
      relPath: m.relPath,
      version: 0,
      loaded: m,
      definition: readFileDefinition(m.file),
      issues: project.issues.filter((i) => i.file === m.file),
      author: null,
      updatedAt: null,
    })),
    ...project.failed.map((f): CatalogEntry => ({
      // A file too broken to name its metric is listed under its path, so it shows up with its errors.
      name: f.name ?? f.relPath,
      origin: 'file',
      relPath: f.relPath,
      version: 0,
      loaded: null,
      error: `invalid definition in ${f.relPath}: ${describeErrors(f.issues)}`,
      definition: readFileDefinition(f.file),
      issues: f.issues,
      author: null,
      updatedAt: null,
    })),
  ];
}

/**
 * A saved (not deleted) UI definition as an entry. It is validated again on every load: an environment variable or
 * the detector rules may have changed since it was saved, and then it is listed with its errors and does not run.
 */
export function uiEntry(row: StoredConfig, loader: DefinitionLoader): CatalogEntry {
  const rel = uiRelPath(row.name);
  const base = {
    name: row.name,
    origin: 'ui' as const,
    relPath: rel,
    version: row.version,
    author: row.author || null,
    updatedAt: row.createdAt,
  };
  let def: Record<string, unknown> | null = null;
  try {
    def = flatDefinition(JSON.parse(row.definition));
  } catch {
    def = null;
  }
  if (!def) {
    const message = `stored definition of version ${row.version} is not a JSON object; save the metric again`;
    return {
      ...base,
      loaded: null,
      error: message,
      definition: null,
      issues: [{ file: rel, message, severity: 'error' }],
    };
  }
  const r = loader.load(row.name, def);
  return {
    ...base,
    loaded: r.ok ? r.metric : null,
    ...(r.ok ? {} : { error: `invalid definition (${rel}): ${describeErrors(r.issues)}` }),
    definition: def,
    issues: r.issues,
  };
}
