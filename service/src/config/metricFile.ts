import fs from 'node:fs';
import path from 'node:path';
import {
  availableSeasonalityColumns,
  isRecord,
  metricConfigSchema,
  parseConfigDateTime,
  parseInterval,
  type MetricConfig,
} from '../../../common/config';
import type { DetectorType, SeasonalityComponent } from '../../../common/detectors';
import {
  checkDetectorIdCollisions,
  checkSeasonalityColumns,
  createDetector,
  floatKeysFromYaml,
  type Detector,
} from '../detectors';
import { DtkError, errorMessage } from '../errors';
import { interpolateYaml, withoutShadowed } from './env';
import type { ConfigIssue } from './issues';
import { validateValue } from './schema';
import { issueAt, nodeAt, readYaml, type KeyPath, type YamlFile } from './yamlFile';

export interface LoadedDetector {
  type: DetectorType;
  /** 1-based position in the metric's `detectors:` list. */
  position: number;
  /** Validated, detectkit's defaults applied (execution params included). */
  params: Record<string, unknown>;
  /** `start_time` as epoch ms UTC. */
  startTime?: number;
  /** `batch_size`, detectkit's default 1000. */
  batchSize: number;
  /** Built with the YAML spelling of its numbers, so `detector.identity` is detectkit's exact detector_id. */
  detector: Detector;
  /** The `params:` YAML node (for `floatKeysFromYaml`), when the file had one. */
  paramsNode?: unknown;
}

export interface LoadedMetric {
  name: string;
  config: MetricConfig;
  intervalSeconds: number;
  loadingStartTime?: number;
  /** Absolute path of the metric file. */
  file: string;
  /** Path relative to the project root, `/`-separated (what detectkit prints and stores). */
  relPath: string;
  detectors: LoadedDetector[];
  alertCooldownSeconds?: number;
  /** Absolute path of `query_file`, when the metric has one. */
  queryFile?: string;
}

/** A metric file that could not be loaded, with what selectors can still read from it. */
export interface FailedMetric {
  file: string;
  relPath: string;
  /** The raw `name:`, when the YAML was readable. */
  name?: string;
  tags?: string[];
  enabled?: boolean;
  issues: ConfigIssue[];
}

export type MetricFileResult =
  | { ok: true; metric: LoadedMetric; issues: ConfigIssue[] }
  | { ok: false; failed: FailedMetric; issues: ConfigIssue[] };

/** Strings we do not interpolate: the query is a Jinja template rendered later; a description is prose. */
const NOT_INTERPOLATED = new Set(['query', 'description']);

export function loadMetricFile(
  root: string,
  file: string,
  opts: { strict?: boolean; env?: NodeJS.ProcessEnv } = {}
): MetricFileResult {
  const relPath = path.relative(root, file).split(path.sep).join('/');
  const { yaml, issues } = readYaml(file);
  const fail = (extra: Partial<FailedMetric> = {}): MetricFileResult => ({
    ok: false,
    failed: { file, relPath, ...extra, issues },
    issues,
  });
  if (!yaml || issues.some((i) => i.severity === 'error')) {
    return fail();
  }
  const js: unknown = yaml.doc.toJS();
  if (js === null || js === undefined) {
    issues.push({ file, line: 1, column: 1, message: `Empty metric config file: ${relPath}`, severity: 'error' });
    return fail();
  }
  const nested = isRecord(js) && isRecord(js.metric);
  const prefix: KeyPath = nested ? ['metric'] : [];
  if (nested && isRecord(js)) {
    for (const k of Object.keys(js).filter((k) => k !== 'metric')) {
      issues.push(
        issueAt(yaml, [k], `key '${k}' beside 'metric:' is ignored; move it under 'metric:'`, 'warning', { key: true })
      );
    }
  }
  const unset = interpolateYaml(yaml, opts.env ?? process.env, (p) => !p.some((s) => NOT_INTERPOLATED.has(String(s))));
  issues.push(...unset.map((u) => u.issue));
  const interpolated: unknown = yaml.doc.toJS();
  const raw = nested && isRecord(interpolated) ? interpolated.metric : interpolated;
  const rawInfo = rawSelectorInfo(raw);
  const v = validateValue(yaml, raw, metricConfigSchema, { strict: opts.strict, prefix });
  issues.push(...withoutShadowed(v.issues, unset));
  if (!v.data || issues.some((i) => i.severity === 'error')) {
    return fail(rawInfo);
  }
  const config = v.data;
  const detectors = buildDetectors(yaml, prefix, config, issues, root);
  const queryFile = config.query_file ? resolveQueryFile(yaml, prefix, root, config.query_file, issues) : undefined;
  if (!detectors || issues.some((i) => i.severity === 'error')) {
    return fail(rawInfo);
  }
  const interval = parseInterval(config.interval);
  const cooldown = config.alerting?.alert_cooldown;
  const cooldownSeconds = cooldown === null || cooldown === undefined ? undefined : parseInterval(cooldown);
  const metric: LoadedMetric = {
    name: config.name,
    config,
    intervalSeconds: interval.ok ? interval.seconds : 0,
    loadingStartTime: config.loading_start_time ? parseConfigDateTime(config.loading_start_time) : undefined,
    file,
    relPath,
    detectors,
    alertCooldownSeconds: cooldownSeconds?.ok ? cooldownSeconds.seconds : undefined,
    queryFile,
  };
  return { ok: true, metric, issues };
}

function rawSelectorInfo(raw: unknown): Partial<FailedMetric> {
  if (!isRecord(raw)) {
    return {};
  }
  return {
    ...(typeof raw.name === 'string' ? { name: raw.name } : {}),
    ...(Array.isArray(raw.tags) ? { tags: raw.tags.filter((t): t is string => typeof t === 'string') } : {}),
    ...(typeof raw.enabled === 'boolean' ? { enabled: raw.enabled } : {}),
  };
}

/** Builds each detector through the registry and runs the metric-level detector checks. */
function buildDetectors(
  y: YamlFile,
  prefix: KeyPath,
  config: MetricConfig,
  issues: ConfigIssue[],
  root: string
): LoadedDetector[] | undefined {
  const out: LoadedDetector[] = [];
  const available = availableSeasonalityColumns(config);
  config.detectors.forEach((dc, i) => {
    const at: KeyPath = [...prefix, 'detectors', i];
    const paramsNode = nodeAt(y, [...at, 'params']);
    const ctx = { metric: config.name, position: i + 1 };
    try {
      // `root`: custom detector modules are paths relative to the project root.
      const detector = createDetector(dc.type, dc.params, { ...ctx, floatKeys: floatKeysFromYaml(paramsNode), root });
      const components = (detector.params as { seasonality_components?: SeasonalityComponent[] | null })
        .seasonality_components;
      try {
        checkSeasonalityColumns(components, available, { ...ctx, type: detector.type });
      } catch (e) {
        issues.push(issueAt(y, [...at, 'params', 'seasonality_components'], errorMessage(e)));
      }
      const params = detector.params as Record<string, unknown>;
      const startTime = parseConfigDateTime(params.start_time);
      out.push({
        type: detector.type,
        position: i + 1,
        params,
        ...(startTime !== undefined ? { startTime } : {}),
        batchSize: typeof params.batch_size === 'number' ? params.batch_size : 1000,
        detector,
        ...(paramsNode ? { paramsNode } : {}),
      });
    } catch (e) {
      const message = errorMessage(e);
      // A custom module that cannot be found: point at `module:` rather than at the whole detector.
      const onModule = dc.type === 'custom' && message.includes('custom detector module');
      issues.push(issueAt(y, onModule ? [...at, 'params', 'module'] : at, message));
    }
  });
  if (out.length !== config.detectors.length) {
    return undefined;
  }
  try {
    checkDetectorIdCollisions(
      config.name,
      out.map((d) => d.detector)
    );
  } catch (e) {
    if (!(e instanceof DtkError)) {
      throw e;
    }
    const second = /detectors #\d+ and #(\d+)/.exec(e.message)?.[1];
    issues.push(issueAt(y, [...prefix, 'detectors', ...(second ? [Number(second) - 1] : [])], e.message));
    return undefined;
  }
  return out;
}

/**
 * `query_file` is relative to the project root. detectkit read it relative to the current directory, so a
 * file found only there is still used, with a warning.
 */
function resolveQueryFile(
  y: YamlFile,
  prefix: KeyPath,
  root: string,
  queryFile: string,
  issues: ConfigIssue[]
): string | undefined {
  const fromRoot = path.resolve(root, queryFile);
  if (fs.existsSync(fromRoot)) {
    return fromRoot;
  }
  const fromCwd = path.resolve(queryFile);
  if (fs.existsSync(fromCwd)) {
    issues.push(
      issueAt(
        y,
        [...prefix, 'query_file'],
        `found ${queryFile} relative to the current directory, not the project root; make the path relative to ${root}`,
        'warning'
      )
    );
    return fromCwd;
  }
  issues.push(
    issueAt(
      y,
      [...prefix, 'query_file'],
      `Query file not found: ${fromRoot} (query_file is relative to the project root); create it or fix the path`
    )
  );
  return undefined;
}
