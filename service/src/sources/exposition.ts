/**
 * A parser for the Prometheus text exposition format 0.0.4 and OpenMetrics 1.0 text: what a `/metrics` endpoint
 * answers. Samples keep their exact sample name (`_total`, `_bucket`, `_sum`, `_count` included). Anything that is not
 * a comment, a blank line or a well-formed sample is an error with its line number: an HTML error page or a truncated
 * answer must fail loudly, not yield a partial set of samples.
 */

export interface ExpositionSample {
  name: string;
  labels: Record<string, string>;
  value: number;
  /** Epoch ms when the exposition carried a timestamp (0.0.4: integer ms; OpenMetrics: float seconds). */
  timestampMs?: number;
}

export class ExpositionError extends Error {
  constructor(
    readonly line: number,
    message: string
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'ExpositionError';
  }
}

const NAME_START = /[a-zA-Z_:]/;
const NAME_CHAR = /[a-zA-Z0-9_:]/;
const LABEL_START = /[a-zA-Z_]/;
const LABEL_CHAR = /[a-zA-Z0-9_]/;

/** Go's ParseFloat spellings that expositions use: `NaN`, `+Inf`, `-Inf`, `Inf` (any case), and plain numbers. */
export function parseSampleValue(s: string): number | undefined {
  const lower = s.toLowerCase();
  if (lower === 'nan') {
    return NaN;
  }
  if (lower === '+inf' || lower === 'inf') {
    return Infinity;
  }
  if (lower === '-inf') {
    return -Infinity;
  }
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s) && !/^[+-]?0[xX][0-9a-fA-F]+$/.test(s)) {
    return undefined;
  }
  return Number(s);
}

export function parseExposition(text: string, opts: { openMetrics?: boolean } = {}): ExpositionSample[] {
  const openMetrics = opts.openMetrics ?? /^# EOF\s*$/m.test(text);
  const out: ExpositionSample[] = [];
  const lines = text.split('\n');
  let eof = false;
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!.replace(/\r$/, '');
    if (eof) {
      if (line.trim() !== '') {
        throw new ExpositionError(n + 1, 'content after # EOF');
      }
      continue;
    }
    const trimmed = line.trim();
    if (trimmed === '') {
      continue;
    }
    if (trimmed.startsWith('#')) {
      if (/^#\s*EOF$/.test(trimmed)) {
        eof = true;
      }
      continue; // HELP, TYPE, UNIT and free comments carry nothing we need
    }
    out.push(parseSampleLine(trimmed, n + 1, openMetrics));
  }
  return out;
}

function parseSampleLine(line: string, lineNo: number, openMetrics: boolean): ExpositionSample {
  let i = 0;
  const fail = (msg: string): never => {
    throw new ExpositionError(lineNo, `${msg}: ${JSON.stringify(line.length > 80 ? `${line.slice(0, 80)}…` : line)}`);
  };
  if (!NAME_START.test(line[0] ?? '')) {
    fail('expected a metric name');
  }
  while (i < line.length && NAME_CHAR.test(line[i]!)) {
    i++;
  }
  const name = line.slice(0, i);
  const labels: Record<string, string> = {};
  const skipSpaces = () => {
    while (line[i] === ' ' || line[i] === '\t') {
      i++;
    }
  };
  skipSpaces();
  if (line[i] === '{') {
    i++;
    for (;;) {
      skipSpaces();
      if (line[i] === '}') {
        i++;
        break;
      }
      const start = i;
      if (!LABEL_START.test(line[i] ?? '')) {
        fail('expected a label name');
      }
      while (i < line.length && LABEL_CHAR.test(line[i]!)) {
        i++;
      }
      const label = line.slice(start, i);
      skipSpaces();
      if (line[i] !== '=') {
        fail(`expected '=' after label ${label}`);
      }
      i++;
      skipSpaces();
      if (line[i] !== '"') {
        fail(`expected a quoted value for label ${label}`);
      }
      i++;
      let value = '';
      for (;;) {
        const c = line[i];
        if (c === undefined) {
          fail(`unterminated value of label ${label}`);
        }
        if (c === '"') {
          i++;
          break;
        }
        if (c === '\\') {
          const e = line[i + 1];
          // 0.0.4 allows \\, \" and \n; any other escape keeps the backslash, as Prometheus's own parser does.
          value += e === 'n' ? '\n' : e === '\\' ? '\\' : e === '"' ? '"' : `\\${e ?? ''}`;
          i += 2;
          continue;
        }
        value += c;
        i++;
      }
      if (label in labels) {
        fail(`duplicate label ${label}`);
      }
      labels[label] = value;
      skipSpaces();
      if (line[i] === ',') {
        i++;
        continue;
      }
      if (line[i] === '}') {
        i++;
        break;
      }
      fail('expected , or } after a label');
    }
  }
  // OpenMetrics exemplars follow " # "; they are not samples.
  const rest = line
    .slice(i)
    .replace(/\s+#\s.*$/, '')
    .trim();
  const parts = rest.split(/[ \t]+/);
  if (rest === '' || parts.length > 2) {
    fail(rest === '' ? 'missing sample value' : 'expected a value and an optional timestamp');
  }
  const value = parseSampleValue(parts[0]!);
  if (value === undefined) {
    fail(`invalid sample value ${JSON.stringify(parts[0])}`);
  }
  const sample: ExpositionSample = { name, labels, value: value! };
  if (parts[1] !== undefined) {
    const ts = Number(parts[1]);
    if (!Number.isFinite(ts) || !/^[+-]?[\d.eE+-]+$/.test(parts[1])) {
      fail(`invalid timestamp ${JSON.stringify(parts[1])}`);
    }
    sample.timestampMs = openMetrics ? Math.round(ts * 1000) : ts;
  }
  return sample;
}
