import { pyFloatRepr } from '../detectors/pyRepr';
import type { AlertData, AlertEventType } from './types';

/**
 * detectkit's message formatting (reference §5.4): Python `str.format` over the alert's variables. Only the
 * subset its templates use: `{name}`, `{name!s|r}`, `{name:spec}` with the standard format mini-language,
 * and `{{`/`}}`. Substituted values are never formatted again (no recursion).
 */

export const DEFAULT_TEMPLATE = [
  'Anomaly detected in metric: {metric_name}',
  'Time: {timestamp}',
  'Value: {value}',
  'Confidence interval: {confidence_interval}',
  'Detector: {detector_name}',
  'Parameters: {detector_params}',
  'Direction: {direction}',
  'Severity: {severity:.2f}',
].join('\n');

/** Our additions: detectkit had no resolved or no-data messages. Same variables. */
export const RESOLVED_TEMPLATE = [
  'Resolved: metric {metric_name} is back to normal',
  'Time: {timestamp}',
  'Value: {value}',
].join('\n');
export const NO_DATA_TEMPLATE = ['No data for metric: {metric_name}', 'Time: {timestamp}'].join('\n');
export const TEST_BANNER = '[TEST] This is a test alert sent by `dtk test-alert`; no anomaly occurred.';

export class TemplateError extends Error {}

/** A Python value: floats print as Python does (`95.0`, `nan`), None as `None`. */
export type PyValue =
  { kind: 'float'; v: number } | { kind: 'int'; v: number } | { kind: 'str'; v: string } | { kind: 'none' };

const SPEC = /^(?:(.)?([<>=^]))?([+\- ])?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([bcdeEfFgGnosxX%])?$/;

function groupThousands(intPart: string, sep: string): string {
  return intPart.replace(/\B(?=(\d{3})+(?!\d))/g, sep);
}

function formatNumber(x: number, isInt: boolean, spec: RegExpExecArray, raw: string): string {
  const [, , , sign = '-', , , , sep, precText, typeText] = spec;
  const prec = precText === undefined ? undefined : Number(precText);
  let type = typeText ?? '';
  if (type === 'd' && !isInt) {
    throw new TemplateError(`Unknown format code 'd' for object of type 'float' (in ':${raw}')`);
  }
  if (type === 's') {
    throw new TemplateError(`Unknown format code 's' for a number (in ':${raw}')`);
  }
  let body: string;
  const ax = Math.abs(x);
  if (Number.isNaN(x)) {
    body = 'nan';
  } else if (!Number.isFinite(x)) {
    body = 'inf';
  } else if (type === '' && prec === undefined) {
    body = isInt ? String(ax) : pyFloatRepr(ax);
  } else {
    if (type === '' || type === 'n') {
      type = isInt && prec === undefined ? 'd' : 'g';
    }
    const p = prec ?? 6;
    switch (type) {
      case 'd':
        body = String(Math.round(ax));
        break;
      case 'f':
      case 'F':
        body = ax.toFixed(p);
        break;
      case '%':
        body = `${(ax * 100).toFixed(p)}%`;
        break;
      case 'e':
      case 'E':
        body = ax.toExponential(p).replace(/e([+-])(\d)$/, 'e$10$2');
        body = type === 'E' ? body.toUpperCase() : body;
        break;
      case 'g':
      case 'G': {
        const pp = p === 0 ? 1 : p;
        const exp = ax === 0 ? 0 : Math.floor(Math.log10(ax));
        body =
          exp < -4 || exp >= pp
            ? ax
                .toExponential(pp - 1)
                .replace(/\.?0+e/, 'e')
                .replace(/e([+-])(\d)$/, 'e$10$2')
            : String(Number(ax.toPrecision(pp)));
        body = type === 'G' ? body.toUpperCase() : body;
        break;
      }
      default:
        throw new TemplateError(`Unsupported format code '${type}' (in ':${raw}')`);
    }
  }
  if (sep) {
    const [i = '', f] = body.split('.');
    body = groupThousands(i, sep) + (f === undefined ? '' : `.${f}`);
  }
  const neg = x < 0 || Object.is(x, -0);
  const s = neg ? '-' : sign === '+' ? '+' : sign === ' ' ? ' ' : '';
  return s + body;
}

function pad(text: string, spec: RegExpExecArray, numeric: boolean): string {
  const [, fill0, align0, , , zero, widthText] = spec;
  const width = widthText === undefined ? 0 : Number(widthText);
  if (text.length >= width) {
    return text;
  }
  const fill = fill0 ?? (zero && numeric ? '0' : ' ');
  const align = align0 ?? (zero && numeric ? '=' : numeric ? '>' : '<');
  const n = width - text.length;
  switch (align) {
    case '<':
      return text + fill.repeat(n);
    case '^':
      return fill.repeat(Math.floor(n / 2)) + text + fill.repeat(n - Math.floor(n / 2));
    case '=': {
      const m = /^[+\- ]/.exec(text);
      return m ? m[0] + fill.repeat(n) + text.slice(1) : fill.repeat(n) + text;
    }
    default:
      return fill.repeat(n) + text;
  }
}

export function pyStr(v: PyValue): string {
  switch (v.kind) {
    case 'float':
      return pyFloatRepr(v.v);
    case 'int':
      return String(v.v);
    case 'str':
      return v.v;
    default:
      return 'None';
  }
}

function formatValue(v: PyValue, specText: string, name: string): string {
  if (specText === '') {
    return pyStr(v);
  }
  const spec = SPEC.exec(specText);
  if (!spec) {
    throw new TemplateError(`Invalid format specifier ':${specText}' for {${name}}`);
  }
  if (v.kind === 'none') {
    throw new TemplateError(`{${name}} is None here and cannot take the format ':${specText}'`);
  }
  if (v.kind === 'str') {
    if (spec[9] !== undefined && spec[9] !== 's') {
      throw new TemplateError(`Unknown format code '${spec[9]}' for a text value {${name}}`);
    }
    const prec = spec[8];
    return pad(prec === undefined ? v.v : v.v.slice(0, Number(prec)), spec, false);
  }
  return pad(formatNumber(v.v, v.kind === 'int', spec, specText), spec, true);
}

/** Thrown for a `{name}` the variables lack: callers fall back to the default template, as detectkit does. */
export class UnknownKeyError extends TemplateError {
  constructor(readonly key: string) {
    super(`unknown variable {${key}}`);
  }
}

/** Python `template.format(**vars)` for named fields. */
export function pyFormat(template: string, vars: Readonly<Record<string, PyValue>>): string {
  let out = '';
  let i = 0;
  const n = template.length;
  while (i < n) {
    const ch = template[i]!;
    if (ch === '}') {
      if (template[i + 1] === '}') {
        out += '}';
        i += 2;
        continue;
      }
      throw new TemplateError(`Single '}' encountered in format string at position ${i}`);
    }
    if (ch !== '{') {
      out += ch;
      i++;
      continue;
    }
    if (template[i + 1] === '{') {
      out += '{';
      i += 2;
      continue;
    }
    const close = template.indexOf('}', i + 1);
    if (close < 0) {
      throw new TemplateError(`Single '{' encountered in format string at position ${i}`);
    }
    const field = template.slice(i + 1, close);
    const m = /^([^!:]*)(?:!([rsa]))?(?::(.*))?$/s.exec(field);
    if (!m || field.includes('{')) {
      throw new TemplateError(`Invalid replacement field {${field}}`);
    }
    const [, name = '', conv, spec = ''] = m;
    if (name === '' || /^\d+$/.test(name)) {
      throw new TemplateError(`Positional field {${name}} is not supported: name a variable, e.g. {metric_name}`);
    }
    if (!/^[A-Za-z_]\w*$/.test(name)) {
      throw new TemplateError(`Invalid field name {${name}}: attribute and index access are not supported`);
    }
    const v = vars[name];
    if (v === undefined) {
      throw new UnknownKeyError(name);
    }
    const conv2: PyValue = conv === undefined ? v : { kind: 'str', v: conv === 's' ? pyStr(v) : pyRepr(v) };
    out += formatValue(conv2, spec, name);
    i = close + 1;
  }
  return out;
}

function pyRepr(v: PyValue): string {
  return v.kind === 'str' ? `'${v.v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'` : pyStr(v);
}

/** `YYYY-MM-DD HH:MM:SS` of an instant in an IANA zone (DST-aware through Intl). Throws on unknown zones. */
export function formatTimeIn(ms: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(ms));
  const p = (t: string) => parts.find((x) => x.type === t)?.value ?? '00';
  return `${p('year')}-${p('month')}-${p('day')} ${p('hour')}:${p('minute')}:${p('second')}`;
}

export function isValidTimeZone(tz: string): boolean {
  try {
    formatTimeIn(0, tz);
    return true;
  } catch {
    return false;
  }
}

/** The variables a template sees (detectkit's names), with `timestamp` converted to the alert's timezone. */
export function alertVariables(a: AlertData): Record<string, PyValue> {
  const num = (x: number | null): PyValue => (x === null ? { kind: 'none' } : { kind: 'float', v: x });
  const tz = a.timezone || null;
  const shown = tz ? `${formatTimeIn(a.timestamp, tz)} (${tz})` : formatTimeIn(a.timestamp, 'UTC');
  const lo = a.confidenceLower;
  const hi = a.confidenceUpper;
  return {
    metric_name: { kind: 'str', v: a.metricName },
    timestamp: { kind: 'str', v: shown },
    timezone: tz ? { kind: 'str', v: tz } : { kind: 'none' },
    value: num(a.value),
    confidence_lower: num(lo),
    confidence_upper: num(hi),
    confidence_interval: {
      kind: 'str',
      v: lo !== null && hi !== null ? `[${lo.toFixed(2)}, ${hi.toFixed(2)}]` : 'N/A',
    },
    detector_name: { kind: 'str', v: a.detectorName },
    detector_params: { kind: 'str', v: a.detectorParams },
    direction: { kind: 'str', v: a.direction },
    severity: num(a.severity),
    consecutive_count: { kind: 'int', v: a.consecutiveCount },
  };
}

export interface FormattedMessage {
  text: string;
  /** Why the custom template was not used (unknown variable, invalid template); undefined when it was. */
  fallback?: string;
}

/**
 * The message for an alert. detectkit fell back to the default template on an unknown variable only; an invalid
 * template (bad spec, None with a spec) made the send fail. Here both fall back, and `fallback` says why, so a
 * template mistake is reported without losing the alert.
 */
export function formatMessage(a: AlertData, template?: string | null, base = DEFAULT_TEMPLATE): FormattedMessage {
  const vars = alertVariables(a);
  if (!template) {
    return { text: pyFormat(base, vars) };
  }
  try {
    return { text: pyFormat(template, vars) };
  } catch (e) {
    if (!(e instanceof TemplateError)) {
      throw e;
    }
    return { text: pyFormat(base, vars), fallback: `template not used: ${e.message}` };
  }
}

export interface MetricTemplates {
  templateSingle?: string | null;
  templateConsecutive?: string | null;
}

/** The message of an event: `template_single` for a first anomaly, `template_consecutive` for a streak. */
export function eventMessage(kind: AlertEventType, a: AlertData, t: MetricTemplates, channelTemplate?: string | null) {
  if (kind === 'resolved') {
    return formatMessage(a, null, RESOLVED_TEMPLATE);
  }
  if (kind === 'no_data') {
    return formatMessage(a, null, NO_DATA_TEMPLATE);
  }
  const custom = channelTemplate || (a.consecutiveCount > 1 ? t.templateConsecutive : t.templateSingle);
  const m = formatMessage(a, custom);
  return kind === 'test' ? { ...m, text: `${TEST_BANNER}\n${m.text}` } : m;
}
