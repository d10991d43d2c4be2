import fs from 'node:fs';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node } from 'yaml';
import { aliasesOf } from '../../../common/config';
import { formatPath, type ConfigIssue } from './issues';

/**
 * YAML files with node positions. PyYAML reads YAML 1.1 (`yes`/`on` are booleans, unquoted dates are
 * timestamps), so we do too: a detectkit file must mean the same thing here.
 */
export interface YamlFile {
  file: string;
  doc: Document;
  lineCounter: LineCounter;
}

export type KeyPath = ReadonlyArray<string | number>;

export function readYaml(file: string): { yaml?: YamlFile; issues: ConfigIssue[] } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    return { issues: [{ file, message: `cannot read file: ${(e as Error).message}`, severity: 'error' }] };
  }
  const lineCounter = new LineCounter();
  // Duplicate keys are legal for PyYAML (the last wins); we warn instead of refusing.
  const doc = parseDocument(text, { version: '1.1', uniqueKeys: false, lineCounter, prettyErrors: false });
  const issues: ConfigIssue[] = doc.errors.map((e) => {
    const pos = e.linePos?.[0] ?? lineCounter.linePos(e.pos[0]);
    return {
      file,
      line: pos.line,
      column: pos.col,
      message: `invalid YAML: ${e.message.split('\n')[0]} (${e.code}); fix the syntax at this position`,
      severity: 'error',
    };
  });
  const yaml = { file, doc, lineCounter };
  if (!issues.length) {
    issues.push(...duplicateKeys(yaml));
  }
  return { yaml, issues };
}

function duplicateKeys(y: YamlFile): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  visit(y.doc, {
    Map(_, map) {
      const seen = new Map<string, Node>();
      for (const pair of map.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        const first = seen.get(key);
        if (first && isScalar(pair.key)) {
          const at = position(y, pair.key);
          const was = position(y, first);
          issues.push({
            file: y.file,
            ...at,
            message: `duplicate key '${key}' (first at line ${was.line}): the last value wins, as in detectkit; remove one`,
            severity: 'warning',
          });
        } else if (isScalar(pair.key)) {
          seen.set(key, pair.key);
        }
      }
    },
  });
  return issues;
}

export function position(y: YamlFile, node: unknown): { line?: number; column?: number } {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  if (!range) {
    return {};
  }
  const p = y.lineCounter.linePos(range[0]);
  return { line: p.line, column: p.col };
}

/**
 * Finds where a key path points in the file: the value node, or with `key` the key itself. A path that runs
 * out (a missing key) points at the deepest mapping that exists, so "missing key" errors show its owner.
 * Canonical keys also match their documented aliases.
 */
export function locate(
  y: YamlFile,
  keyPath: KeyPath,
  opts: { key?: boolean } = {}
): { line?: number; column?: number } {
  let cur: unknown = y.doc.contents;
  let keyNode: unknown;
  for (const seg of keyPath) {
    if (isMap(cur)) {
      const names = [String(seg), ...aliasesOf(String(seg))];
      const pair = cur.items.find((p) => isPair(p) && isScalar(p.key) && names.includes(String(p.key.value)));
      if (!pair) {
        return position(y, keyNode ?? cur);
      }
      keyNode = pair.key;
      cur = pair.value;
    } else if (isSeq(cur) && typeof seg === 'number' && cur.items[seg] !== undefined) {
      keyNode = undefined;
      cur = cur.items[seg];
    } else {
      break;
    }
  }
  if ((opts.key || cur === null || cur === undefined) && keyNode) {
    return position(y, keyNode);
  }
  return position(y, cur ?? keyNode ?? y.doc.contents);
}

/** The YAML node at a key path (for `floatKeysFromYaml`), or undefined. */
export function nodeAt(y: YamlFile, keyPath: KeyPath): unknown {
  return y.doc.getIn(keyPath as Array<string | number>, true);
}

export function issueAt(
  y: YamlFile,
  keyPath: KeyPath,
  message: string,
  severity: 'error' | 'warning' = 'error',
  opts: { key?: boolean } = {}
): ConfigIssue {
  return {
    file: y.file,
    ...locate(y, keyPath, opts),
    ...(keyPath.length ? { path: formatPath(keyPath) } : {}),
    message,
    severity,
  };
}
