import fs from 'node:fs';
import path from 'node:path';
import { DtkError, errorMessage } from '../../errors';

/**
 * State a custom detector keeps between runs (the successor of deucalion's observers, whose state was lost on
 * every tick): one JSON file per (metric series, detector id) under `<project>/.dtk/state/`. The module receives
 * the stored value as `state` (null the first time) and returns `state` to replace it; the file is replaced
 * atomically (write, then rename), so a crash leaves the previous state.
 */

export interface StoredState {
  version: 1;
  module: string;
  updatedAt: string;
  state: unknown;
}

export class StateStore {
  constructor(private readonly dir: string) {}

  /**
   * `<root>/.dtk/state` (beside the embedded store's data and the API token), or `DTK_STATE_DIR` when the project
   * is read-only (a container mounts it read-only and gives the state a volume).
   */
  static forProject(root: string, env: NodeJS.ProcessEnv = process.env): StateStore {
    const dir = env.DTK_STATE_DIR?.trim();
    return new StateStore(dir ? path.resolve(root, dir) : path.join(root, '.dtk', 'state'));
  }

  /** The file of one series' detector. Metric names of fan-out queries hold `{label="…"}`: encoded. */
  file(metric: string, detectorId: string): string {
    return path.join(this.dir, encodeURIComponent(metric), `${detectorId}.json`);
  }

  read(metric: string, detectorId: string): unknown {
    const file = this.file(metric, detectorId);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
        return null;
      }
      throw new DtkError('storage_not_writable', `cannot read custom detector state ${file}: ${errorMessage(e)}`);
    }
    try {
      return (JSON.parse(text) as StoredState).state ?? null;
    } catch (e) {
      throw new DtkError(
        'config_invalid',
        `custom detector state ${file} is not valid JSON (${errorMessage(e)}); delete the file to start from an empty state`
      );
    }
  }

  write(metric: string, detectorId: string, module: string, state: unknown, now = new Date()): void {
    const file = this.file(metric, detectorId);
    const doc: StoredState = { version: 1, module, updatedAt: now.toISOString(), state };
    const tmp = `${file}.${process.pid}.tmp`;
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(tmp, JSON.stringify(doc));
      fs.renameSync(tmp, file);
    } catch (e) {
      throw new DtkError('storage_not_writable', `cannot write custom detector state ${file}: ${errorMessage(e)}`);
    }
  }
}
