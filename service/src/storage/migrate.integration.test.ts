import { silentLogger } from '../logging/logger';
import { DETECTKIT_DETECTION_COLUMNS, testProfile } from '../../test/embedded';
import { connect, type SqlConnection } from './connect';
import { addColumnStatements } from './ddl';
import { migrate } from './migrate';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations';
import { Store } from './store';

describe('schema migrations', () => {
  let sql: SqlConnection;

  beforeAll(async () => {
    sql = await connect(testProfile(), { baseDir: '/', logger: silentLogger });
  });

  afterAll(async () => {
    await sql.close();
  });

  const columnNames = async (db: string, table: string) =>
    (
      await sql.json<{ name: string }>(
        `SELECT name FROM system.columns WHERE database = {db:String} AND table = {t:String} ORDER BY position`,
        { db, t: table }
      )
    ).map((c) => c.name);

  test('tables created by an older detectkit are upgraded in place, keeping their rows', async () => {
    const profile = testProfile('old');
    const db = profile.internal_database;
    // The DDL detectkit 0.2.x generated: no detector_name / processed_value, no alert columns on tasks.
    await sql.command(`CREATE DATABASE ${db}`);
    await sql.command(`CREATE TABLE ${db}._dtk_detections (
        metric_name String, detector_id String, timestamp DateTime64(3, 'UTC'), is_anomaly Bool,
        confidence_lower Nullable(Float64), confidence_upper Nullable(Float64), value Nullable(Float64),
        detector_params String, detection_metadata String, created_at DateTime64(3, 'UTC'))
      ENGINE = ReplacingMergeTree(created_at) ORDER BY (metric_name, detector_id, timestamp)`);
    await sql.command(`CREATE TABLE ${db}._dtk_tasks (
        metric_name String, detector_id String, process_type String, status String,
        started_at DateTime64(3, 'UTC'), updated_at DateTime64(3, 'UTC'),
        last_processed_timestamp Nullable(DateTime64(3, 'UTC')), error_message Nullable(String), timeout_seconds Int32)
      ENGINE = MergeTree() ORDER BY (metric_name, detector_id, process_type)`);
    await sql.command(`INSERT INTO ${db}._dtk_detections VALUES
        ('cpu', 'abc', '2024-01-01 00:00:00', true, 1.0, 2.0, 3.0, '{}', '{}', now64(3))`);

    const store = await Store.open(profile, { logger: silentLogger });
    try {
      expect(await store.schemaVersion()).toBe(SCHEMA_VERSION);
      expect(await columnNames(db, '_dtk_detections')).toEqual(DETECTKIT_DETECTION_COLUMNS);
      expect(await columnNames(db, '_dtk_tasks')).toEqual(
        expect.arrayContaining(['last_alert_sent', 'alert_count', 'lock_owner'])
      );
      const rows = await sql.json<{ metric_name: string; detector_name: string; value: number; processed_value: null }>(
        `SELECT metric_name, detector_name, value, processed_value FROM ${db}._dtk_detections`
      );
      expect(rows).toEqual([{ metric_name: 'cpu', detector_name: '', value: 3, processed_value: null }]);
      // The new tables exist too.
      expect(await columnNames(db, '_dtk_alerts')).toContain('event_type');
    } finally {
      await store.close();
    }
  });

  test('a newer version that adds a column upgrades an existing table once', async () => {
    const profile = testProfile('newer');
    const db = profile.internal_database;
    const t = { database: db };
    const first = await migrate(sql, t, silentLogger);
    expect(first).toEqual({ from: 0, to: SCHEMA_VERSION, applied: MIGRATIONS.map((m) => m.version) });

    await sql.command(`INSERT INTO ${db}._dtk_metrics (metric_name, path, interval, loading_batch_size, is_alert_enabled,
        consecutive_anomalies, no_data_alert, min_detectors, tags, enabled, created_at, updated_at)
      VALUES ('cpu', 'metrics/cpu.yml', '10min', 10000, 1, 3, 0, 1, '[]', 1, now64(3), now64(3))`);
    const next = [
      ...MIGRATIONS,
      {
        version: SCHEMA_VERSION + 1,
        name: 'owner team',
        statements: (topo: typeof t) =>
          addColumnStatements('_dtk_metrics', { name: 'owner_team', type: 'String', default: 'sre' }, topo),
      },
    ];
    const upgraded = await migrate(sql, t, silentLogger, next);
    expect(upgraded).toEqual({ from: SCHEMA_VERSION, to: SCHEMA_VERSION + 1, applied: [SCHEMA_VERSION + 1] });
    const again = await migrate(sql, t, silentLogger, next);
    expect(again.applied).toEqual([]);
    const rows = await sql.json<{ metric_name: string; owner_team: string }>(
      `SELECT metric_name, owner_team FROM ${db}._dtk_metrics`
    );
    expect(rows).toEqual([{ metric_name: 'cpu', owner_team: 'sre' }]);
  });

  test('a failing migration names itself and what to do, and a rerun resumes', async () => {
    const profile = testProfile('broken');
    const t = { database: profile.internal_database };
    const broken = [
      ...MIGRATIONS,
      { version: 900, name: 'broken', statements: () => ['ALTER TABLE nowhere.nothing ADD COLUMN x String'] },
    ];
    await expect(migrate(sql, t, silentLogger, broken)).rejects.toThrow(
      /Schema migration 900 \(broken\) failed .* run again/
    );
    const resumed = await migrate(sql, t, silentLogger);
    expect(resumed.applied).toEqual([]);
    expect(resumed.from).toBe(SCHEMA_VERSION);
  });
});
