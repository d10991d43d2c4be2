import fs from 'node:fs';
import path from 'node:path';
import { StorageError } from '../errors';

/**
 * The embedded engine owns its data directory exclusively: two processes writing one directory
 * corrupt it. A pid file taken with O_EXCL guards it; a pid file left by a dead process is taken
 * over. Within one process the directory may be opened again (reference counted).
 */
const PID_FILE = 'dtk.pid';
const held = new Map<string, number>();

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function prepareDataDir(dir: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw notWritable(dir, e);
  }
  try {
    fs.accessSync(dir, fs.constants.W_OK | fs.constants.R_OK);
    const probe = path.join(dir, `.write-probe-${process.pid}`);
    fs.writeFileSync(probe, '');
    fs.unlinkSync(probe);
  } catch (e) {
    throw notWritable(dir, e);
  }
}

function notWritable(dir: string, cause: unknown): StorageError {
  const reason = (cause as NodeJS.ErrnoException).code ?? String(cause);
  return new StorageError(
    'storage_not_writable',
    `The embedded data directory ${dir} is not writable (${reason}): give this user write access to it, or set another directory with the profile's \`path\` (or --data-dir).`,
    { cause }
  );
}

/** Takes the directory for this process; throws `storage_locked` when another live dtk holds it. */
export function lockDataDir(dir: string): () => void {
  const key = path.resolve(dir);
  const count = held.get(key);
  if (count !== undefined) {
    held.set(key, count + 1);
    return () => releaseDataDir(key);
  }
  const pidPath = path.join(key, PID_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(pidPath, 'wx');
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      held.set(key, 1);
      return () => releaseDataDir(key);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw notWritable(key, e);
      }
      const owner = Number.parseInt(fs.readFileSync(pidPath, 'utf8').trim(), 10);
      if (Number.isFinite(owner) && owner !== process.pid && processAlive(owner)) {
        throw new StorageError(
          'storage_locked',
          `The embedded data directory ${key} is in use by another dtk process (pid ${owner}): stop that process, or point this run at another directory (profile \`path\` or --data-dir). Use a ClickHouse server profile to share one store between processes.`,
          { details: { pid: owner, dir: key } }
        );
      }
      // Stale pid file from a process that is gone: take it over.
      fs.rmSync(pidPath, { force: true });
    }
  }
  throw new StorageError('storage_locked', `Could not take the embedded data directory ${key}: retry the command.`);
}

function releaseDataDir(key: string): void {
  const count = held.get(key);
  if (count === undefined) {
    return;
  }
  if (count > 1) {
    held.set(key, count - 1);
    return;
  }
  held.delete(key);
  try {
    const pidPath = path.join(key, PID_FILE);
    if (fs.readFileSync(pidPath, 'utf8').trim() === String(process.pid)) {
      fs.rmSync(pidPath, { force: true });
    }
  } catch {
    // Directory removed under us: nothing to release.
  }
}
