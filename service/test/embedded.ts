import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { EmbeddedProfile } from '../../common/config/profile';

/**
 * Integration tests share one embedded engine per Jest worker process (the engine allows one data
 * directory per process) and isolate themselves with a fresh database per test.
 */
export const TEST_DATA_DIR = path.join(os.tmpdir(), `dtk-it-${process.pid}`);

export function testProfile(prefix = 't'): EmbeddedProfile {
  fs.mkdirSync(TEST_DATA_DIR, { recursive: true });
  return {
    type: 'embedded',
    path: TEST_DATA_DIR,
    internal_database: `${prefix}_${randomBytes(5).toString('hex')}`,
    data_database: 'default',
    settings: {},
  };
}
