import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { listMetricFiles, PROFILES_FILE, PROJECT_FILE } from '../config';

/**
 * A digest of every file the project's metric set is read from: the project file, profiles.yml and the metric
 * files (names and contents). Contents, not mtimes: an editor that saves twice within the clock's resolution, or
 * a checkout that restores old mtimes, still counts as a change. The files are small; reading them is cheap.
 */
export function projectFingerprint(root: string, metricsDir: string): string {
  const h = createHash('sha256');
  const files = [
    path.join(root, PROJECT_FILE),
    path.join(root, PROFILES_FILE),
    ...listMetricFiles(path.resolve(root, metricsDir)),
  ];
  for (const f of files) {
    h.update(f);
    h.update('\0');
    try {
      h.update(fs.readFileSync(f));
    } catch {
      h.update('<missing>');
    }
    h.update('\0');
  }
  return h.digest('hex');
}
