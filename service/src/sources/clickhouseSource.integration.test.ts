import { randomBytes } from 'node:crypto';
import { openTestStore } from '../../test/embedded';
import type { SqlConnection } from '../storage/connect';
import type { Store } from '../storage';
import { loadClickHouseRange, type RunQuery, type SourceQuery } from './clickhouseSource';
import { SourceError } from './errors';

/**
 * The ClickHouse source against the real engine: every date/time type the result can carry, NULL and NaN values,
 * duplicates, off-grid and out-of-range rows, query-provided seasonality, and the errors users meet first.
 */

const T = (hm: string, d = '2024-01-06') => Date.parse(`${d}T${hm}:00Z`);
const I = 600;

let store: Store;
let raw: SqlConnection;
let close: () => Promise<void>;
let run: RunQuery;
const table = `default.x_${randomBytes(6).toString('hex')}`;

beforeAll(async () => {
  const t = await openTestStore('src');
  store = t.store;
  raw = t.sql;
  close = t.close;
  run = (sql) => store.userQuery(sql);
  // DDL and INSERT return no result set: they go through the raw connection, queries through userQuery.
  await raw.command(
    `CREATE TABLE ${table} (ts DateTime('UTC'), v Nullable(Float64), region LowCardinality(String), ` +
      `hits UInt64, label String) ENGINE = MergeTree ORDER BY tuple()`
  );
  // Saturday 2024-01-06, 10-minute buckets 15:00–15:50 with holes, plus rows the loader must drop or resolve.
  await raw.command(
    `INSERT INTO ${table} VALUES
      ('2024-01-06 14:50:00', 99, 'eu', 1, 'a'),
      ('2024-01-06 15:00:00', 1.5, 'eu', 10, 'a'),
      ('2024-01-06 15:10:00', NULL, 'eu', 11, 'a'),
      ('2024-01-06 15:20:00', nan, 'us', 12, 'a'),
      ('2024-01-06 15:35:00', 7, 'us', 13, 'a'),
      ('2024-01-06 15:40:00', 4, 'us', 14, 'a'),
      ('2024-01-06 16:00:00', 99, 'us', 15, 'a')`
  );
});

afterAll(async () => {
  await raw.command(`DROP TABLE IF EXISTS ${table}`);
  await close();
});

const base: SourceQuery = {
  columns: { timestamp: 'timestamp', metric: 'value' },
  seasonalityColumns: ['hour', 'is_weekend'],
};

describe('ClickHouse source on the embedded engine', () => {
  it('loads DateTime rows onto the grid with NULL/NaN as missing and dropped rows counted', async () => {
    const q = {
      ...base,
      // No time filter on purpose: the loader itself must drop rows outside [start, end).
      sql: `SELECT ts AS timestamp, v AS value FROM ${table} ORDER BY ts`,
    };
    const r = await loadClickHouseRange(run, q, T('15:00'), T('16:00'), I);
    expect([...r.timestamps]).toEqual([T('15:00'), T('15:10'), T('15:20'), T('15:30'), T('15:40'), T('15:50')]);
    expect([...r.values]).toEqual([1.5, NaN, NaN, NaN, 4, NaN]);
    expect(r.stats).toMatchObject({ rows: 7, placed: 4, nulls: 2, offGrid: 1, outOfRange: 2, gaps: 2, duplicates: 0 });
    expect(r.seasonalityData[0]).toBe('{"hour":15,"is_weekend":true}');
    expect(r.seasonalityColumns).toBe('hour,is_weekend');
    // The 16:00 row sits at the end (what BETWEEN returns): only the 14:50 row is worth a warning.
    expect(r.warnings.some((w) => w.startsWith('1 row(s) fall outside'))).toBe(true);
  });

  it('filters with the rendered range and buckets with interval_seconds', async () => {
    const q = {
      ...base,
      sql: `SELECT toStartOfInterval(ts, INTERVAL {{ interval_seconds }} SECOND) AS timestamp, max(v) AS value
            FROM ${table}
            WHERE ts >= '{{ dtk_start_time }}' AND ts < '{{ dtk_end_time }}'
            GROUP BY timestamp ORDER BY timestamp`,
    };
    const r = await loadClickHouseRange(run, q, T('15:00'), T('16:00'), I);
    expect(r.sql).toContain("ts >= '2024-01-06 15:00:00' AND ts < '2024-01-06 16:00:00'");
    // 15:35 falls into the 15:30 bucket; max() skips NULL, NaN compares as larger than everything in max().
    expect(r.values[0]).toBe(1.5);
    expect(r.values[1]).toBeNaN();
    expect(r.values[3]).toBe(7);
    expect(r.values[4]).toBe(4);
    expect(r.stats).toMatchObject({ offGrid: 0, outOfRange: 0 });
  });

  it('reads DateTime64 and other-timezone DateTime columns as the same UTC instants, with mapped names', async () => {
    const expected = [T('15:00'), T('15:10'), T('15:20'), T('15:30'), T('15:40'), T('15:50')];
    for (const expr of ["toDateTime64(ts, 3, 'UTC')", "toTimeZone(ts, 'Asia/Kolkata')", 'toDateTime64(ts, 6)']) {
      const q: SourceQuery = {
        columns: { timestamp: 't', metric: 'm' },
        seasonalityColumns: [],
        sql: `SELECT ${expr} AS t, hits AS m FROM ${table} ORDER BY ts`,
      };
      const r = await loadClickHouseRange(run, q, T('15:00'), T('16:00'), I);
      expect([...r.timestamps]).toEqual(expected);
      expect([...r.values]).toEqual([10, 11, 12, NaN, 14, NaN]);
      expect(r.seasonalityData.every((s) => s === '{}')).toBe(true);
    }
  });

  it('reads Date timestamps on a daily grid, last duplicate wins', async () => {
    const q: SourceQuery = {
      ...base,
      seasonalityColumns: ['day_of_week'],
      sql: `SELECT toDate(ts) AS timestamp, toFloat64(hits) AS value FROM ${table} ORDER BY ts`,
    };
    const r = await loadClickHouseRange(run, q, T('00:00', '2024-01-05'), T('00:00', '2024-01-08'), 86400);
    expect([...r.timestamps]).toEqual([T('00:00', '2024-01-05'), T('00:00', '2024-01-06'), T('00:00', '2024-01-07')]);
    expect([...r.values]).toEqual([NaN, 15, NaN]);
    expect(r.stats.duplicates).toBe(6);
    expect(r.seasonalityData).toEqual(['{"day_of_week":4}', '{"day_of_week":5}', '{"day_of_week":6}']);
  });

  it('keeps query-provided seasonality on the right points', async () => {
    const q: SourceQuery = {
      columns: { timestamp: 'timestamp', metric: 'value', seasonality: ['region', 'parity'] },
      seasonalityColumns: ['hour'],
      sql: `SELECT ts AS timestamp, v AS value, region, toUInt8(hits % 2) AS parity, toFloat64(hits) AS f FROM ${table}`,
    };
    const r = await loadClickHouseRange(run, q, T('15:00'), T('16:00'), I);
    expect(r.seasonalityData).toEqual([
      '{"parity":0,"region":"eu"}',
      '{"parity":1,"region":"eu"}',
      '{"parity":0,"region":"us"}',
      '{}',
      '{"parity":0,"region":"us"}',
      '{}',
    ]);
    expect(r.seasonalityColumns).toBe('region,parity');
  });

  it('an empty result is nothing to store', async () => {
    const q = { ...base, sql: `SELECT ts AS timestamp, v AS value FROM ${table} WHERE ts > '2030-01-01 00:00:00'` };
    const r = await loadClickHouseRange(run, q, T('15:00'), T('16:00'), I);
    expect(r.timestamps).toHaveLength(0);
    expect(r.stats.rows).toBe(0);
  });

  it('reports an SQL syntax error clearly, with the rendered SQL', async () => {
    const q = { ...base, sql: `SELEC ts AS timestamp FROM ${table} WHERE ts >= '{{ dtk_start_time }}'` };
    const e = (await loadClickHouseRange(run, q, T('15:00'), T('16:00'), I).catch((x: unknown) => x)) as SourceError;
    expect(e).toBeInstanceOf(SourceError);
    expect(e.code).toBe('storage_query');
    expect(e.message).toMatch(/^Query failed: .*Syntax error/);
    expect(e.details?.sql).toContain("'2024-01-06 15:00:00'");
  });

  it('reports an unknown table as the engine says it', async () => {
    const q = { ...base, sql: 'SELECT 1 AS timestamp, 2 AS value FROM default.no_such_table_dtk' };
    await expect(loadClickHouseRange(run, q, T('15:00'), T('16:00'), I)).rejects.toThrow(/no_such_table_dtk/);
  });

  it('reports a missing timestamp column with the columns the query returned', async () => {
    const q = { ...base, sql: `SELECT ts, v AS value FROM ${table}` };
    await expect(loadClickHouseRange(run, q, T('15:00'), T('16:00'), I)).rejects.toThrow(
      "Query must return 'timestamp' column (configured as timestamp column). Got columns: ['ts', 'value']"
    );
  });

  it('refuses wrong column types', async () => {
    const text = { ...base, sql: `SELECT ts AS timestamp, label AS value FROM ${table}` };
    await expect(loadClickHouseRange(run, text, T('15:00'), T('16:00'), I)).rejects.toThrow(
      "Value column 'value' has type String"
    );
    const epoch = { ...base, sql: `SELECT toUnixTimestamp(ts) AS timestamp, v AS value FROM ${table}` };
    await expect(loadClickHouseRange(run, epoch, T('15:00'), T('16:00'), I)).rejects.toThrow(
      "Timestamp column 'timestamp' has type UInt32"
    );
  });
});
