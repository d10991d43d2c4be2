import type { DetectorInfo } from '../../../common/api/detectors';
import { metricConfigSchema } from '../../../common/config/metric';
import type { ServiceIssue } from '../../api/errors';
import { formatPath, getIn, isRecord, sourceTypeOf, type Definition } from './definition';
import { checkParam, paramSpecs } from './jsonSchema';

/**
 * The editor's checks before anything is sent: the definition against the same zod schema the service loads metric
 * files with (common/config/metric.ts: same rules, same messages), and each detector's parameters against the
 * catalog's JSON Schema. The service validates again on preview and save; its issues come back with key paths in
 * the same spelling and are shown next to the same fields.
 */
export function validateDefinition(def: Definition, catalog: DetectorInfo[]): ServiceIssue[] {
  const issues: ServiceIssue[] = [];
  const r = metricConfigSchema.safeParse(def);
  if (!r.success) {
    for (const iss of r.error.issues) {
      if (iss.code === 'unrecognized_keys') {
        // The service drops unknown keys with a warning: say so, do not block the save.
        for (const k of iss.keys) {
          issues.push({
            path: formatPath([...iss.path, k]),
            message: `unknown key '${k}': the service ignores it; remove it or fix its spelling`,
            severity: 'warning',
          });
        }
      } else {
        const path = formatPath(iss.path);
        issues.push({ ...(path ? { path } : {}), message: iss.message, severity: 'error' });
      }
    }
  }
  const detectors = Array.isArray(def.detectors) ? def.detectors : [];
  detectors.forEach((d, i) => {
    const info = isRecord(d) ? findDetector(catalog, d.type) : undefined;
    if (!info) {
      return;
    }
    const params = isRecord(getIn(d, ['params'])) ? (getIn(d, ['params']) as Record<string, unknown>) : {};
    for (const spec of paramSpecs(info.params)) {
      const message = checkParam(spec, params[spec.name]);
      const path = `detectors[${i}].params.${spec.name}`;
      if (message && !issues.some((x) => x.path === path)) {
        issues.push({ path, message, severity: 'error' });
      }
    }
  });
  return issues;
}

/** A detector type as written (any case, or an alias like `manual`) in the catalog. */
export function findDetector(catalog: DetectorInfo[], type: unknown): DetectorInfo | undefined {
  if (typeof type !== 'string') {
    return undefined;
  }
  const t = type.trim().toLowerCase();
  return catalog.find((c) => c.type === t || c.aliases.includes(t));
}

export const hasErrors = (issues: ServiceIssue[]) => issues.some((i) => i.severity === 'error');

/** Keys of the fields the form shows for this definition (they depend on the source type). */
export function renderedKeys(def: Definition): Set<string> {
  const keys = [
    'name',
    'description',
    'tags',
    'enabled',
    'interval',
    'seasonality_columns',
    'loading_start_time',
    'alerting.enabled',
    'alerting.channels',
    'alerting.consecutive_anomalies',
    'alerting.direction',
    'alerting.alert_cooldown',
    'alerting.min_detectors',
    'alerting.no_data_alert',
  ];
  const source = sourceTypeOf(def);
  if (source === 'clickhouse') {
    keys.push('query', 'query_columns.timestamp', 'query_columns.metric');
  } else {
    keys.push('source.url', source === 'prometheus' ? 'source.query' : 'source.sample');
    if (source === 'scrape') {
      keys.push('source.labels');
    }
  }
  return new Set(keys);
}

/** Lists and mappings show their items' problems on the field itself: `tags[2]` on `tags`. */
const GROUPED = ['tags', 'seasonality_columns', 'alerting.channels', 'source.labels'];

/**
 * The field that shows an issue: its key, `detectors` for anything about a detector (the detector's card sorts those
 * out), or null when no field shows it (the form then lists it above the save button).
 */
export function fieldKeyOf(path: string | undefined, rendered: Set<string>): string | null {
  if (!path) {
    return null;
  }
  if (/^detectors\[\d+\]/.test(path)) {
    return 'detectors';
  }
  const grouped = GROUPED.find((g) => path === g || path.startsWith(`${g}[`) || path.startsWith(`${g}.`));
  const key = grouped ?? path;
  return rendered.has(key) ? key : null;
}

export interface IssueIndex {
  /** Issues by field key. */
  byField: Map<string, ServiceIssue[]>;
  /** Issues no field shows. */
  general: ServiceIssue[];
  /** Every issue about detector i, for its card. */
  detector: (i: number) => ServiceIssue[];
}

export function indexIssues(issues: ServiceIssue[], rendered: Set<string>): IssueIndex {
  const byField = new Map<string, ServiceIssue[]>();
  const general: ServiceIssue[] = [];
  const seen = new Set<string>();
  for (const i of issues) {
    const id = `${i.path ?? ''}\u0000${i.message}`;
    if (seen.has(id)) {
      continue;
    }
    seen.add(id);
    const key = fieldKeyOf(i.path, rendered);
    if (key === null) {
      general.push(i);
    } else {
      byField.set(key, [...(byField.get(key) ?? []), i]);
    }
  }
  const detectorIssues = byField.get('detectors') ?? [];
  return {
    byField,
    general,
    detector: (n) => detectorIssues.filter((i) => new RegExp(`^detectors\\[${n}\\](\\.|$)`).test(i.path ?? '')),
  };
}

/** The text a Field shows under an input: errors first, one per line. */
export function fieldError(issues: ServiceIssue[] | undefined): string | undefined {
  const list = issues ?? [];
  const errors = list.filter((i) => i.severity === 'error');
  const shown = errors.length ? errors : list;
  return shown.length ? shown.map((i) => i.message).join('; ') : undefined;
}
