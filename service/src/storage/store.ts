import type { DatabaseProfile } from '../../../common/config/profile';
import { silentLogger, type Logger } from '../logging/logger';
import { AlertStore } from './alerts';
import { clickhouseTime, RowBinaryReader } from './codec';
import { connect, type SqlConnection, type StoreLocation } from './connect';
import { createDatabaseStatement, type Topology } from './ddl';
import { GroupCommit } from './groupCommit';
import { LockManager } from './locks';
import {
  encodeDatapoints,
  encodeDetections,
  insertDatapoints,
  insertDetections,
  metricStates,
  readBandsMany,
  readSeriesMany,
  whole,
  type BandsRequest,
  type BatchTables,
  type Encoded,
  type Part,
  type SeriesRequest,
  type StateRequest,
} from './metricBatches';
import { currentVersion, migrate, type MigrationResult } from './migrate';
import { ALERTS, ALL_TABLES, DATAPOINTS, DETECTIONS, METRICS, TASKS } from './schema';

/** Rows per INSERT: large enough for the engine to parse in parallel, small enough to stream. */
const WRITE_BATCH = 100_000;
/** Writes and reads up to this many rows join a group commit; larger ones (backfills) go alone. */
const GROUP_ROWS = 20_000;
/** Metrics per grouped statement: bounds the statement's parameters and the answer's size. */
const GROUP_METRICS = 1_000;

export interface DatapointBatch {
  metricName: string;
  intervalSeconds: number;
  /** Comma-separated seasonality column names, as detectkit stores them. */
  seasonalityColumns?: string;
  /** Epoch milliseconds (UTC). */
  timestamps: ArrayLike<number>;
  /** NaN = missing → stored as NULL. */
  values: ArrayLike<number>;
  /** Per-row JSON object of seasonality features; `{}` when absent. */
  seasonalityData?: readonly string[];
}

export interface DetectionBatch {
  metricName: string;
  detectorId: string;
  detectorName: string;
  /** Compact sorted JSON of the detector's non-default parameters. */
  detectorParams: string;
  timestamps: ArrayLike<number>;
  isAnomaly: ArrayLike<number | boolean>;
  lower: ArrayLike<number>;
  upper: ArrayLike<number>;
  values: ArrayLike<number>;
  processedValues: ArrayLike<number>;
  /**
   * `detection_metadata` per row, or a function that makes row i's text when it is encoded: made at the last
   * moment, a million metadata strings die young instead of surviving (and being copied by) several collections.
   */
  metadata: readonly string[] | ((i: number) => string);
}

export interface Series {
  timestamps: Float64Array;
  /** NaN where the stored value is NULL. */
  values: Float64Array;
  seasonalityData?: string[];
}

export interface TimeRange {
  /** Inclusive, epoch ms. */
  from?: number;
  /** Exclusive, epoch ms. */
  to?: number;
}

/** A metric's stored extent (epoch ms, null when nothing is stored). */
export interface MetricState {
  firstDatapoint: number | null;
  lastDatapoint: number | null;
  /** By detector id. */
  lastDetection: Record<string, number | null>;
}

/** A `_dtk_detections` row as the engine answers it in JSON (`t` = epoch ms). */
export interface DetectionJsonRow {
  detector_id: string;
  detector_name: string;
  t: string | number;
  is_anomaly: boolean | number;
  confidence_lower: number | null;
  confidence_upper: number | null;
  value: number | null;
  processed_value: number | null;
}

/** A stored detection row (NULL bounds as null). */
export interface StoredDetection {
  detectorId: string;
  detectorName: string;
  timestamp: number;
  isAnomaly: boolean;
  lower: number | null;
  upper: number | null;
  value: number | null;
  processedValue: number | null;
}

/** One detector's stored band over a range: times, anomaly flags (0/1), bounds (NaN where NULL). */
export interface StoredBand {
  detectorId: string;
  detectorName: string;
  detectorParams: string;
  timestamps: Float64Array;
  anomaly: Uint8Array;
  lower: Float64Array;
  upper: Float64Array;
  /** The value the detector judged (processed_value; NaN where NULL): what the score measures. */
  processed: Float64Array;
}

/** One `_dtk_metrics` row as detectkit writes it (§6.6). */
export interface MetricInfo {
  metric_name: string;
  description: string | null;
  path: string;
  interval: string;
  /** Epoch ms, or null. */
  loading_start_time: number | null;
  loading_batch_size: number;
  is_alert_enabled: number;
  timezone: string | null;
  direction: string | null;
  consecutive_anomalies: number;
  no_data_alert: number;
  min_detectors: number;
  /** JSON array, e.g. `["critical", "infra"]`. */
  tags: string;
  enabled: number;
}

const METRIC_INFO_KEYS = [
  'metric_name',
  'description',
  'path',
  'interval',
  'loading_start_time',
  'loading_batch_size',
  'is_alert_enabled',
  'timezone',
  'direction',
  'consecutive_anomalies',
  'no_data_alert',
  'min_detectors',
  'tags',
  'enabled',
] as const satisfies ReadonlyArray<keyof MetricInfo>;

function normalise(v: unknown): string {
  return v === null || v === undefined ? '' : String(typeof v === 'boolean' ? Number(v) : v);
}

/** The answer of a metric's SQL: columns in order, rows as arrays in the same order. */
export interface UserQueryResult {
  columns: Array<{ name: string; type: string }>;
  rows: unknown[][];
}

export interface OpenOptions {
  /** Resolves the embedded data directory; the project root. */
  baseDir?: string;
  logger?: Logger;
  profileName?: string;
  /** Create or upgrade tables on open (default true). */
  migrate?: boolean;
}

/**
 * The only module that writes SQL about `_dtk_*` tables. Everything the pipeline, the scheduler
 * and the API store or read goes through a Store.
 */
export class Store {
  readonly locks: LockManager;
  /** `_dtk_alerts` (alert events and their delivery outbox): see alerts.ts. */
  readonly alerts: AlertStore;
  readonly topology: Topology;
  private readonly db: string;
  private readonly batchTables: BatchTables;
  private readonly datapointWrites: GroupCommit<DatapointBatch, void>;
  private readonly detectionWrites: GroupCommit<DetectionBatch, void>;
  private readonly states: GroupCommit<StateRequest, MetricState>;
  private readonly seriesReads: GroupCommit<SeriesRequest, Series>;
  private readonly seasonalSeriesReads: GroupCommit<SeriesRequest, Series>;
  private readonly bandReads: GroupCommit<BandsRequest, StoredBand[]>;

  private constructor(
    private readonly conn: SqlConnection,
    readonly profile: DatabaseProfile,
    private readonly logger: Logger
  ) {
    this.topology = { database: conn.location.database, cluster: conn.location.cluster };
    this.db = conn.location.database;
    // Embedded: one process per directory, claims are serialised in-process; servers get a settle delay.
    this.locks = new LockManager(
      conn,
      this.table(TASKS.name),
      profile.type === 'embedded' ? { exclusive: true } : { settleMs: 250 }
    );
    this.alerts = new AlertStore(
      conn,
      this.table(ALERTS.name),
      this.table(DETECTIONS.name),
      this.table(DATAPOINTS.name)
    );
    const t: BatchTables = (this.batchTables = {
      datapoints: this.table(DATAPOINTS.name),
      detections: this.table(DETECTIONS.name),
      insertSettings: this.insertSettings(),
    });
    const rows = { maxItems: GROUP_METRICS, weight: (b: { timestamps: ArrayLike<number> }) => b.timestamps.length };
    this.datapointWrites = new GroupCommit<DatapointBatch, void>(
      async (bs) => {
        await insertDatapoints(conn, t, encodeDatapoints(bs.map(whole)));
        return bs.map(() => undefined);
      },
      { ...rows, maxWeight: WRITE_BATCH }
    );
    this.detectionWrites = new GroupCommit<DetectionBatch, void>(
      async (bs) => {
        await insertDetections(conn, t, encodeDetections(bs.map(whole)));
        return bs.map(() => undefined);
      },
      { ...rows, maxWeight: WRITE_BATCH }
    );
    this.states = new GroupCommit((reqs) => metricStates(conn, t, reqs), { maxItems: GROUP_METRICS });
    this.seriesReads = new GroupCommit((reqs) => readSeriesMany(conn, t, reqs, false), { maxItems: GROUP_METRICS });
    // Bands are read for charts: a dashboard's panels ask at once, and get one statement.
    this.bandReads = new GroupCommit((reqs) => readBandsMany(conn, t, reqs), { maxItems: 50 });
    this.seasonalSeriesReads = new GroupCommit((reqs) => readSeriesMany(conn, t, reqs, true), {
      maxItems: GROUP_METRICS,
    });
  }

  static async open(profile: DatabaseProfile, options: OpenOptions = {}): Promise<Store> {
    const logger = options.logger ?? silentLogger;
    const conn = await connect(profile, {
      baseDir: options.baseDir ?? process.cwd(),
      logger,
      profileName: options.profileName,
    });
    const store = new Store(conn, profile, logger);
    try {
      if (options.migrate !== false) {
        await store.migrate();
      }
    } catch (e) {
      await conn.close();
      throw e;
    }
    return store;
  }

  get location(): StoreLocation {
    return this.conn.location;
  }

  table(name: string): string {
    return `${this.db}.${name}`;
  }

  /** Insert-side settings: in a cluster, inserts wait until the shard has the rows (read-your-writes). */
  private insertSettings(): string {
    return this.topology.cluster ? ' SETTINGS insert_distributed_sync = 1' : '';
  }

  async migrate(): Promise<MigrationResult> {
    const result = await migrate(this.conn, this.topology, this.logger);
    const dataDb = this.profile.data_database;
    if (dataDb && dataDb !== this.db) {
      await this.conn.command(createDatabaseStatement(dataDb, this.topology));
    }
    return result;
  }

  schemaVersion(): Promise<number> {
    return currentVersion(this.conn, this.topology);
  }

  /** Sends a large batch in slices, encoding the next slice while the engine inserts this one. */
  private async pipelined<B>(
    b: B,
    n: number,
    encode: (parts: Array<Part<B>>) => Encoded,
    send: (e: Encoded) => Promise<void>
  ) {
    let inflight: Promise<void> | undefined;
    for (let from = 0; from < n; from += WRITE_BATCH) {
      const e = encode([{ b, from, to: Math.min(n, from + WRITE_BATCH) }]);
      if (inflight) {
        await inflight;
      }
      inflight = send(e);
    }
    await inflight;
  }

  /** Writes datapoints; rewriting a (metric, timestamp) replaces it. Returns rows written. */
  async writeDatapoints(b: DatapointBatch): Promise<number> {
    const n = b.timestamps.length;
    if (b.values.length !== n || (b.seasonalityData && b.seasonalityData.length !== n)) {
      throw new RangeError('writeDatapoints: timestamps, values and seasonalityData must have the same length');
    }
    if (n === 0) {
      return 0;
    }
    if (n <= GROUP_ROWS) {
      await this.datapointWrites.submit(b);
      return n;
    }
    await this.pipelined(b, n, encodeDatapoints, (e) => insertDatapoints(this.conn, this.batchTables, e));
    return n;
  }

  /** Writes one detector's results; rewriting a (metric, detector, timestamp) replaces it. */
  async writeDetections(b: DetectionBatch): Promise<number> {
    const n = b.timestamps.length;
    const cols = [b.isAnomaly, b.lower, b.upper, b.values, b.processedValues];
    for (const col of typeof b.metadata === 'function' ? cols : [...cols, b.metadata]) {
      if (col.length !== n) {
        throw new RangeError('writeDetections: every column must have the same length');
      }
    }
    if (n === 0) {
      return 0;
    }
    if (n <= GROUP_ROWS) {
      await this.detectionWrites.submit(b);
      return n;
    }
    await this.pipelined(b, n, encodeDetections, (e) => insertDetections(this.conn, this.batchTables, e));
    return n;
  }

  private rangeFilter(r: TimeRange): string {
    return (
      (r.from === undefined ? '' : ` AND timestamp >= fromUnixTimestamp64Milli({from:Int64}, 'UTC')`) +
      (r.to === undefined ? '' : ` AND timestamp < fromUnixTimestamp64Milli({to:Int64}, 'UTC')`)
    );
  }

  /**
   * One metric's datapoints in [from, to), deduplicated, ordered by time, as typed arrays. A caller that knows
   * the range holds at most `maxPoints` points lets the read join other metrics' reads (one query per round).
   */
  async readSeries(
    metricName: string,
    range: TimeRange = {},
    opts: { seasonality?: boolean; maxPoints?: number } = {}
  ): Promise<Series> {
    const withSeas = opts.seasonality === true;
    if (
      range.from !== undefined &&
      range.to !== undefined &&
      opts.maxPoints !== undefined &&
      opts.maxPoints <= GROUP_ROWS
    ) {
      const req = { metricName, range: { from: range.from, to: range.to } };
      return (withSeas ? this.seasonalSeriesReads : this.seriesReads).submit(req);
    }
    const buf = await this.conn.bytes(
      `SELECT toUnixTimestamp64Milli(timestamp), value${withSeas ? ', seasonality_data' : ''}
       FROM ${this.table(DATAPOINTS.name)} FINAL
       WHERE metric_name = {m:String}${this.rangeFilter(range)}
       ORDER BY timestamp FORMAT RowBinary`,
      { m: metricName, from: range.from ?? 0, to: range.to ?? 0 }
    );
    // Upper bound on rows: a NULL value takes 9 bytes (10 with an empty seasonality string).
    const cap = Math.floor(buf.byteLength / (withSeas ? 10 : 9));
    const timestamps = new Float64Array(cap);
    const values = new Float64Array(cap);
    const seasonalityData: string[] | undefined = withSeas ? [] : undefined;
    const r = new RowBinaryReader(buf);
    let n = 0;
    while (!r.done) {
      timestamps[n] = r.int64AsNumber();
      values[n] = r.nullableFloat64();
      seasonalityData?.push(r.string());
      n++;
    }
    return {
      timestamps: n === cap ? timestamps : timestamps.slice(0, n),
      values: n === cap ? values : values.slice(0, n),
      ...(seasonalityData ? { seasonalityData } : {}),
    };
  }

  /**
   * Each detector's band over [from, to) (all stored detectors when `detectorIds` is null), deduplicated and
   * ordered by time. Reads made at the same time (the panels of a dashboard) share one statement.
   */
  readBands(
    metricName: string,
    detectorIds: readonly string[] | null,
    range: Required<TimeRange>
  ): Promise<StoredBand[]> {
    if (detectorIds !== null && detectorIds.length === 0) {
      return Promise.resolve([]);
    }
    return this.bandReads.submit({ metricName, detectorIds, range });
  }

  /**
   * Where a metric stands, in one round trip: its first and last stored datapoint and each given
   * detector's last detection (epoch ms; null when there is none).
   */
  metricState(metricName: string, detectorIds: readonly string[]): Promise<MetricState> {
    return this.states.submit({ metricName, detectorIds });
  }

  /** First stored datapoint time (epoch ms), or null: where a new detector starts. */
  async firstDatapointTimestamp(metricName: string): Promise<number | null> {
    const rows = await this.conn.json<{ t: string | number }>(
      `SELECT toUnixTimestamp64Milli(min(timestamp)) AS t, count() AS c FROM ${this.table(DATAPOINTS.name)} WHERE metric_name = {m:String}`,
      { m: metricName }
    );
    const t = Number(rows[0]?.t ?? 0);
    return t === 0 && Number((rows[0] as { c?: unknown } | undefined)?.c ?? 0) === 0 ? null : t;
  }

  /**
   * Deletes a metric's datapoints in [from, to) before a full refresh. A lightweight DELETE that
   * returns once the rows are gone (no asynchronous mutation racing the rewrite).
   */
  async deleteDatapoints(metricName: string, range: TimeRange = {}): Promise<void> {
    await this.conn.command(
      `DELETE FROM ${this.table(DATAPOINTS.name)} WHERE metric_name = {m:String}${this.rangeFilter(range)} SETTINGS lightweight_deletes_sync = 2`,
      { m: metricName, from: range.from ?? 0, to: range.to ?? 0 }
    );
  }

  /** Deletes one detector's detections in [from, to) before a full refresh (synchronously). */
  async deleteDetections(metricName: string, detectorId: string, range: TimeRange = {}): Promise<void> {
    await this.conn.command(
      `DELETE FROM ${this.table(DETECTIONS.name)} WHERE metric_name = {m:String} AND detector_id = {d:String}${this.rangeFilter(range)} SETTINGS lightweight_deletes_sync = 2`,
      { m: metricName, d: detectorId, from: range.from ?? 0, to: range.to ?? 0 }
    );
  }

  /** One metric's detections in [from, to), deduplicated, ordered by detector then time. */
  async readDetections(metricName: string, range: TimeRange = {}): Promise<StoredDetection[]> {
    const rows = await this.conn.json<DetectionJsonRow>(
      `SELECT detector_id, detector_name, toUnixTimestamp64Milli(timestamp) AS t, is_anomaly, confidence_lower, confidence_upper, value, processed_value
       FROM ${this.table(DETECTIONS.name)} FINAL
       WHERE metric_name = {m:String}${this.rangeFilter(range)}
       ORDER BY detector_id, timestamp`,
      { m: metricName, from: range.from ?? 0, to: range.to ?? 0 }
    );
    return rows.map((r) => ({
      detectorId: r.detector_id,
      detectorName: r.detector_name,
      timestamp: Number(r.t),
      isAnomaly: Boolean(r.is_anomaly),
      lower: r.confidence_lower,
      upper: r.confidence_upper,
      value: r.value,
      processedValue: r.processed_value,
    }));
  }

  /**
   * Keeps `_dtk_metrics` (detectkit's informational table) in step with the metric files. Rows are
   * rewritten only when a metric's description changed, so a scheduled run costs one read.
   */
  async syncMetricInfo(infos: MetricInfo[]): Promise<number> {
    if (infos.length === 0) {
      return 0;
    }
    const names = infos.map((i) => i.metric_name);
    const current = await this.conn.json<Record<string, unknown>>(
      `SELECT metric_name, description, path, interval, toUnixTimestamp64Milli(loading_start_time) AS loading_start_time,
              loading_batch_size, is_alert_enabled, timezone, direction, consecutive_anomalies, no_data_alert,
              min_detectors, tags, enabled
       FROM ${this.table(METRICS.name)} WHERE metric_name IN {names:Array(String)}
       ORDER BY updated_at`,
      { names }
    );
    const byName = new Map(current.map((r) => [String(r.metric_name), r]));
    const changed = infos.filter((i) => {
      const c = byName.get(i.metric_name);
      return !c || METRIC_INFO_KEYS.some((k) => normalise(c[k]) !== normalise(i[k]));
    });
    if (changed.length === 0) {
      return 0;
    }
    const changedNames = changed.map((i) => i.metric_name);
    await this.conn.command(
      `DELETE FROM ${this.table(METRICS.name)} WHERE metric_name IN {names:Array(String)} SETTINGS lightweight_deletes_sync = 2`,
      { names: changedNames }
    );
    const now = clickhouseTime(Date.now());
    await this.conn.insertJson(
      this.table(METRICS.name),
      changed.map((i) => ({
        ...i,
        loading_start_time: i.loading_start_time === null ? null : clickhouseTime(i.loading_start_time),
        created_at: now,
        updated_at: now,
      }))
    );
    return changed.length;
  }

  /** Last stored datapoint time (epoch ms), or null when the metric has none. */
  async lastDatapointTimestamp(metricName: string): Promise<number | null> {
    return this.lastTimestamp(this.table(DATAPOINTS.name), 'metric_name = {m:String}', { m: metricName });
  }

  /** Last stored detection time for one detector (epoch ms), or null. */
  async lastDetectionTimestamp(metricName: string, detectorId: string): Promise<number | null> {
    return this.lastTimestamp(this.table(DETECTIONS.name), 'metric_name = {m:String} AND detector_id = {d:String}', {
      m: metricName,
      d: detectorId,
    });
  }

  private async lastTimestamp(table: string, where: string, params: Record<string, unknown>): Promise<number | null> {
    const rows = await this.conn.json<{ t: string | number }>(
      `SELECT toUnixTimestamp64Milli(max(timestamp)) AS t FROM ${table} WHERE ${where}`,
      params
    );
    // max() over no rows is the epoch: detectkit reads that as "no data", and so do we.
    const t = Number(rows[0]?.t ?? 0);
    return t === 0 ? null : t;
  }

  /**
   * Runs a metric's own SQL (a detectkit `query`) and returns its columns and rows. Timestamps come
   * back as Unix seconds (with fractions for DateTime64), numbers as numbers, 64-bit integers unquoted.
   * Errors name the engine and carry ClickHouse's own message.
   */
  async userQuery(sql: string): Promise<UserQueryResult> {
    const r = await this.conn.compact(sql, {
      date_time_output_format: 'unix_timestamp',
      output_format_json_quote_64bit_integers: 0,
      output_format_json_quote_denormals: 1,
    });
    return { columns: r.meta, rows: r.data };
  }

  /** Runs a statement of the user's own (DDL, INSERT … SELECT) in the data database: the demo and tests. */
  async userCommand(sql: string, params?: Record<string, unknown>): Promise<void> {
    await this.conn.command(sql, params);
  }

  /** Row counts of every `_dtk_*` table (physical rows, before deduplication). */
  async tableCounts(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const t of ALL_TABLES) {
      const rows = await this.conn.json<{ c: string | number }>(`SELECT count() AS c FROM ${this.table(t.name)}`);
      out[t.name] = Number(rows[0]?.c ?? 0);
    }
    return out;
  }

  async close(): Promise<void> {
    await this.conn.close();
  }
}
