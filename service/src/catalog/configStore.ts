import { StorageError } from '../errors';
import { tables, type Store } from '../storage';

/**
 * `_dtk_metric_configs`: one row per saved version of a UI-managed metric; a delete appends a row with
 * `deleted = 1`; the highest version of a name is its current state.
 *
 * DESIGN §2 keeps SQL about `_dtk_*` tables in service/src/storage. Store has no method for this table yet, so the
 * statements live here, on Store's public surface (`userQuery`, `userCommand`, `table`); they move into storage
 * as they are (a `MetricConfigStore` beside AlertStore) when that module grows one.
 */
export interface StoredConfig {
  name: string;
  version: number;
  /** The definition as JSON text ('' for a tombstone). */
  definition: string;
  deleted: boolean;
  author: string;
  comment: string;
  /** Epoch ms. */
  createdAt: number;
}

export interface NewConfigRow {
  name: string;
  version: number;
  definition: string;
  deleted: boolean;
  author: string;
  comment: string;
}

/**
 * A string as a ClickHouse expression without quoting rules to get wrong: `unhex('…')` of its UTF-8 bytes.
 * userQuery takes no query parameters, and metric names in URLs can hold any character.
 */
export function sqlText(s: string): string {
  return `unhex('${Buffer.from(s, 'utf8').toString('hex')}')`;
}

const COLUMNS = `metric_name, version, definition, deleted, author, comment, toUnixTimestamp64Milli(created_at)`;

function fromRow(r: unknown[]): StoredConfig {
  return {
    name: String(r[0]),
    version: Number(r[1]),
    definition: String(r[2]),
    deleted: Number(r[3]) === 1,
    author: String(r[4]),
    comment: String(r[5]),
    createdAt: Number(r[6]),
  };
}

export class MetricConfigStore {
  private readonly table: string;
  private lastCreated = 0;

  constructor(private readonly store: Store) {
    this.table = store.table(tables.METRIC_CONFIGS.name);
  }

  /** The newest row of every name (tombstones included, so versions keep counting after a delete). */
  async latest(): Promise<StoredConfig[]> {
    const r = await this.store.userQuery(
      `SELECT ${COLUMNS} FROM ${this.table} FINAL ORDER BY metric_name, version DESC LIMIT 1 BY metric_name`
    );
    return r.rows.map(fromRow);
  }

  /** The newest row of one name, or undefined. */
  async latestOf(name: string): Promise<StoredConfig | undefined> {
    const r = await this.store.userQuery(
      `SELECT ${COLUMNS} FROM ${this.table} FINAL WHERE metric_name = ${sqlText(name)} ORDER BY version DESC LIMIT 1`
    );
    return r.rows[0] ? fromRow(r.rows[0]) : undefined;
  }

  /** Every saved version of a name, newest first (the history a UI can show). */
  async history(name: string, limit = 100): Promise<StoredConfig[]> {
    const r = await this.store.userQuery(
      `SELECT ${COLUMNS} FROM ${this.table} FINAL WHERE metric_name = ${sqlText(name)} ORDER BY version DESC LIMIT ${Math.max(1, Math.floor(limit))}`
    );
    return r.rows.map(fromRow);
  }

  /**
   * Appends a version, then reads it back: two replicas saving the same version at once both insert, the table
   * keeps one (the later created_at), and only the writer whose row survived gets `true`.
   */
  async append(row: NewConfigRow): Promise<{ stored: StoredConfig; won: boolean }> {
    const created = Math.max(Date.now(), this.lastCreated + 1);
    this.lastCreated = created;
    const settings = this.store.topology.cluster ? ' SETTINGS insert_distributed_sync = 1' : '';
    await this.store.userCommand(
      `INSERT INTO ${this.table} (metric_name, version, definition, deleted, author, comment, created_at)${settings}
       SELECT {m:String}, {v:UInt32}, {d:String}, {del:UInt8}, {a:String}, {c:String}, fromUnixTimestamp64Milli({t:Int64}, 'UTC')`,
      {
        m: row.name,
        v: row.version,
        d: row.definition,
        del: row.deleted ? 1 : 0,
        a: row.author,
        c: row.comment,
        t: created,
      }
    );
    const r = await this.store.userQuery(
      `SELECT ${COLUMNS} FROM ${this.table} FINAL WHERE metric_name = ${sqlText(row.name)} AND version = ${row.version}`
    );
    const back = r.rows[0] ? fromRow(r.rows[0]) : undefined;
    if (!back) {
      throw new StorageError(
        'storage_query',
        `version ${row.version} of metric '${row.name}' was written but cannot be read back from ${this.table}`
      );
    }
    const won = back.createdAt === created && back.definition === row.definition && back.author === row.author;
    return { stored: back, won };
  }
}
