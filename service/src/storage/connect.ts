import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import type { ClickHouseProfile, DatabaseProfile, EmbeddedProfile } from '../../../common/config/profile';
import { StorageError, errorMessage } from '../errors';
import { clickhouseLoggerClass } from '../logging/clickhouseLogger';
import type { Logger } from '../logging/logger';
import { lockDataDir, prepareDataDir } from './dataDir';

/** Where the store lives, for messages and `dtk storage status`. */
export interface StoreLocation {
  kind: 'embedded' | 'clickhouse';
  /** Data directory (embedded) or URL (server). */
  where: string;
  database: string;
  cluster?: string;
}

/** A connection with errors translated into StorageErrors that say what to do. */
export interface SqlConnection {
  readonly location: StoreLocation;
  command(sql: string, params?: Record<string, unknown>): Promise<void>;
  /** Runs a SELECT and returns its rows as JSON objects (small results). */
  json<T>(sql: string, params?: Record<string, unknown>): Promise<T[]>;
  /** Inserts a few rows given as JSON objects (small, infrequent writes). */
  insertJson(table: string, rows: Array<Record<string, unknown>>): Promise<void>;
  /** Runs a SELECT and returns column names/types and rows (JSONCompact; ClickHouse settings per query). */
  compact(sql: string, settings?: Record<string, unknown>): Promise<CompactResult>;
  /** Runs a statement whose text includes `FORMAT X` and returns the raw bytes of the answer. */
  bytes(sql: string, params?: Record<string, unknown>): Promise<Buffer>;
  /**
   * `INSERT … SELECT … FROM <source>` where the source is RowBinary rows of the given structure:
   * `input()` with the rows as the request body on a server; a spooled file read with `file()` in
   * the embedded engine, which cannot stream a body into `input()`.
   */
  insertRowBinary(
    structure: string,
    sql: (source: string) => string,
    rows: Buffer,
    params?: Record<string, unknown>
  ): Promise<void>;
  close(): Promise<void>;
}

export interface CompactResult {
  meta: Array<{ name: string; type: string }>;
  data: unknown[][];
}

interface ConnectOptions {
  /** Directory relative paths are resolved against (the project root). */
  baseDir: string;
  logger: Logger;
  profileName?: string;
}

export async function connect(profile: DatabaseProfile, options: ConnectOptions): Promise<SqlConnection> {
  return profile.type === 'embedded' ? connectEmbedded(profile, options) : connectServer(profile, options);
}

async function connectEmbedded(profile: EmbeddedProfile, options: ConnectOptions): Promise<SqlConnection> {
  const dir = path.resolve(options.baseDir, profile.path);
  prepareDataDir(dir);
  const release = lockDataDir(dir);
  try {
    // Loaded lazily: the engine is large and a server profile must not pay for it.
    const { createChdbConnection } = await import('chdb/connection');
    const client = createClient({
      connection: createChdbConnection({ path: dir }),
      clickhouse_settings: profile.settings,
      log: { LoggerClass: clickhouseLoggerClass(options.logger) },
    } as Parameters<typeof createClient>[0]);
    const location: StoreLocation = { kind: 'embedded', where: dir, database: profile.internal_database };
    const spool = path.join(dir, 'ingest');
    fs.mkdirSync(spool, { recursive: true });
    const conn = wrap(client, location, () => `the embedded engine at ${dir}`, { kind: 'file', spool }, release);
    await conn.command('SELECT 1');
    return conn;
  } catch (e) {
    release();
    if (e instanceof StorageError) {
      throw e;
    }
    throw new StorageError(
      'storage_unreachable',
      `Could not open the embedded ClickHouse engine at ${dir}: ${errorMessage(e)}. Check that \`npm install\` completed (package chdb) and that the directory holds a dtk data store.`,
      { cause: e }
    );
  }
}

/** detectkit profiles name ClickHouse's native TCP port; we speak HTTP on the matching port. */
export function httpUrl(profile: ClickHouseProfile, logger?: Logger, profileName?: string): string {
  let port = profile.http_port;
  let secure = profile.secure;
  if (port === undefined) {
    if (profile.port === 9000 || profile.port === 9440) {
      secure = secure || profile.port === 9440;
      port = secure ? 8443 : 8123;
      logger?.info(
        { profile: profileName, native_port: profile.port, http_port: port },
        `profile names ClickHouse's native port ${profile.port}; dtk uses the HTTP interface on port ${port} (set http_port to override)`
      );
    } else {
      port = profile.port ?? (secure ? 8443 : 8123);
    }
  }
  return `${secure ? 'https' : 'http'}://${profile.host}:${port}`;
}

async function connectServer(profile: ClickHouseProfile, options: ConnectOptions): Promise<SqlConnection> {
  if (!profile.internal_database) {
    throw new StorageError(
      'config_invalid',
      `internal_database must be set for ClickHouse${options.profileName ? ` (profile '${options.profileName}')` : ''}: add \`internal_database: <db>\` — the database that holds the _dtk_* tables.`
    );
  }
  const url = httpUrl(profile, options.logger, options.profileName);
  const client = createClient({
    url,
    username: profile.user,
    password: profile.password,
    // Progress headers keep long queries alive through proxies that drop idle connections.
    clickhouse_settings: {
      send_progress_in_http_headers: 1,
      http_headers_progress_interval_ms: '60000',
      ...profile.settings,
    },
    request_timeout: profile.timeout * 1000,
    application: 'dtk',
    log: { LoggerClass: clickhouseLoggerClass(options.logger) },
  });
  const location: StoreLocation = {
    kind: 'clickhouse',
    where: url,
    database: profile.internal_database,
    cluster: profile.cluster,
  };
  const conn = wrap(client, location, () => `ClickHouse at ${url} (user ${profile.user})`, { kind: 'input' });
  // A real query, not /ping: /ping answers without checking the credentials.
  await conn.command('SELECT 1');
  return conn;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH']);
const AUTH_CODES = new Set(['516', '192', '193', '194', '195']);

/** Translates client and engine failures into errors an operator can act on. */
export function translateError(e: unknown, target: string): StorageError {
  if (e instanceof StorageError) {
    return e;
  }
  const err = e as { code?: string; type?: string; message?: string };
  const code = err?.code ?? '';
  const message = errorMessage(e);
  if (NETWORK_CODES.has(code) || /ECONNREFUSED|ENOTFOUND|socket hang up|Timeout error/i.test(message)) {
    return new StorageError(
      'storage_unreachable',
      `Cannot reach ${target}: ${code || message}. Check that the server is running and that host, port (or http_port) and secure in profiles.yml point at its HTTP interface.`,
      { cause: e }
    );
  }
  if (AUTH_CODES.has(code) || err?.type === 'AUTHENTICATION_FAILED' || /Authentication failed/i.test(message)) {
    return new StorageError(
      'storage_auth',
      `${target} refused the credentials: ${firstLine(message)}. Fix user and password in profiles.yml (or the environment variables they interpolate).`,
      { cause: e }
    );
  }
  return new StorageError('storage_query', `${target} failed a query: ${firstLine(message)}`, { cause: e });
}

function firstLine(s: string): string {
  return s.split('\n')[0]?.trim() ?? s;
}

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) {
    chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

type RowSource = { kind: 'input' } | { kind: 'file'; spool: string };

function sqlString(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function wrap(
  client: ClickHouseClient,
  location: StoreLocation,
  target: () => string,
  rowSource: RowSource,
  release?: () => void
): SqlConnection {
  const guard = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (e) {
      throw translateError(e, target());
    }
  };
  let closed = false;
  return {
    location,
    command: (sql, params) => guard(async () => void (await client.command({ query: sql, query_params: params }))),
    json: <T>(sql: string, params?: Record<string, unknown>) =>
      guard(async () => {
        const rs = await client.query({ query: sql, query_params: params, format: 'JSONEachRow' });
        return (await rs.json()) as T[];
      }),
    insertJson: (table, rows) =>
      guard(async () => {
        if (rows.length > 0) {
          await client.insert({ table, values: rows, format: 'JSONEachRow' });
        }
      }),
    compact: (sql, settings) =>
      guard(async () => {
        const rs = await client.query({
          query: sql,
          format: 'JSONCompact',
          clickhouse_settings: settings as Parameters<ClickHouseClient['query']>[0]['clickhouse_settings'],
        });
        const body = (await rs.json()) as CompactResult;
        return { meta: body.meta, data: body.data };
      }),
    bytes: (sql, params) =>
      guard(async () => {
        const res = await client.exec({ query: sql, query_params: params });
        return collect(res.stream as Readable);
      }),
    insertRowBinary: (structure, sql, rows, params) =>
      guard(async () => {
        if (rows.length === 0) {
          return;
        }
        if (rowSource.kind === 'input') {
          const query = `${sql(`input(${sqlString(structure)})`)} FORMAT RowBinary`;
          const res = await client.exec({ query, query_params: params, values: Readable.from([rows]) });
          // Drain the (empty) answer so the HTTP socket returns to the pool.
          await collect(res.stream as Readable);
          return;
        }
        const file = path.join(rowSource.spool, `${randomUUID()}.bin`);
        await fs.promises.writeFile(file, rows);
        try {
          await client.command({
            query: sql(`file(${sqlString(file)}, 'RowBinary', ${sqlString(structure)})`),
            query_params: params,
          });
        } finally {
          await fs.promises.rm(file, { force: true });
        }
      }),
    close: async () => {
      if (closed) {
        return;
      }
      closed = true;
      try {
        await client.close();
      } finally {
        release?.();
      }
    },
  };
}
