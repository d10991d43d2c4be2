import type { Store } from '../storage';

/**
 * The demo's synthetic operations table, `demo.ops_metrics` (one row per minute per series), in the
 * embedded store. Values are a pure function of (series, minute) — daily and weekly seasonality, a
 * slow trend, hash-based noise — plus incidents placed relative to an anchor fixed when the table is
 * first created, so regenerating or extending the table never changes a row already written.
 *
 * Incidents (anchor = creation time): a spike in api_requests at −2 d, a drop at −6 d 10:00 for 40 min,
 * a latency level shift from −4 d for 12 h, and queue_depth stuck at one value from −1 d for 3 h.
 */
export const DEMO_TABLE = 'demo.ops_metrics';
export const DEMO_SERIES = ['api_requests', 'api_latency_p95_ms', 'queue_depth', 'error_rate_pct'] as const;
const DAY = 86_400;

/** Noise in [-1, 1), roughly bell-shaped: the mean of three hashed uniforms. */
const noise = (salt: number) =>
  `((cityHash64(ts, m, ${salt}) % 10000) / 5000.0 - 1 + (cityHash64(ts, m, ${salt + 1}) % 10000) / 5000.0 - 1 + (cityHash64(ts, m, ${salt + 2}) % 10000) / 5000.0 - 1) / 3`;

function valueExpression(): string {
  const daily = `sin(2 * pi() * (toUnixTimestamp(ts) % ${DAY}) / ${DAY} - pi() / 2)`;
  const weekend = `toDayOfWeek(ts) >= 6`;
  const age = `(toUnixTimestamp(ts) - {anchor:Int64})`;
  return `multiIf(
    m = 'api_requests',
      (1000 + 600 * ${daily}) * if(${weekend}, 0.55, 1.0) * (1 + ${age} / ${DAY * 365}.0) + 60 * ${noise(1)}
      + if(${age} >= -2 * ${DAY} AND ${age} < -2 * ${DAY} + 600, 2500, 0)
      - if(${age} >= -6 * ${DAY} + 36000 AND ${age} < -6 * ${DAY} + 38400, 900, 0),
    m = 'api_latency_p95_ms',
      180 + 40 * ${daily} + 12 * ${noise(11)}
      + if(${age} >= -4 * ${DAY} AND ${age} < -4 * ${DAY} + 43200, 140, 0),
    m = 'queue_depth',
      if(${age} >= -${DAY} AND ${age} < -${DAY} + 10800, 42,
         round(40 + 25 * ${daily} + 8 * ${noise(21)})),
    /* error_rate_pct */
      0.8 + 0.3 * ${daily} + 0.15 * ${noise(31)} + if(${age} >= -3 * ${DAY} + 7200 AND ${age} < -3 * ${DAY} + 9000, 6.5, 0)
  )`;
}

/**
 * Creates the table (first time: anchor = now) and fills it from `days` before the anchor up to the
 * current minute. Idempotent: only minutes after the last stored one are added.
 */
export async function ensureDemoData(store: Store, now: number, days = 30): Promise<{ anchor: number; rows: number }> {
  await store.userCommand('CREATE DATABASE IF NOT EXISTS demo');
  await store.userCommand(
    `CREATE TABLE IF NOT EXISTS ${DEMO_TABLE} (ts DateTime('UTC'), m LowCardinality(String), value Float64)
     ENGINE = ReplacingMergeTree ORDER BY (m, ts)`
  );
  await store.userCommand(
    `CREATE TABLE IF NOT EXISTS demo.anchor (anchor DateTime('UTC')) ENGINE = ReplacingMergeTree ORDER BY tuple()`
  );
  const nowS = Math.floor(now / 60_000) * 60;
  let anchorRows = await store.userQuery('SELECT toUnixTimestamp(anchor) FROM demo.anchor LIMIT 1');
  if (anchorRows.rows.length === 0) {
    await store.userCommand('INSERT INTO demo.anchor VALUES ({a:Int64})', { a: nowS });
    anchorRows = await store.userQuery('SELECT toUnixTimestamp(anchor) FROM demo.anchor LIMIT 1');
  }
  const anchor = Number(anchorRows.rows[0]?.[0]);
  const last = await store.userQuery(`SELECT toUnixTimestamp(max(ts)), count() FROM ${DEMO_TABLE}`);
  const lastTs = Number(last.rows[0]?.[0] ?? 0);
  const start = Number(last.rows[0]?.[1] ?? 0) > 0 ? lastTs + 60 : anchor - days * DAY;
  const minutes = Math.max(0, Math.floor((nowS - start) / 60) + 1);
  if (minutes > 0) {
    await store.userCommand(
      `INSERT INTO ${DEMO_TABLE}
       SELECT ts, m, round(greatest(0, ${valueExpression()}), 3) AS value
       FROM (SELECT toDateTime({start:Int64} + number * 60, 'UTC') AS ts FROM numbers({n:UInt64}))
       ARRAY JOIN {series:Array(String)} AS m`,
      { start, n: minutes, anchor, series: [...DEMO_SERIES] }
    );
  }
  return { anchor: anchor * 1000, rows: minutes * DEMO_SERIES.length };
}
