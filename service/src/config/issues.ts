import path from 'node:path';
import { DtkError } from '../errors';

/** One problem found in a configuration file; `file` is absolute, line and column are 1-based. */
export interface ConfigIssue {
  file: string;
  line?: number;
  column?: number;
  /** Key path inside the file, e.g. `detectors[0].params.threshold`. */
  path?: string;
  message: string;
  severity: 'error' | 'warning';
}

/** Shows a file relative to the current directory when it is below it, so terminals and editors can open it. */
export function displayFile(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

/** `file:line:col: path: message`, the form compilers use (editors jump to it). */
export function formatIssue(i: ConfigIssue): string {
  const where = [displayFile(i.file), i.line, i.column].filter((x) => x !== undefined).join(':');
  return `${where}: ${i.path ? `${i.path}: ` : ''}${i.message}`;
}

export function formatPath(segments: ReadonlyArray<string | number>): string {
  let out = '';
  for (const s of segments) {
    out += typeof s === 'number' ? `[${s}]` : out ? `.${s}` : s;
  }
  return out;
}

/** Configuration errors: every issue found (warnings included), each with its location. */
export class ConfigError extends DtkError {
  readonly issues: ConfigIssue[];

  constructor(issues: ConfigIssue[], headline?: string) {
    const errors = issues.filter((i) => i.severity === 'error');
    const head = headline ?? `${errors.length} configuration error${errors.length === 1 ? '' : 's'}:`;
    super('config_invalid', [head, ...errors.map(formatIssue)].join('\n'), { details: { issues } });
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

export const hasErrors = (issues: ConfigIssue[]): boolean => issues.some((i) => i.severity === 'error');
