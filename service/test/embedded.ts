import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { EmbeddedProfile } from '../../common/config/profile';
import { silentLogger } from '../src/logging/logger';
import { connect, type SqlConnection } from '../src/storage/connect';
import { Store } from '../src/storage/store';

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

/** detectkit 0.3.5's `_dtk_detections` columns, in order (reference §7): what tests assert against. */
export const DETECTKIT_DETECTION_COLUMNS = [
  'metric_name',
  'detector_id',
  'detector_name',
  'timestamp',
  'is_anomaly',
  'confidence_lower',
  'confidence_upper',
  'value',
  'processed_value',
  'detector_params',
  'detection_metadata',
  'created_at',
];

/** A store on a fresh database plus a raw connection to inspect it; close both when done. */
export async function openTestStore(
  prefix = 't'
): Promise<{ store: Store; sql: SqlConnection; db: string; close: () => Promise<void> }> {
  const profile = testProfile(prefix);
  const store = await Store.open(profile, { logger: silentLogger });
  const sql = await connect(profile, { baseDir: '/', logger: silentLogger });
  return {
    store,
    sql,
    db: profile.internal_database,
    close: async () => {
      await sql.close();
      await store.close();
    },
  };
}
