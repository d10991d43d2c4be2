import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Document, isMap, isScalar, isSeq } from 'yaml';
import { isRecord, unwrapMetric } from '../../../common/config';
import type { ConfigIssue, FailedMetric, LoadedMetric } from '../config';
import { loadMetricFile } from '../config/metricFile';

/**
 * UI-managed definitions are the JSON form of a metric YAML file, and they are loaded by the very loader that
 * reads files, so a definition means the same and fails with the same messages wherever it was written.
 * The loader reads from a path, so each definition is written as YAML to a private temporary file and loaded
 * against the project root (a `query_file` would resolve as in a file; UI metrics may not use one, see below).
 */
export type DefinitionResult =
  | { ok: true; metric: LoadedMetric; issues: ConfigIssue[] }
  | { ok: false; failed: FailedMetric; issues: ConfigIssue[] };

/**
 * detectkit's detector_id hashes `2.0` and `2` differently (reference §4.9), and JSON cannot tell them apart. The
 * parameters that are floats in detectkit's signatures are written as floats, so a UI definition gets the ids of
 * the usual file spelling (`threshold: 3.0`) and the same definition always gets the same ids.
 */
const FLOAT_PARAMS = new Set(['threshold', 'smoothing_alpha', 'weight_decay', 'lower_bound', 'upper_bound']);

/** The definition as YAML 1.1 text: strings like `yes` stay quoted strings, nothing is folded or aliased. */
export function definitionYaml(def: Record<string, unknown>): string {
  const doc = new Document(def, { version: '1.1', aliasDuplicateObjects: false });
  const detectors = doc.get('detectors', true);
  for (const d of isSeq(detectors) ? detectors.items : []) {
    const params = isMap(d) ? d.get('params', true) : undefined;
    for (const pair of isMap(params) ? params.items : []) {
      const v = pair.value;
      if (isScalar(pair.key) && FLOAT_PARAMS.has(String(pair.key.value)) && isScalar(v) && Number.isInteger(v.value)) {
        v.minFractionDigits = 1;
      }
    }
  }
  return doc.toString({ lineWidth: 0 });
}

export const MAX_NAME_LENGTH = 200;

/** `ui:<name>`: the relPath (and file) of a UI metric in messages, `_dtk_metrics.path` and run output. */
export const uiRelPath = (name: string) =>
  `ui:${name.length > MAX_NAME_LENGTH ? `${name.slice(0, MAX_NAME_LENGTH)}…` : name}`;

/** The flat form of a definition (`metric: {…}` unwrapped), or null when it is not a mapping. */
export function flatDefinition(def: unknown): Record<string, unknown> | null {
  const { config } = unwrapMetric(def);
  return isRecord(config) ? config : null;
}

/**
 * Key paths of keys named like Object.prototype members (`constructor`, `__proto__`, `toString`, …). No metric
 * setting is called that, and the config loader's key lookups would find the inherited member instead of a key.
 */
function inheritedKeys(def: unknown): string[] {
  const found: string[] = [];
  const walk = (v: unknown, at: string) => {
    if (Array.isArray(v)) {
      v.forEach((x, i) => walk(x, `${at}[${i}]`));
    } else if (isRecord(v)) {
      for (const [k, x] of Object.entries(v)) {
        const p = at ? `${at}.${k}` : k;
        if (k in Object.prototype || k === '__proto__' || k === 'prototype') {
          found.push(p);
        } else {
          walk(x, p);
        }
      }
    }
  };
  walk(def, '');
  return found;
}

export class DefinitionLoader {
  private dir: string | null = null;

  constructor(
    private readonly root: string,
    private readonly opts: {
      strict?: boolean;
      env: NodeJS.ProcessEnv;
      /** Added to "environment variable X is not set" (which variables a UI definition may read). */
      unsetHint?: string;
    }
  ) {}

  /**
   * Validates and loads one definition under the given name (the issues' file). Refuses `query_file`: an editor in
   * Grafana must not read files on the service host through a template; the SQL goes in `query`.
   */
  load(name: string, def: Record<string, unknown>): DefinitionResult {
    const rel = uiRelPath(name);
    const early: ConfigIssue[] = inheritedKeys(def).map((p) => ({
      file: rel,
      path: p,
      message: `'${p.split('.').pop()}' is not a metric setting (a name every JavaScript object inherits); remove it`,
      severity: 'error',
    }));
    if (typeof def.name === 'string' && def.name.length > MAX_NAME_LENGTH) {
      // A name keys rows, locks, alerts and URLs: files are not limited (detectkit's were not), the UI is.
      early.push({
        file: rel,
        path: 'name',
        message: `the metric name is ${def.name.length} characters long; at most ${MAX_NAME_LENGTH}`,
        severity: 'error',
      });
    }
    if (early.length > 0) {
      return { ok: false, failed: { file: rel, relPath: rel, issues: early }, issues: early };
    }
    const file = path.join(this.tmpDir(), `${randomUUID()}.yml`);
    fs.writeFileSync(file, definitionYaml(def));
    let r: ReturnType<typeof loadMetricFile>;
    try {
      r = loadMetricFile(this.root, file, { strict: this.opts.strict, env: this.opts.env });
    } finally {
      fs.rmSync(file, { force: true });
    }
    const fileRel = path.relative(this.root, file).split(path.sep).join('/');
    const hint = this.opts.unsetHint;
    const fix = (s: string) => {
      const m = s.split(file).join(rel).split(fileRel).join(rel);
      return hint && /^environment variable \S+ is not set/.test(m) ? `${m} (${hint})` : m;
    };
    // Positions point into the generated YAML, which nobody sees: the key path says where.
    const issues = r.issues.map(({ line: _l, column: _c, ...i }): ConfigIssue => ({
      ...i,
      file: rel,
      message: fix(i.message),
    }));
    if (def.query_file !== undefined && def.query_file !== null) {
      issues.push({
        file: rel,
        path: 'query_file',
        message: 'query_file is not available for metrics managed in the UI: put the SQL template in query',
        severity: 'error',
      });
    }
    if (!r.ok || issues.some((i) => i.severity === 'error')) {
      const failed: FailedMetric = r.ok
        ? { file: rel, relPath: rel, name: r.metric.name, issues }
        : { ...r.failed, file: rel, relPath: rel, issues };
      return { ok: false, failed, issues };
    }
    return { ok: true, metric: { ...r.metric, file: rel, relPath: rel }, issues };
  }

  private tmpDir(): string {
    if (!this.dir || !fs.existsSync(this.dir)) {
      this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dtk-ui-metrics-'));
    }
    return this.dir;
  }

  close(): void {
    if (this.dir) {
      fs.rmSync(this.dir, { recursive: true, force: true });
      this.dir = null;
    }
  }
}
