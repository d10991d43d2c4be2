import fs from 'node:fs';
import path from 'node:path';
import {
  isRecord,
  profilesConfigSchema,
  UNSUPPORTED_DATABASE_TYPES,
  type ProfilesConfig,
} from '../../../common/config';
import { interpolateYaml, withoutShadowed } from './env';
import type { ConfigIssue } from './issues';
import { validateValue } from './schema';
import { issueAt, readYaml, type KeyPath } from './yamlFile';

export const PROFILES_FILE = 'profiles.yml';

export interface ProfilesInUse {
  /** The database profile a run would use (`--profile`, else the default). */
  profile?: string;
  /** Alert channels named by enabled metrics. */
  channels: ReadonlySet<string>;
}

const TOP_KEYS = new Set(['profiles', 'default_profile', 'alert_channels']);

/** Which profile or channel a key path belongs to: `profiles.<n>`, a top-level profile, `alert_channels.<n>`. */
function owner(p: KeyPath): { kind: 'profile' | 'channel'; name: string } | undefined {
  const [a, b] = p;
  if (a === 'profiles' && b !== undefined) {
    return { kind: 'profile', name: String(b) };
  }
  if (a === 'alert_channels' && b !== undefined) {
    return { kind: 'channel', name: String(b) };
  }
  if (a !== undefined && !TOP_KEYS.has(String(a))) {
    return { kind: 'profile', name: String(a) };
  }
  return undefined;
}

/**
 * Loads profiles.yml (null when absent: the embedded store is the default). Placeholders are interpolated in
 * every string. An unset variable is an error in the profile and channels in use, a warning elsewhere (the
 * scaffold's `prod` profile must not break work on `dev`); other errors of such an entry are warnings too.
 */
export function loadProfilesFile(
  root: string,
  opts: { strict?: boolean; env?: NodeJS.ProcessEnv; inUse: ProfilesInUse; projectDefault?: string }
): { config: ProfilesConfig | null; exists: boolean; issues: ConfigIssue[] } {
  const file = path.join(root, PROFILES_FILE);
  if (!fs.existsSync(file)) {
    return { config: null, exists: false, issues: [] };
  }
  const { yaml, issues } = readYaml(file);
  if (!yaml || issues.some((i) => i.severity === 'error')) {
    return { config: null, exists: true, issues };
  }
  const first: unknown = yaml.doc.toJS();
  if (first === null || first === undefined) {
    issues.push({
      file,
      line: 1,
      column: 1,
      message: 'Profiles file is empty; add a `profiles:` map',
      severity: 'error',
    });
    return { config: null, exists: true, issues };
  }
  const inUseProfile =
    opts.inUse.profile ??
    (isRecord(first) && typeof first.default_profile === 'string' ? first.default_profile : opts.projectDefault);
  const used = (o: ReturnType<typeof owner>): boolean =>
    o === undefined || (o.kind === 'profile' ? o.name === inUseProfile : opts.inUse.channels.has(o.name));
  const deferred = new Set<string>();
  const unset = interpolateYaml(yaml, opts.env ?? process.env);
  for (const u of unset) {
    const o = owner(u.path);
    if (used(o)) {
      issues.push(u.issue);
    } else if (o) {
      deferred.add(`${o.kind}:${o.name}`);
      issues.push({
        ...u.issue,
        severity: 'warning',
        message: `${u.issue.message} (${o.kind} '${o.name}' is not in use now; it fails when used)`,
      });
    }
  }
  const v = validateValue(yaml, yaml.doc.toJS(), profilesConfigSchema, { strict: opts.strict });
  for (const i of withoutShadowed(v.issues, unset)) {
    const o = owner((i.path ?? '').split(/[.[\]]+/).filter(Boolean));
    issues.push(o && deferred.has(`${o.kind}:${o.name}`) && i.severity === 'error' ? { ...i, severity: 'warning' } : i);
  }
  if (v.data) {
    for (const [name, p] of Object.entries(v.data.profiles)) {
      if (UNSUPPORTED_DATABASE_TYPES.includes(p.type)) {
        const at: KeyPath = isRecord(first) && 'profiles' in first ? ['profiles', name, 'type'] : [name, 'type'];
        issues.push(
          issueAt(
            yaml,
            at,
            `profile '${name}': database type '${p.type}' is not supported (detectkit did not implement it either); ` +
              `use clickhouse or embedded`,
            name === inUseProfile ? 'error' : 'warning'
          )
        );
      }
    }
  }
  return { config: issues.some((i) => i.severity === 'error') ? null : (v.data ?? null), exists: true, issues };
}
