import { readFile } from 'node:fs/promises';
import { pyStrRepr } from '../detectors/pyRepr';
import { DtkError } from '../errors';
import type { UserQueryResult } from '../storage';
import { checkValueType, parseTimestampCell, parseValueCell, timestampKind } from './cells';
import { SourceError } from './errors';
import { gridRange, gridTimestamps, placeRows, type GridRange } from './grid';
import { EMPTY_SEASONALITY, cellJson, checkTimeFeatures, objectJson, timeSeasonality } from './seasonality';
import { renderQuery } from './template';

export type RunQuery = (sql: string) => Promise<UserQueryResult>;

export interface SourceQuery {
  /** Inline Jinja SQL template (`query:`). Exactly one of sql / queryFile. */
  sql?: string;
  /** Absolute path of the template (`query_file:` resolved against the project root); read at every load. */
  queryFile?: string;
  /** `query_columns`: result column names. */
  columns: { timestamp: string; metric: string; seasonality?: string[] };
  /** `seasonality_columns`: features computed from the timestamps; ignored when the query provides seasonality. */
  seasonalityColumns: string[];
}

export interface LoadOptions {
  /** Extra template variables (tests, previews); the pipeline passes none, as detectkit. */
  context?: Record<string, unknown>;
  /**
   * Leave out the grid points after the last returned row instead of storing them as missing, so a source that
   * lags behind gets them loaded on a later run. Off by default: detectkit stores them as NaN.
   */
  trimTrailingGap?: boolean;
}

export interface LoadStats {
  /** Rows the query returned. */
  rows: number;
  /** Grid points that got a row. */
  placed: number;
  /** Rows replaced by a later row with the same timestamp. */
  duplicates: number;
  /** Rows in range whose timestamp is not a grid point. */
  offGrid: number;
  /** Rows before the range start or at/after its end. */
  outOfRange: number;
  /** Grid points whose row had a NULL or NaN value. */
  nulls: number;
  /** Grid points without a row (stored as missing). */
  gaps: number;
  /** Of the gaps, those after the last placed row. */
  trailingGap: number;
}

export interface LoadedRange {
  /** The grid that was asked for: [start, end), epoch ms; `timestamps` may be empty or shorter (trimmed). */
  range: { start: number; end: number };
  timestamps: Float64Array;
  /** NaN = missing. */
  values: Float64Array;
  seasonalityData: string[];
  /** Comma-joined, as detectkit stores it in `_dtk_datapoints.seasonality_columns`. */
  seasonalityColumns: string;
  stats: LoadStats;
  /** Human-readable notes on rows that were dropped or replaced, for the run's output. */
  warnings: string[];
  /** The rendered SQL ('' when nothing was queried). */
  sql: string;
}

async function templateText(q: SourceQuery): Promise<string> {
  if ((q.sql === undefined) === (q.queryFile === undefined)) {
    throw new SourceError(
      'config_invalid',
      q.sql === undefined
        ? "Either 'query' or 'query_file' must be specified"
        : "Only one of 'query' or 'query_file' can be specified, not both"
    );
  }
  if (q.sql !== undefined) {
    return q.sql;
  }
  const file = q.queryFile!;
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new SourceError(
      'config_invalid',
      code === 'ENOENT' ? `Query file not found: ${file}` : `Cannot read query file ${file}: ${(e as Error).message}`,
      { cause: e, details: { file } }
    );
  }
}

async function execute(runQuery: RunQuery, sql: string, q: SourceQuery): Promise<UserQueryResult> {
  try {
    return await runQuery(sql);
  } catch (e) {
    if (e instanceof DtkError) {
      // Keep the storage code: "the server is down" and "your SQL is wrong" call for different actions.
      const where = q.queryFile ? ` (${q.queryFile})` : '';
      throw new SourceError(e.code, `Query failed${where}: ${e.message}`, {
        cause: e,
        details: { ...e.details, sql },
      });
    }
    throw e;
  }
}

function columnIndex(result: UserQueryResult, name: string, role: string): number {
  const i = result.columns.findIndex((c) => c.name === name);
  if (i < 0) {
    const got = `[${result.columns.map((c) => pyStrRepr(c.name)).join(', ')}]`;
    throw new SourceError(
      'config_invalid',
      role === 'seasonality'
        ? `Query must return seasonality column '${name}' (configured in query_columns.seasonality). Got columns: ${got}`
        : `Query must return '${name}' column (configured as ${role} column). Got columns: ${got}`,
      { details: { column: name, columns: result.columns.map((c) => c.name) } }
    );
  }
  return i;
}

function emptyRange(grid: GridRange, seasonalityColumns: string, sql: string, stats: LoadStats, warnings: string[]) {
  return {
    range: { start: grid.start, end: grid.end },
    timestamps: new Float64Array(0),
    values: new Float64Array(0),
    seasonalityData: [],
    seasonalityColumns,
    stats,
    warnings,
    sql,
  } satisfies LoadedRange;
}

/**
 * Loads the complete intervals of [fromMs, toMs) from a metric's ClickHouse query (reference §6.2, MetricLoader.load)
 * onto the epoch-aligned grid.
 *
 * Nothing to store — an empty `timestamps` — when the query returns no rows, or none of its rows lands on the grid.
 * As in detectkit the caller then saves nothing and the same range is asked for again on the next run: a source
 * that has not caught up yet must not have NaNs frozen in its place (resume starts after the last stored point, so
 * a stored NaN is never reloaded). Once later rows exist, the points in between are stored as missing.
 */
export async function loadClickHouseRange(
  runQuery: RunQuery,
  q: SourceQuery,
  fromMs: number,
  toMs: number,
  intervalSeconds: number,
  options: LoadOptions = {}
): Promise<LoadedRange> {
  const grid = gridRange(fromMs, toMs, intervalSeconds);
  const querySeasonality = q.columns.seasonality ?? [];
  const timeFeatures = querySeasonality.length > 0 ? [] : checkTimeFeatures(q.seasonalityColumns);
  const seasonalityColumns = (querySeasonality.length > 0 ? querySeasonality : timeFeatures).join(',');
  const stats: LoadStats = {
    rows: 0,
    placed: 0,
    duplicates: 0,
    offGrid: 0,
    outOfRange: 0,
    nulls: 0,
    gaps: 0,
    trailingGap: 0,
  };
  const template = await templateText(q);
  if (grid.length === 0) {
    return emptyRange(grid, seasonalityColumns, '', stats, []);
  }
  const sql = renderQuery(
    template,
    { start: grid.start, end: grid.end, intervalSeconds },
    { file: q.queryFile, context: options.context }
  );
  const result = await execute(runQuery, sql, q);

  // Columns are checked even when there are no rows (detectkit checked per row): a wrong mapping shows at once.
  const tsCol = columnIndex(result, q.columns.timestamp, 'timestamp');
  const valueCol = columnIndex(result, q.columns.metric, 'metric value');
  const seasonCols = querySeasonality.map((c) => [c, columnIndex(result, c, 'seasonality')] as const);
  const tsKind = timestampKind(q.columns.timestamp, result.columns[tsCol]!.type);
  checkValueType(q.columns.metric, result.columns[valueCol]!.type);

  const rows = result.rows;
  stats.rows = rows.length;
  const rowTs = new Float64Array(rows.length);
  for (let r = 0; r < rows.length; r++) {
    rowTs[r] = parseTimestampCell(rows[r]![tsCol], tsKind, q.columns.timestamp, r);
  }
  const placement = placeRows(grid, rowTs);
  stats.duplicates = placement.duplicates;
  stats.offGrid = placement.offGrid;
  stats.outOfRange = placement.outOfRange;
  const atEnd = rowTs.filter((t) => t === grid.end).length;
  const warnings = rowWarnings(stats, atEnd, intervalSeconds);

  let length = grid.length;
  let lastPlaced = -1;
  for (let i = 0; i < grid.length; i++) {
    if (placement.rowAt[i] !== -1) {
      stats.placed++;
      lastPlaced = i;
    }
  }
  if (stats.placed === 0) {
    return emptyRange(grid, seasonalityColumns, sql, stats, warnings);
  }
  stats.gaps = grid.length - stats.placed;
  stats.trailingGap = grid.length - 1 - lastPlaced;
  if (options.trimTrailingGap) {
    length = lastPlaced + 1;
    stats.gaps -= stats.trailingGap;
  }

  const timestamps = gridTimestamps({ ...grid, length, end: grid.start + length * grid.stepMs });
  const values = new Float64Array(length).fill(NaN);
  for (let i = 0; i < length; i++) {
    const r = placement.rowAt[i]!;
    if (r !== -1) {
      values[i] = parseValueCell(rows[r]![valueCol], q.columns.metric, r);
      if (Number.isNaN(values[i])) {
        stats.nulls++;
      }
    }
  }

  let seasonalityData: string[];
  if (seasonCols.length > 0) {
    // Each point keeps the seasonality of the row placed on it (detectkit appended "{}" at the end instead,
    // shifting every value after a gap onto the wrong point).
    const types = seasonCols.map(([, idx]) => result.columns[idx]!.type);
    seasonalityData = new Array<string>(length);
    for (let i = 0; i < length; i++) {
      const r = placement.rowAt[i]!;
      const row = r === -1 ? undefined : rows[r]!;
      seasonalityData[i] = row
        ? objectJson(seasonCols.map(([name, idx], k) => [name, cellJson(row[idx], types[k]!)]))
        : EMPTY_SEASONALITY;
    }
  } else {
    seasonalityData = timeSeasonality(timeFeatures, timestamps);
  }

  return {
    range: { start: grid.start, end: grid.end },
    timestamps,
    values,
    seasonalityData,
    seasonalityColumns,
    stats,
    warnings,
    sql,
  };
}

function rowWarnings(stats: LoadStats, atEnd: number, intervalSeconds: number): string[] {
  const out: string[] = [];
  if (stats.duplicates > 0) {
    out.push(
      `${stats.duplicates} row(s) repeat a timestamp of an earlier row; the last row of each timestamp was kept`
    );
  }
  if (stats.offGrid > 0) {
    out.push(
      `${stats.offGrid} row(s) have a timestamp that is not a multiple of the ${intervalSeconds}s interval and were ` +
        `ignored; bucket them with toStartOfInterval(<ts>, INTERVAL ${intervalSeconds} SECOND)`
    );
  }
  // A row at exactly the end is what `BETWEEN` returns: expected, not worth a warning.
  const outside = stats.outOfRange - atEnd;
  if (outside > 0) {
    out.push(
      `${outside} row(s) fall outside the loaded range and were ignored; filter with ` +
        `<ts> >= '{{ dtk_start_time }}' AND <ts> < '{{ dtk_end_time }}'`
    );
  }
  return out;
}
