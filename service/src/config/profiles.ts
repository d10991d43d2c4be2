import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { DEFAULT_PROFILE, databaseProfileSchema, type DatabaseProfile } from '../../../common/config/profile';
import { DtkError } from '../errors';

/**
 * Database profile selection from `<project>/profiles.yml` (detectkit's format: `profiles:` map and
 * `default_profile`). Without a profiles.yml the embedded engine is the default.
 * The full project configuration (env interpolation, alert channels, metrics) lives with the
 * pipeline; this is the part storage needs.
 */
export interface SelectedProfile {
  name: string;
  profile: DatabaseProfile;
  /** profiles.yml path, or null for the built-in embedded default. */
  source: string | null;
}

const profilesFileSchema = z.object({
  profiles: z.record(z.string(), z.unknown()),
  default_profile: z.string().nullish(),
});

export function selectProfile(projectDir: string, name?: string): SelectedProfile {
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
  let raw: unknown;
  try {
    raw = parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new DtkError('config_invalid', `${file}: ${(e as Error).message.split('\n')[0]}`, { cause: e });
  }
  const top = profilesFileSchema.safeParse(raw);
  if (!top.success) {
    throw new DtkError(
      'config_invalid',
      `${file}: a top-level \`profiles:\` map is required (profile name → settings).`
    );
  }
  const available = Object.keys(top.data.profiles).sort().join(', ');
  const chosen = name ?? top.data.default_profile ?? undefined;
  if (!chosen) {
    throw new DtkError(
      'config_invalid',
      `No profile name specified and no default_profile set in ${file}. Available profiles: ${available}`
    );
  }
  if (!(chosen in top.data.profiles)) {
    throw new DtkError('config_invalid', `Profile '${chosen}' not found in ${file}. Available profiles: ${available}`);
  }
  const parsed = databaseProfileSchema.safeParse(top.data.profiles[chosen]);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .map((i) => `${['profiles', chosen, ...i.path].join('.')}: ${i.message}`)
      .join('; ');
    throw new DtkError('config_invalid', `${file}: ${issues}`);
  }
  return { name: chosen, profile: parsed.data, source: file };
}
