import { SourceError } from './errors';

/**
 * Reading the cells of a query result. The storage layer runs user SQL with `date_time_output_format=unix_timestamp`
 * and JSONCompact output, so whatever the column's timezone, a DateTime arrives as Unix seconds ("1704067800"), a
 * DateTime64 as "1704067800.500", a Date as "2024-01-02"; Float64 as a number or "nan"/"inf"/"-inf"; NULL as null.
 */

/** The type without `Nullable(...)` / `LowCardinality(...)` wrappers: they do not change how a cell reads. */
export function baseType(type: string): string {
  let t = type.trim();
  for (;;) {
    const m = /^(?:Nullable|LowCardinality)\((.*)\)$/.exec(t);
    if (!m?.[1]) {
      return t;
    }
    t = m[1].trim();
  }
}

export type TimestampKind = 'date' | 'datetime' | 'datetime64' | 'string';

export function timestampKind(column: string, type: string): TimestampKind {
  const t = baseType(type);
  if (t === 'Date' || t === 'Date32') {
    return 'date';
  }
  if (t === 'DateTime' || t.startsWith('DateTime(')) {
    return 'datetime';
  }
  if (t.startsWith('DateTime64')) {
    return 'datetime64';
  }
  if (t === 'String' || t.startsWith('FixedString(')) {
    // detectkit converted whatever the driver returned with numpy; a text timestamp is read as naive UTC.
    return 'string';
  }
  // A number is deliberately not guessed at (seconds? milliseconds?): numpy would have read it as milliseconds.
  throw new SourceError(
    'config_invalid',
    `Timestamp column '${column}' has type ${type}; expected Date, Date32, DateTime or DateTime64. ` +
      `Convert it in the query, e.g. toDateTime(${column}) or toStartOfInterval(...)`,
    { details: { column, type } }
  );
}

function badTimestamp(column: string, row: number, cell: unknown): SourceError {
  return new SourceError(
    'config_invalid',
    `Timestamp column '${column}' has ${cell === null ? 'NULL' : `an unreadable value ${JSON.stringify(cell)}`} ` +
      `in row ${row + 1}; every row needs a timestamp`,
    { details: { column, row: row + 1 } }
  );
}

/** "1704067800.500" → 1704067800500 exactly (no float rounding); digits past milliseconds round towards -∞. */
function decimalSecondsToMs(text: string): number | null {
  const m = /^([+-]?)(\d+)(?:\.(\d*))?$/.exec(text.trim());
  if (!m) {
    return null;
  }
  const negative = m[1] === '-';
  const frac = m[3] ?? '';
  const magnitude = Number(m[2]) * 1000 + Number(frac.slice(0, 3).padEnd(3, '0'));
  const subMs = /[1-9]/.test(frac.slice(3));
  return negative ? -magnitude - (subMs ? 1 : 0) : magnitude;
}

const TEXT_TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/** `YYYY-MM-DD[ HH:MM[:SS[.fff]]][Z|±HH:MM]`, naive = UTC. */
export function parseTextTimestamp(text: string): number | null {
  const m = TEXT_TIMESTAMP.exec(text.trim());
  if (!m) {
    return null;
  }
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
  let ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  ms += Number(frac.slice(0, 3).padEnd(3, '0'));
  if (zone && zone.toUpperCase() !== 'Z') {
    const z = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
    if (z) {
      const offset = (Number(z[2]) * 60 + Number(z[3])) * 60000;
      ms -= z[1] === '-' ? -offset : offset;
    }
  }
  return Number.isFinite(ms) ? ms : null;
}

/** Epoch ms UTC of one timestamp cell; throws on NULL or garbage (a row without a time cannot be placed). */
export function parseTimestampCell(cell: unknown, kind: TimestampKind, column: string, row: number): number {
  let ms: number | null = null;
  if (typeof cell === 'number' && (kind === 'datetime' || kind === 'datetime64')) {
    ms = Math.floor(cell * 1000);
  } else if (typeof cell === 'string') {
    switch (kind) {
      case 'datetime':
      case 'datetime64':
        // A client without unix_timestamp output would send text: read it rather than fail.
        ms = decimalSecondsToMs(cell) ?? parseTextTimestamp(cell);
        break;
      case 'date':
      case 'string':
        ms = parseTextTimestamp(cell);
        break;
    }
  }
  if (ms === null || !Number.isFinite(ms)) {
    throw badTimestamp(column, row, cell);
  }
  return ms;
}

const NUMERIC_TYPE = /^(?:U?Int\d+|Float\d+|BFloat16|Decimal\d*\(.*\)|Bool|Nothing)$/;

/** Whether a column type holds numbers (ints, floats, decimals, Bool as 0/1; Nothing = an all-NULL column). */
export function isNumericType(type: string): boolean {
  return NUMERIC_TYPE.test(baseType(type));
}

export function isFloatType(type: string): boolean {
  return /^(?:Float\d+|BFloat16)$/.test(baseType(type));
}

export function checkValueType(column: string, type: string): void {
  if (!isNumericType(type)) {
    throw new SourceError(
      'config_invalid',
      `Value column '${column}' has type ${type}; expected a number (Int*, UInt*, Float*, Decimal*). ` +
        `Convert it in the query, e.g. toFloat64OrNull(${column})`,
      { details: { column, type } }
    );
  }
}

/** One value cell as a float: NULL and NaN are missing (NaN); ±inf stay (detectors treat them as missing). */
export function parseValueCell(cell: unknown, column: string, row: number): number {
  if (cell === null || cell === undefined) {
    return NaN;
  }
  if (typeof cell === 'number') {
    return cell;
  }
  if (typeof cell === 'boolean') {
    return cell ? 1 : 0;
  }
  if (typeof cell === 'string') {
    const t = cell.trim().toLowerCase();
    if (/^[+-]?nan$/.test(t)) {
      return NaN;
    }
    if (/^\+?inf(inity)?$/.test(t)) {
      return Infinity;
    }
    if (/^-inf(inity)?$/.test(t)) {
      return -Infinity;
    }
    // 128/256-bit integers and wide decimals come quoted.
    const v = t === '' ? NaN : Number(t);
    if (!Number.isNaN(v)) {
      return v;
    }
  }
  throw new SourceError(
    'config_invalid',
    `Value column '${column}' has a non-numeric value ${JSON.stringify(cell)} in row ${row + 1}`,
    { details: { column, row: row + 1 } }
  );
}
