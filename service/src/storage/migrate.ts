import { StorageError, errorMessage } from '../errors';
import type { Logger } from '../logging/logger';
import type { SqlConnection } from './connect';
import { createDatabaseStatement, createTableStatements, type Topology } from './ddl';
import { MIGRATIONS, type Migration } from './migrations';
import { MIGRATIONS as MIGRATIONS_TABLE } from './schema';

export interface MigrationResult {
  from: number;
  to: number;
  applied: number[];
}

/** The highest applied migration version, 0 for a fresh or detectkit-created database. */
export async function currentVersion(conn: SqlConnection, t: Topology): Promise<number> {
  const rows = await conn.json<{ v: number | string }>(
    `SELECT max(version) AS v FROM ${t.database}.${MIGRATIONS_TABLE.name}`
  );
  return Number(rows[0]?.v ?? 0);
}

/**
 * Brings the database to the newest schema. Safe to run concurrently and repeatedly: every
 * statement is idempotent, and a migration is recorded only after all its statements ran.
 */
export async function migrate(
  conn: SqlConnection,
  t: Topology,
  logger: Logger,
  migrations: Migration[] = MIGRATIONS
): Promise<MigrationResult> {
  await conn.command(createDatabaseStatement(t.database, t));
  for (const sql of createTableStatements(MIGRATIONS_TABLE, t)) {
    await conn.command(sql);
  }
  const from = await currentVersion(conn, t);
  const applied: number[] = [];
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (m.version <= from) {
      continue;
    }
    for (const sql of m.statements(t)) {
      try {
        await conn.command(sql);
      } catch (e) {
        throw new StorageError(
          'storage_schema',
          `Schema migration ${m.version} (${m.name}) failed on ${conn.location.where}, database ${t.database}: ${errorMessage(e)}. Nothing was dropped; fix the cause and run again — migrations resume where they stopped.`,
          { cause: e, details: { statement: sql } }
        );
      }
    }
    await conn.command(
      `INSERT INTO ${t.database}.${MIGRATIONS_TABLE.name} (version, name, applied_at) VALUES ({v:UInt32}, {n:String}, now64(3))`,
      { v: m.version, n: m.name }
    );
    applied.push(m.version);
    logger.info({ version: m.version, migration: m.name, database: t.database }, 'schema migration applied');
  }
  return { from, to: Math.max(from, ...applied), applied };
}
