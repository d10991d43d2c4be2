import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const REPO = path.resolve(__dirname, '../../..');
export const DIST = path.join(REPO, 'dist');
export const DIST_MODULES = ['module.js', 'datasource/module.js', 'panels/bands/module.js'] as const;

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

/** Why dist/ must be rebuilt, or null when it is current (`npm test` builds before the tests run). */
export function distOutdated(): string | null {
  const missing = DIST_MODULES.find((m) => !fs.existsSync(path.join(DIST, m)));
  if (missing) {
    return `dist/${missing} is missing`;
  }
  const built = Math.min(...DIST_MODULES.map((m) => fs.statSync(path.join(DIST, m)).mtimeMs));
  const sources = Math.max(newestMtime(path.join(REPO, 'src')), newestMtime(path.join(REPO, 'common')));
  return sources > built ? 'src/ or common/ changed after the last build' : null;
}

/** Runs `npm run build` when dist/ is missing or older than the sources. */
export function ensureDist(log: (line: string) => void = () => undefined): void {
  const why = distOutdated();
  if (!why) {
    return;
  }
  log(`building the plugin (${why}): npm run build`);
  const r = spawnSync('npm', ['run', '--silent', 'build'], { cwd: REPO, encoding: 'utf8', timeout: 600_000 });
  if (r.status !== 0) {
    throw new Error(
      `npm run build failed (${r.status ?? r.signal}):\n${r.stdout.slice(-4000)}\n${r.stderr.slice(-4000)}`
    );
  }
}
