import type { ColumnSpec, TableSpec } from './schema';

/**
 * DDL generation. Single-node DDL follows detectkit's generator byte for byte in structure
 * (`name type [DEFAULT '<v>']`, `ENGINE = …`, `ORDER BY (…)`). With a cluster, every table becomes a
 * `<name>_local` table with a Replicated engine on each shard plus a Distributed table under the
 * detectkit name, so queries written for detectkit keep working unchanged.
 */
export interface Topology {
  database: string;
  /** Cluster name from the profile's `cluster:` key; absent for a single server or embedded. */
  cluster?: string;
}

export const LOCAL_SUFFIX = '_local';

function onCluster(t: Topology): string {
  return t.cluster ? ` ON CLUSTER ${t.cluster}` : '';
}

export function columnDefinition(c: ColumnSpec): string {
  return c.default === undefined ? `${c.name} ${c.type}` : `${c.name} ${c.type} DEFAULT '${c.default}'`;
}

/** `ReplacingMergeTree(created_at)` → `ReplicatedReplacingMergeTree('<zk path>', '{replica}', created_at)`. */
export function replicatedEngine(engine: string, database: string, localTable: string): string {
  const m = /^(\w+)\((.*)\)$/.exec(engine.includes('(') ? engine : `${engine}()`);
  if (!m) {
    throw new Error(`cannot derive a Replicated engine from ${engine}`);
  }
  const [, family, args] = m;
  const path = `'/clickhouse/tables/{shard}/${database}/${localTable}'`;
  const rest = args?.trim() ? `, ${args.trim()}` : '';
  return `Replicated${family}(${path}, '{replica}'${rest})`;
}

function createTable(name: string, spec: TableSpec, engine: string, t: Topology): string {
  const cols = spec.columns.map((c) => `    ${columnDefinition(c)}`).join(',\n');
  return (
    `CREATE TABLE IF NOT EXISTS ${t.database}.${name}${onCluster(t)} (\n${cols}\n)\n` +
    `ENGINE = ${engine.includes('(') ? engine : `${engine}()`}\n` +
    `ORDER BY (${spec.orderBy.join(', ')})`
  );
}

export function createDatabaseStatement(database: string, t: Topology): string {
  return `CREATE DATABASE IF NOT EXISTS ${database}${onCluster(t)}`;
}

/** Statements that create one table (two in cluster mode: local replicated + distributed). */
export function createTableStatements(spec: TableSpec, t: Topology): string[] {
  if (!t.cluster) {
    return [createTable(spec.name, spec, spec.engine, t)];
  }
  const local = `${spec.name}${LOCAL_SUFFIX}`;
  return [
    createTable(local, spec, replicatedEngine(spec.engine, t.database, local), t),
    `CREATE TABLE IF NOT EXISTS ${t.database}.${spec.name}${onCluster(t)} AS ${t.database}.${local}\n` +
      `ENGINE = Distributed(${t.cluster}, ${t.database}, ${local}, ${spec.shardingKey})`,
  ];
}

/** Idempotent column addition; in cluster mode both the local and the Distributed table change. */
export function addColumnStatements(table: string, column: ColumnSpec, t: Topology, after?: string): string[] {
  const position = after ? ` AFTER ${after}` : '';
  const alter = (name: string) =>
    `ALTER TABLE ${t.database}.${name}${onCluster(t)} ADD COLUMN IF NOT EXISTS ${columnDefinition(column)}${position}`;
  return t.cluster ? [alter(`${table}${LOCAL_SUFFIX}`), alter(table)] : [alter(table)];
}
