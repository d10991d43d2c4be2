import { z } from 'zod';
import { isRecord, renameAliases } from './aliases';

/**
 * `detectkit_project.yml` (reference §2.2). detectkit reads it but uses almost nothing in it; we accept its
 * code spellings and the documentation's (`project_name`, `paths.metrics_dir`, `default_tables`, the
 * scaffold's top-level `metrics_path`/`sql_path`, `timeouts.query_timeout`/`lock_timeout`).
 */

const timeout = (def: number) =>
  z
    .number({ error: 'timeout must be a whole number of seconds (allowed: 1..86400)' })
    .int({ error: 'timeout must be a whole number of seconds (allowed: 1..86400)' })
    .min(1, { error: 'Timeout must be at least 1 second' })
    .max(86400, { error: 'Timeout cannot exceed 24 hours (86400 seconds)' })
    .default(def);

const str = (name: string) => z.string({ error: `${name} must be a string` });

const pathsSchema = z.preprocess(
  (v) => renameAliases(v, { metrics_dir: 'metrics', sql_dir: 'sql', templates_dir: 'templates' }),
  z.strictObject({
    /** Directory of the metric files, relative to the project root. detectkit always used `metrics`. */
    metrics: str('paths.metrics').min(1).default('metrics'),
    sql: str('paths.sql').default('sql'),
    templates: str('paths.templates').default('templates'),
  })
);

const tablesSchema = z.strictObject({
  datapoints: str('tables.datapoints').default('_dtk_datapoints'),
  detections: str('tables.detections').default('_dtk_detections'),
  tasks: str('tables.tasks').default('_dtk_tasks'),
  metrics: str('tables.metrics').default('_dtk_metrics'),
});

const timeoutsSchema = z.strictObject({
  load: timeout(3600),
  detect: timeout(7200),
  alert: timeout(300),
  // The documentation's keys: accepted, unused (as in detectkit).
  query_timeout: timeout(300).optional(),
  lock_timeout: timeout(3600).optional(),
});

/** The scaffold writes `metrics_path:`/`sql_path:` at the top level; they belong under `paths:`. */
function normalizeProject(v: unknown): unknown {
  const renamed = renameAliases(v, { project_name: 'name', default_tables: 'tables' });
  if (!isRecord(renamed)) {
    return renamed;
  }
  const out: Record<string, unknown> = { ...renamed };
  const moved: Record<string, unknown> = {};
  for (const [alias, key] of [
    ['metrics_path', 'metrics'],
    ['sql_path', 'sql'],
    ['templates_path', 'templates'],
  ] as const) {
    if (alias in out) {
      moved[key] = out[alias];
      delete out[alias];
    }
  }
  if (Object.keys(moved).length) {
    out.paths = { ...moved, ...(isRecord(out.paths) ? out.paths : {}) };
  }
  return out;
}

export const projectConfigSchema = z.preprocess(
  normalizeProject,
  z.strictObject(
    {
      name: z
        .string({ error: 'name is required: the project name (letters, digits, _, - and spaces)' })
        .refine((s) => s.trim().length > 0, { error: 'Project name cannot be empty' })
        .refine((s) => /^[\p{L}\p{N}_\- ]*$/u.test(s), {
          error: 'Project name can only contain alphanumeric characters, underscores, dashes, and spaces',
        }),
      // `version: 1.0` unquoted is a float in YAML; detectkit would refuse it, we take it as written.
      version: z
        .union([z.string(), z.number()], { error: 'version must be a string' })
        .transform(String)
        .default('1.0'),
      paths: pathsSchema.prefault({}),
      tables: tablesSchema.prefault({}),
      timeouts: timeoutsSchema.prefault({}),
      /**
       * Required by detectkit but unused there. Optional here; used when profiles.yml names no default_profile.
       */
      default_profile: str('default_profile').min(1).optional(),
    },
    { error: (iss) => (iss.code === 'invalid_type' ? 'detectkit_project.yml must be a mapping of keys' : undefined) }
  )
);

export type ProjectConfig = z.output<typeof projectConfigSchema>;
