import type { z } from 'zod';
import { aliasesOf, isRecord, shown } from '../../../common/config';
import { formatPath, type ConfigIssue } from './issues';
import { issueAt, type KeyPath, type YamlFile } from './yamlFile';
import { suggestKey } from './knownKeys';

/**
 * Validates a YAML value with a common/ zod schema and turns zod issues into located ConfigIssues.
 * The schemas are strict; an unknown key becomes a warning (an error with `strict`), is dropped, and the
 * value is validated again, so one unknown key never hides the real errors.
 */
export function validateValue<S extends z.ZodType>(
  y: YamlFile,
  value: unknown,
  schema: S,
  opts: { strict?: boolean; prefix?: KeyPath } = {}
): { data?: z.output<S>; issues: ConfigIssue[] } {
  const prefix = opts.prefix ?? [];
  const issues: ConfigIssue[] = [];
  const raw = deepCopy(value);
  for (let attempt = 0; attempt < 20; attempt++) {
    const r = schema.safeParse(raw, { reportInput: true });
    if (r.success) {
      return { data: r.data, issues };
    }
    const unknown = r.error.issues.filter((i) => i.code === 'unrecognized_keys');
    if (unknown.length === 0 || opts.strict) {
      for (const iss of r.error.issues) {
        issues.push(...toConfigIssues(y, prefix, iss, Boolean(opts.strict)));
      }
      return { issues };
    }
    for (const iss of unknown) {
      issues.push(...toConfigIssues(y, prefix, iss, false));
      const owner = childAt(raw, iss.path as KeyPath);
      for (const k of (iss as { keys?: string[] }).keys ?? []) {
        if (isRecord(owner)) {
          delete owner[k];
        }
      }
    }
  }
  return { issues };
}

function childAt(value: unknown, keyPath: KeyPath): unknown {
  let cur = value;
  for (const seg of keyPath) {
    if (Array.isArray(cur) && typeof seg === 'number') {
      cur = cur[seg];
    } else if (isRecord(cur)) {
      const names = [String(seg), ...aliasesOf(String(seg))];
      const rec = cur;
      const hit = names.find((n) => n in rec);
      cur = hit === undefined ? undefined : rec[hit];
    } else {
      return undefined;
    }
  }
  return cur;
}

const kind = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'a list' : isRecord(v) ? 'a mapping' : `${typeof v} ${shown(v)}`;

function toConfigIssues(y: YamlFile, prefix: KeyPath, iss: z.core.$ZodIssue, strict: boolean): ConfigIssue[] {
  const keyPath = [...prefix, ...(iss.path as KeyPath)];
  if (iss.code === 'unrecognized_keys') {
    return iss.keys.map((k) => {
      const hint = suggestKey(k);
      return issueAt(
        y,
        [...keyPath, k],
        `unknown key '${k}'${hint ? ` (did you mean '${hint}'?)` : ''}: ` +
          (strict ? 'remove it or fix its spelling (--strict)' : 'ignored; remove it or fix its spelling'),
        strict ? 'error' : 'warning',
        { key: true }
      );
    });
  }
  const last = keyPath[keyPath.length - 1];
  const input = (iss as { input?: unknown }).input;
  let message = iss.message;
  if (
    (iss.code === 'invalid_type' || iss.code === 'invalid_union') &&
    input === undefined &&
    typeof last === 'string'
  ) {
    message = `missing required key '${last}': ${message.replace(`${last} is required: `, '')}`;
  } else if (iss.code === 'invalid_type' && / is required/.test(message)) {
    message = `${formatPath([last ?? ''])} has the wrong type (${kind(input)}): ${message.replace(' is required', '')}`;
  } else if (
    message.startsWith('Invalid input') ||
    message.startsWith('Too ') ||
    message.startsWith('Invalid option')
  ) {
    message = `${message}${input !== undefined ? ` (got ${kind(input)})` : ''}`;
  }
  const issue = issueAt(y, keyPath, message);
  // Unknown detector parameters: point at the parameter itself.
  const unknownParam = /^unknown parameters? '([^']+)'/.exec(message);
  if (unknownParam?.[1]) {
    const at = issueAt(y, [...keyPath, unknownParam[1]], message, 'error', { key: true });
    return [{ ...at, path: formatPath(keyPath) }];
  }
  return [issue];
}

/** Copies mappings and lists (we delete unknown keys from the copy); scalars and dates are shared. */
function deepCopy(v: unknown): unknown {
  if (Array.isArray(v)) {
    return v.map(deepCopy);
  }
  if (isRecord(v)) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, deepCopy(x)]));
  }
  return v;
}
