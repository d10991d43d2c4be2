import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StorageError } from '../errors';
import type { UserQueryResult } from '../storage';
import { loadClickHouseRange, type SourceQuery } from './clickhouseSource';
import { SourceError } from './errors';

const T = (hm: string, d = '2024-01-01') => Date.parse(`${d}T${hm}:00Z`);
const sec = (ms: number) => String(ms / 1000);
const I = 600;

/** detectkit's fixture: `SELECT timestamp, value FROM metrics`, 10min, seasonality_columns [hour, day_of_week]. */
const fixture: SourceQuery = {
  sql: 'SELECT timestamp, value FROM metrics',
  columns: { timestamp: 'timestamp', metric: 'value' },
  seasonalityColumns: ['hour', 'day_of_week'],
};

const DT = [
  { name: 'timestamp', type: "DateTime('UTC')" },
  { name: 'value', type: 'Float64' },
];

/** A mocked Store.userQuery returning rows of (timestamp ms, value); records the SQL it ran. */
function mock(rows: Array<[number, unknown, ...unknown[]]>, columns = DT) {
  const calls: string[] = [];
  const run = (sql: string): Promise<UserQueryResult> => {
    calls.push(sql);
    return Promise.resolve({ columns, rows: rows.map(([t, ...rest]) => [sec(t), ...rest]) });
  };
  return { run, calls };
}

describe('detectkit test_metric_loader.py (reference §10.11, adapted to the aligned grid)', () => {
  it('loads rows with every key, one entry per grid point', async () => {
    const m = mock([
      [T('00:00'), 0.5],
      [T('00:10'), 0.6],
      [T('00:20'), 0.7],
    ]);
    const r = await loadClickHouseRange(m.run, fixture, T('00:00'), T('01:00'), I);
    // detectkit's fill_gaps=False returned the 3 rows; the pipeline always fills: 6 points, 3 missing.
    expect([...r.timestamps]).toEqual([T('00:00'), T('00:10'), T('00:20'), T('00:30'), T('00:40'), T('00:50')]);
    expect([...r.values]).toEqual([0.5, 0.6, 0.7, NaN, NaN, NaN]);
    expect(r.seasonalityData).toHaveLength(6);
    expect(r.seasonalityData[0]).toBe('{"day_of_week":0,"hour":0}');
    expect(r.seasonalityColumns).toBe('hour,day_of_week');
    expect(r.stats).toMatchObject({ rows: 3, placed: 3, gaps: 3, trailingGap: 3, nulls: 0 });
    expect(m.calls).toEqual(['SELECT timestamp, value FROM metrics']);
  });

  it('keeps only the rows when trailing gaps are deferred (the shape of fill_gaps=False here)', async () => {
    const m = mock([
      [T('00:00'), 0.5],
      [T('00:10'), 0.6],
      [T('00:20'), 0.7],
    ]);
    const r = await loadClickHouseRange(m.run, fixture, T('00:00'), T('01:00'), I, { trimTrailingGap: true });
    expect([...r.values]).toEqual([0.5, 0.6, 0.7]);
    expect(r.stats).toMatchObject({ gaps: 0, trailingGap: 3 });
  });

  it('returns nothing for an empty result: no grid of NaNs', async () => {
    const r = await loadClickHouseRange(mock([]).run, fixture, T('00:00'), T('01:00'), I);
    expect(r.timestamps).toHaveLength(0);
    expect(r.values).toHaveLength(0);
    expect(r.seasonalityData).toEqual([]);
    expect(r.range).toEqual({ start: T('00:00'), end: T('01:00') });
  });

  it('requires the timestamp column', async () => {
    const m = mock([[T('00:00'), 0.5]], [{ name: 'ts', type: 'DateTime' }, DT[1]!]);
    await expect(loadClickHouseRange(m.run, fixture, T('00:00'), T('01:00'), I)).rejects.toThrow(
      "Query must return 'timestamp' column (configured as timestamp column). Got columns: ['ts', 'value']"
    );
  });

  it('requires the value column', async () => {
    const m = mock([[T('00:00'), 0.5]], [DT[0]!, { name: 'v', type: 'Float64' }]);
    await expect(loadClickHouseRange(m.run, fixture, T('00:00'), T('01:00'), I)).rejects.toThrow(
      "Query must return 'value' column (configured as metric value column). Got columns: ['timestamp', 'v']"
    );
  });

  it('gap fill: complete data has no NaN', async () => {
    const m = mock([
      [T('00:00'), 0.5],
      [T('00:10'), 0.6],
      [T('00:20'), 0.7],
    ]);
    const r = await loadClickHouseRange(m.run, fixture, T('00:00'), T('00:30'), I);
    expect([...r.values]).toEqual([0.5, 0.6, 0.7]);
    expect(r.stats.gaps).toBe(0);
  });

  it('gap fill: missing 00:10 and 00:20 become NaN', async () => {
    const m = mock([
      [T('00:00'), 0.5],
      [T('00:30'), 0.8],
    ]);
    const r = await loadClickHouseRange(m.run, fixture, T('00:00'), T('00:40'), I);
    expect([...r.values]).toEqual([0.5, NaN, NaN, 0.8]);
    expect(r.stats).toMatchObject({ placed: 2, gaps: 2, trailingGap: 0 });
  });

  it('derives seasonality from the grid timestamps (Saturday 15:00)', async () => {
    const m = mock([[T('15:00', '2024-01-06'), 1]]);
    const q = { ...fixture, seasonalityColumns: ['hour', 'day_of_week', 'month', 'is_weekend'] };
    const r = await loadClickHouseRange(m.run, q, T('15:00', '2024-01-06'), T('15:10', '2024-01-06'), I);
    expect(r.seasonalityData).toEqual(['{"day_of_week":5,"hour":15,"is_weekend":true,"month":1}']);
    const none = await loadClickHouseRange(
      m.run,
      { ...fixture, seasonalityColumns: [] },
      T('15:00', '2024-01-06'),
      T('15:10', '2024-01-06'),
      I
    );
    expect(none.seasonalityData).toEqual(['{}']);
    expect(none.seasonalityColumns).toBe('');
  });
});

describe('bad input', () => {
  it('NULL and NaN values are missing points, counted', async () => {
    const m = mock([
      [T('00:00'), null],
      [T('00:10'), 'nan'],
      [T('00:20'), 'inf'],
      [T('00:30'), 2],
    ]);
    const r = await loadClickHouseRange(m.run, fixture, T('00:00'), T('00:40'), I);
    expect([...r.values]).toEqual([NaN, NaN, Infinity, 2]);
    expect(r.stats).toMatchObject({ placed: 4, nulls: 2, gaps: 0 });
  });

  it('duplicates: the last row wins, and they are reported', async () => {
    const m = mock([
      [T('00:00'), 1],
      [T('00:10'), 2],
      [T('00:10'), 3],
      [T('00:10'), 4],
    ]);
    const r = await loadClickHouseRange(m.run, fixture, T('00:00'), T('00:20'), I);
    expect([...r.values]).toEqual([1, 4]);
    expect(r.stats.duplicates).toBe(2);
    expect(r.warnings).toEqual([expect.stringContaining('2 row(s) repeat a timestamp')]);
  });

  it('rows outside the range or off the grid are dropped and reported; a BETWEEN end row is silent', async () => {
    const m = mock([
      [T('23:50', '2023-12-31'), 9], // before the start
      [T('00:00'), 1],
      [T('00:05'), 9], // off-grid
      [T('00:10'), 2],
      [T('00:20'), 9], // = end, as BETWEEN returns
      [T('03:00'), 9], // after the end
    ]);
    const r = await loadClickHouseRange(m.run, fixture, T('00:00'), T('00:20'), I);
    expect([...r.values]).toEqual([1, 2]);
    expect(r.stats).toMatchObject({ rows: 6, placed: 2, outOfRange: 3, offGrid: 1 });
    expect(r.warnings).toEqual([
      expect.stringContaining('1 row(s) have a timestamp that is not a multiple of the 600s interval'),
      expect.stringContaining('2 row(s) fall outside the loaded range'),
    ]);
  });

  it('more rows than grid points cannot desynchronise the arrays', async () => {
    const rows: Array<[number, unknown]> = [];
    for (let i = 0; i < 50; i++) {
      rows.push([T('00:00') + i * 60000, i]); // one per minute on a 10-minute grid
    }
    const r = await loadClickHouseRange(mock(rows).run, fixture, T('00:00'), T('00:30'), I);
    expect([...r.values]).toEqual([0, 10, 20]);
    expect(r.seasonalityData).toHaveLength(3);
    expect(r.stats).toMatchObject({ offGrid: 27, outOfRange: 20 });
  });

  it('nothing on the grid is nothing to store (a query forgetting toStartOfInterval is not frozen as NaN)', async () => {
    const m = mock([
      [T('00:01'), 1],
      [T('00:11'), 2],
    ]);
    const r = await loadClickHouseRange(m.run, fixture, T('00:00'), T('00:30'), I);
    expect(r.timestamps).toHaveLength(0);
    expect(r.stats.offGrid).toBe(2);
    expect(r.warnings[0]).toContain('toStartOfInterval(<ts>, INTERVAL 600 SECOND)');
  });

  it('a non-numeric value column is refused, naming the column and type', async () => {
    const m = mock([[T('00:00'), 'high']], [DT[0]!, { name: 'value', type: 'String' }]);
    await expect(loadClickHouseRange(m.run, fixture, T('00:00'), T('00:10'), I)).rejects.toThrow(
      "Value column 'value' has type String"
    );
  });

  it('a numeric timestamp column is refused', async () => {
    const m = mock([[T('00:00'), 1]], [{ name: 'timestamp', type: 'UInt32' }, DT[1]!]);
    await expect(loadClickHouseRange(m.run, fixture, T('00:00'), T('00:10'), I)).rejects.toThrow(
      "Timestamp column 'timestamp' has type UInt32"
    );
  });

  it('an SQL error keeps its storage code and carries the rendered SQL', async () => {
    const run = () =>
      Promise.reject(new StorageError('storage_query', 'Syntax error: failed at position 7 (line 1, col 7)'));
    const q = { ...fixture, sql: "SELEC ts FROM t WHERE ts >= '{{ dtk_start_time }}'" };
    const e = (await loadClickHouseRange(run, q, T('00:00'), T('00:10'), I).catch((x: unknown) => x)) as SourceError;
    expect(e).toBeInstanceOf(SourceError);
    expect(e.code).toBe('storage_query');
    expect(e.message).toBe('Query failed: Syntax error: failed at position 7 (line 1, col 7)');
    expect(e.details?.sql).toBe("SELEC ts FROM t WHERE ts >= '2024-01-01 00:00:00'");
  });

  it('a template error fails before any query runs', async () => {
    const m = mock([]);
    const q = { ...fixture, sql: "WHERE ts >= '{{ from_date }}'" };
    await expect(loadClickHouseRange(m.run, q, T('00:00'), T('00:10'), I)).rejects.toThrow(
      "Template rendering failed: 'from_date' is undefined"
    );
    expect(m.calls).toHaveLength(0);
  });

  it('an invalid seasonality column is refused', async () => {
    const q = { ...fixture, seasonalityColumns: ['weekday'] };
    await expect(loadClickHouseRange(mock([]).run, q, T('00:00'), T('00:10'), I)).rejects.toThrow(
      "Invalid seasonality column: 'weekday'"
    );
  });

  it('needs exactly one of query and query_file', async () => {
    const base = { columns: fixture.columns, seasonalityColumns: [] };
    await expect(loadClickHouseRange(mock([]).run, base, 0, 600000, I)).rejects.toThrow(
      "Either 'query' or 'query_file' must be specified"
    );
    await expect(
      loadClickHouseRange(mock([]).run, { ...base, sql: 'SELECT 1', queryFile: '/x.sql' }, 0, 600000, I)
    ).rejects.toThrow("Only one of 'query' or 'query_file'");
  });
});

describe('ranges and files', () => {
  it('renders the grid bounds: an unaligned range is narrowed to its complete intervals (A.6)', async () => {
    const m = mock([]);
    const q = { ...fixture, sql: "ts >= '{{ dtk_start_time }}' AND ts < '{{ dtk_end_time }}'" };
    await loadClickHouseRange(m.run, q, Date.UTC(2026, 10, 21, 18, 50), Date.UTC(2026, 10, 22, 4, 55, 12), I);
    expect(m.calls).toEqual(["ts >= '2026-11-21 18:50:00' AND ts < '2026-11-22 04:50:00'"]);
  });

  it('does not query when no complete interval fits', async () => {
    const m = mock([]);
    const r = await loadClickHouseRange(m.run, fixture, T('00:01'), T('00:09'), I);
    expect(r.timestamps).toHaveLength(0);
    expect(r.sql).toBe('');
    expect(m.calls).toHaveLength(0);
  });

  it('reads query_file at load time, and names it in errors', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dtk-src-'));
    const file = path.join(dir, 'q.sql');
    fs.writeFileSync(file, 'SELECT {{ interval_seconds }}');
    const m = mock([]);
    const q = { ...fixture, sql: undefined, queryFile: file };
    await loadClickHouseRange(m.run, q, T('00:00'), T('00:10'), I);
    expect(m.calls).toEqual(['SELECT 600']);
    fs.writeFileSync(file, 'SELECT {{ oops }');
    await expect(loadClickHouseRange(m.run, q, T('00:00'), T('00:10'), I)).rejects.toThrow(
      new RegExp(`^Invalid template syntax: .*\\(${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, line 1`)
    );
    fs.rmSync(dir, { recursive: true });
    await expect(loadClickHouseRange(m.run, q, T('00:00'), T('00:10'), I)).rejects.toThrow(
      `Query file not found: ${file}`
    );
  });
});

describe('query-provided seasonality', () => {
  const cols = [...DT, { name: 'parity', type: 'UInt8' }, { name: 'region', type: 'LowCardinality(String)' }];
  const q: SourceQuery = {
    ...fixture,
    columns: { timestamp: 'timestamp', metric: 'value', seasonality: ['region', 'parity'] },
  };

  it('stays aligned with the grid across gaps (detectkit appended {} at the end instead)', async () => {
    const m = mock(
      [
        [T('00:00'), 1, 0, 'eu'],
        [T('00:30'), 4, 1, 'us'],
      ],
      cols
    );
    const r = await loadClickHouseRange(m.run, q, T('00:00'), T('00:40'), I);
    expect(r.seasonalityData).toEqual(['{"parity":0,"region":"eu"}', '{}', '{}', '{"parity":1,"region":"us"}']);
    expect(r.seasonalityColumns).toBe('region,parity');
  });

  it('requires its columns', async () => {
    const m = mock([[T('00:00'), 1]]);
    await expect(loadClickHouseRange(m.run, q, T('00:00'), T('00:10'), I)).rejects.toThrow(
      "Query must return seasonality column 'region' (configured in query_columns.seasonality). " +
        "Got columns: ['timestamp', 'value']"
    );
  });
});
