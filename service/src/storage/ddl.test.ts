import { addColumnStatements, createDatabaseStatement, createTableStatements, replicatedEngine } from './ddl';
import { MIGRATIONS } from './migrations';
import { DATAPOINTS, TASKS } from './schema';

describe('DDL generation', () => {
  test('single node: detectkit DDL shape', () => {
    expect(createTableStatements(TASKS, { database: 'analytics' })).toEqual([
      `CREATE TABLE IF NOT EXISTS analytics._dtk_tasks (
    metric_name String,
    detector_id String,
    process_type String,
    status String,
    started_at DateTime64(3, 'UTC'),
    updated_at DateTime64(3, 'UTC'),
    last_processed_timestamp Nullable(DateTime64(3, 'UTC')),
    error_message Nullable(String),
    timeout_seconds Int32,
    last_alert_sent Nullable(DateTime64(3, 'UTC')),
    alert_count UInt32 DEFAULT '0'
)
ENGINE = MergeTree()
ORDER BY (metric_name, detector_id, process_type)`,
    ]);
  });

  test('cluster: replicated local table plus a Distributed table under the detectkit name', () => {
    const [local, dist] = createTableStatements(DATAPOINTS, { database: 'analytics', cluster: 'prod' });
    expect(local).toMatch(/^CREATE TABLE IF NOT EXISTS analytics\._dtk_datapoints_local ON CLUSTER prod \(/);
    expect(local).toContain(
      "ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/analytics/_dtk_datapoints_local', '{replica}', created_at)"
    );
    expect(local).toContain('ORDER BY (metric_name, timestamp)');
    expect(dist).toBe(
      'CREATE TABLE IF NOT EXISTS analytics._dtk_datapoints ON CLUSTER prod AS analytics._dtk_datapoints_local\n' +
        'ENGINE = Distributed(prod, analytics, _dtk_datapoints_local, cityHash64(metric_name))'
    );
    expect(createDatabaseStatement('analytics', { database: 'analytics', cluster: 'prod' })).toBe(
      'CREATE DATABASE IF NOT EXISTS analytics ON CLUSTER prod'
    );
  });

  test('engines without arguments become Replicated engines with only path and replica', () => {
    expect(replicatedEngine('MergeTree()', 'db', 't_local')).toBe(
      "ReplicatedMergeTree('/clickhouse/tables/{shard}/db/t_local', '{replica}')"
    );
    expect(replicatedEngine('MergeTree', 'db', 't_local')).toBe(
      "ReplicatedMergeTree('/clickhouse/tables/{shard}/db/t_local', '{replica}')"
    );
  });

  test('column additions alter both tables on a cluster and are idempotent', () => {
    expect(
      addColumnStatements(
        '_dtk_tasks',
        { name: 'x', type: 'String', default: '' },
        { database: 'd', cluster: 'c' },
        'status'
      )
    ).toEqual([
      "ALTER TABLE d._dtk_tasks_local ON CLUSTER c ADD COLUMN IF NOT EXISTS x String DEFAULT '' AFTER status",
      "ALTER TABLE d._dtk_tasks ON CLUSTER c ADD COLUMN IF NOT EXISTS x String DEFAULT '' AFTER status",
    ]);
  });

  test('every migration statement is idempotent and cluster-aware', () => {
    for (const m of MIGRATIONS) {
      for (const s of m.statements({ database: 'd', cluster: 'c' })) {
        expect(s).toMatch(/IF NOT EXISTS/);
        expect(s).toContain('ON CLUSTER c');
      }
    }
    const versions = MIGRATIONS.map((m) => m.version);
    expect(versions).toEqual([...new Set(versions)].sort((a, b) => a - b));
  });
});
