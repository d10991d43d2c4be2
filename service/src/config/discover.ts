import fs from 'node:fs';
import path from 'node:path';
import { DtkError } from '../errors';

export const PROJECT_FILE = 'detectkit_project.yml';

/** detectkit looks in the current directory and its parents; we allow ten levels up. */
const MAX_LEVELS_UP = 10;

/** The nearest directory at or above `start` holding detectkit_project.yml. */
export function findProjectRoot(start: string): string {
  let dir = path.resolve(start);
  for (let level = 0; level <= MAX_LEVELS_UP; level++) {
    if (fs.existsSync(path.join(dir, PROJECT_FILE))) {
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) {
      break;
    }
    dir = parent;
  }
  throw new DtkError(
    'config_invalid',
    `Not in a detectkit project directory: no ${PROJECT_FILE} in ${path.resolve(start)} or its parents. ` +
      `Run 'dtk init <project_name>' to create a project, or pass --project DIR.`
  );
}

/**
 * Metric files under `dir`: `**\/*.yml` and `**\/*.yaml`, sorted. Dotfiles and dot-directories
 * (`.gitkeep`, `.git`) are skipped: detectkit tried to parse `metrics/.gitkeep` and failed.
 */
export function listMetricFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.name.startsWith('.')) {
        continue;
      }
      const full = path.join(d, e.name);
      if (e.isDirectory()) {
        walk(full);
      } else if (/\.ya?ml$/i.test(e.name)) {
        out.push(full);
      }
    }
  };
  walk(dir);
  return out.sort();
}
