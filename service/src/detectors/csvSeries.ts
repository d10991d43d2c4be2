import type { SeasonalityKey } from '../../../common/detectors';
import { DtkError } from '../errors';

/**
 * The CSV that `dtk detect` reads: header `timestamp,value[,extra columns]`, timestamps ISO 8601 or
 * `YYYY-MM-DD HH:MM:SS` (UTC unless an offset is given), values numeric or empty (missing). Extra columns are
 * query-provided seasonality keys. Errors carry the line number and what is wrong.
 */

export interface CsvSeries {
  timestamps: Float64Array;
  values: Float64Array;
  seasonality: Record<string, SeasonalityKey[]>;
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** Epoch ms of a timestamp, or NaN when it is not one we accept. */
export function parseTimestamp(text: string): number {
  const m = DATE_TIME.exec(text);
  if (!m) {
    return NaN;
  }
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
  const ms = Number(frac.padEnd(3, '0').slice(0, 3));
  let t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  const check = new Date(t);
  if (check.getUTCDate() !== Number(d) || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) {
    return NaN; // 2024-02-30 or 25:00 roll over in Date.UTC; refuse them instead
  }
  if (zone && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    t -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return t;
}

/** Fast path for `YYYY-MM-DD HH:MM:SS` / `…THH:MM:SS[Z]` rows sharing a date with the previous row. */
class TimestampParser {
  private day = '';
  private dayMs = NaN;

  parse(text: string): number {
    const len = text.length;
    if ((len === 19 || (len === 20 && text.charCodeAt(19) === 90)) && text.startsWith(this.day) && this.day !== '') {
      const c = (k: number) => text.charCodeAt(k) - 48;
      const h = c(11) * 10 + c(12);
      const mi = c(14) * 10 + c(15);
      const s = c(17) * 10 + c(18);
      const sep = text.charCodeAt(10);
      if (
        (sep === 32 || sep === 84) &&
        h >= 0 &&
        h < 24 &&
        mi >= 0 &&
        mi < 60 &&
        s >= 0 &&
        s < 60 &&
        text[13] === ':' &&
        text[16] === ':'
      ) {
        return this.dayMs + ((h * 60 + mi) * 60 + s) * 1000;
      }
    }
    const t = parseTimestamp(text);
    if (!Number.isNaN(t) && len >= 19) {
      this.day = text.slice(0, 10);
      this.dayMs = parseTimestamp(this.day);
    }
    return t;
  }
}

const MISSING = new Set(['', 'nan', 'NaN', 'NAN', 'null', 'NULL', 'None', 'NA']);

function parseValue(text: string): number {
  if (MISSING.has(text)) {
    return NaN;
  }
  if (text === 'inf' || text === 'Infinity' || text === '+inf' || text === '+Infinity') {
    return Infinity;
  }
  if (text === '-inf' || text === '-Infinity') {
    return -Infinity;
  }
  const v = Number(text);
  return text.trim() === '' ? NaN : v;
}

function parseKey(text: string): SeasonalityKey {
  if (text === '' || text === 'null') {
    return null;
  }
  if (text === 'true' || text === 'false') {
    return text === 'true';
  }
  const n = Number(text);
  return Number.isFinite(n) ? n : text;
}

/** Splits one CSV line; double-quoted fields may hold commas and "" escapes (not newlines). */
function splitLine(line: string, lineNo: number): string[] {
  if (!line.includes('"')) {
    return line.split(',');
  }
  const out: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let field = '';
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) {
          throw new DtkError('usage', `line ${lineNo}: unterminated quoted field`);
        }
        field += line.slice(i, q);
        if (line[q + 1] === '"') {
          field += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      out.push(field);
      if (i < line.length && line[i] !== ',') {
        throw new DtkError('usage', `line ${lineNo}: unexpected text after a quoted field`);
      }
      i++;
    } else {
      const c = line.indexOf(',', i);
      const end = c < 0 ? line.length : c;
      out.push(line.slice(i, end));
      i = end + 1;
    }
  }
  return out;
}

export function parseSeriesCsv(text: string): CsvSeries {
  const lines = text.split('\n');
  const headerLine = (lines[0] ?? '').replace(/^\uFEFF/, '').replace(/\r$/, '');
  const header = splitLine(headerLine, 1).map((h) => h.trim());
  if (header[0] !== 'timestamp' || header[1] !== 'value') {
    throw new DtkError(
      'usage',
      `line 1: the header must start with timestamp,value (extra columns are seasonality keys), got '${headerLine}'`
    );
  }
  const extra = header.slice(2);
  const dup = extra.find((h, i) => !h || extra.indexOf(h) !== i);
  if (dup !== undefined) {
    throw new DtkError('usage', `line 1: ${dup ? `duplicate column '${dup}'` : 'empty column name'}`);
  }
  let last = lines.length;
  while (last > 1 && lines[last - 1]!.trim() === '') {
    last--;
  }
  const n = Math.max(0, last - 1);
  const timestamps = new Float64Array(n);
  const values = new Float64Array(n);
  const seasonality: Record<string, SeasonalityKey[]> = {};
  for (const h of extra) {
    seasonality[h] = new Array<SeasonalityKey>(n);
  }
  const width = header.length;
  let prev = -Infinity;
  const tsParser = new TimestampParser();
  for (let r = 0; r < n; r++) {
    const lineNo = r + 2;
    let line = lines[r + 1]!;
    if (line.endsWith('\r')) {
      line = line.slice(0, -1);
    }
    const f = splitLine(line, lineNo);
    if (f.length !== width) {
      throw new DtkError('usage', `line ${lineNo}: expected ${width} fields (${header.join(',')}), found ${f.length}`);
    }
    const ts = tsParser.parse(f[0]!.trim());
    if (Number.isNaN(ts)) {
      throw new DtkError('usage', `line ${lineNo}: timestamp '${f[0]}' is not ISO 8601 or YYYY-MM-DD HH:MM:SS`);
    }
    if (ts <= prev) {
      throw new DtkError(
        'usage',
        `line ${lineNo}: timestamp '${f[0]}' is not after the previous row's; sort the file by time`
      );
    }
    prev = ts;
    const v = parseValue(f[1]!.trim());
    if (Number.isNaN(v) && !MISSING.has(f[1]!.trim())) {
      throw new DtkError(
        'usage',
        `line ${lineNo}: value '${f[1]}' is not a number (leave it empty for a missing point)`
      );
    }
    timestamps[r] = ts;
    values[r] = v;
    for (let c = 0; c < extra.length; c++) {
      seasonality[extra[c]!]![r] = parseKey(f[c + 2]!.trim());
    }
  }
  return { timestamps, values, seasonality };
}
