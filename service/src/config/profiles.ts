import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import {
  DEFAULT_PROFILE,
  databaseProfileSchema,
  isRecord,
  profileEntrySchema,
  type DatabaseProfile,
} from '../../../common/config';
import { DtkError } from '../errors';
import { interpolateYaml } from './env';
import { formatIssue } from './issues';
import { PROJECT_FILE } from './discover';
import { validateValue } from './schema';
import { readYaml } from './yamlFile';

/**
 * Database profile selection from `<project>/profiles.yml` (detectkit's format: `profiles:` map and
 * `default_profile`; the QUICKSTART's top-level profiles are accepted too). Without a profiles.yml the
 * embedded engine is the default. Only the chosen profile is interpolated and validated here, so a broken
 * alert channel or another profile's unset variable never blocks storage commands (`dtk validate` reports them).
 */
export interface SelectedProfile {
  name: string;
  profile: DatabaseProfile;
  /** profiles.yml path, or null for the built-in embedded default. */
  source: string | null;
}

const TOP_KEYS = new Set(['profiles', 'default_profile', 'alert_channels']);

export function selectProfile(
  projectDir: string,
  name?: string,
  env: NodeJS.ProcessEnv = process.env
): SelectedProfile {
  const file = path.join(projectDir, 'profiles.yml');
  if (!fs.existsSync(file)) {
    if (name && name !== 'embedded') {
      throw new DtkError(
        'config_invalid',
        `Profile '${name}' not found: ${file} does not exist. Create it, or drop --profile to use the embedded store.`
      );
    }
    return { name: 'embedded', profile: DEFAULT_PROFILE, source: null };
  }
  const { yaml, issues } = readYaml(file);
  const firstError = issues.find((i) => i.severity === 'error');
  if (!yaml || firstError) {
    throw new DtkError('config_invalid', firstError ? formatIssue(firstError) : `${file}: cannot be read`);
  }
  const raw: unknown = yaml.doc.toJS();
  if (!isRecord(raw)) {
    throw new DtkError(
      'config_invalid',
      `${file}: a top-level \`profiles:\` map is required (profile name → settings).`
    );
  }
  const nested = isRecord(raw.profiles);
  const profiles: Record<string, unknown> = nested
    ? (raw.profiles as Record<string, unknown>)
    : Object.fromEntries(Object.entries(raw).filter(([k, v]) => !TOP_KEYS.has(k) && isRecord(v) && 'type' in v));
  const available = Object.keys(profiles).sort().join(', ');
  if (!available) {
    throw new DtkError(
      'config_invalid',
      `${file}: a top-level \`profiles:\` map is required (profile name → settings).`
    );
  }
  const chosen = name ?? (typeof raw.default_profile === 'string' ? raw.default_profile : projectDefault(projectDir));
  if (!chosen) {
    throw new DtkError(
      'config_invalid',
      `No profile name specified and no default_profile set in ${file}. Available profiles: ${available}`
    );
  }
  if (!(chosen in profiles)) {
    throw new DtkError('config_invalid', `Profile '${chosen}' not found in ${file}. Available profiles: ${available}`);
  }
  const prefix = nested ? ['profiles', chosen] : [chosen];
  const unset = interpolateYaml(yaml, env, (p) => prefix.every((s, i) => p[i] === s));
  if (unset.length) {
    throw new DtkError('config_invalid', unset.map((u) => formatIssue(u.issue)).join('\n'));
  }
  const all = yaml.doc.toJS() as Record<string, unknown>;
  const value = nested ? (all.profiles as Record<string, unknown>)[chosen] : all[chosen];
  const entry = validateValue(yaml, value, profileEntrySchema, { prefix });
  const errors = entry.issues.filter((i) => i.severity === 'error');
  if (errors.length || !entry.data) {
    throw new DtkError(
      'config_invalid',
      errors.map(formatIssue).join('\n') || `${file}: profile '${chosen}' is invalid`
    );
  }
  const parsed = databaseProfileSchema.safeParse(entry.data);
  if (!parsed.success) {
    throw new DtkError(
      'config_invalid',
      `${file}: profiles.${chosen}: ${parsed.error.issues.map((i) => i.message).join('; ')}`
    );
  }
  return { name: chosen, profile: parsed.data, source: file };
}

/** detectkit requires `default_profile` in detectkit_project.yml and never reads it; we use it as a fallback. */
function projectDefault(projectDir: string): string | undefined {
  try {
    const raw: unknown = parse(fs.readFileSync(path.join(projectDir, PROJECT_FILE), 'utf8'));
    return isRecord(raw) && typeof raw.default_profile === 'string' ? raw.default_profile : undefined;
  } catch {
    return undefined;
  }
}
