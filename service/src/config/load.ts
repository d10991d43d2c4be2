import path from 'node:path';
import type { ProfilesConfig, ProjectConfig } from '../../../common/config';
import { ConfigError, hasErrors, type ConfigIssue } from './issues';
import { listMetricFiles } from './discover';
import { loadMetricFile, type FailedMetric, type LoadedMetric } from './metricFile';
import { loadProfilesFile } from './profilesFile';
import { loadProjectFile } from './projectFile';
import { selectDetailed, type Selection } from './select';
import { issueAt, locate, readYaml } from './yamlFile';

export interface LoadedProject {
  root: string;
  project: ProjectConfig;
  profiles: ProfilesConfig | null;
  /** Metrics that loaded without error, sorted by path. */
  metrics: LoadedMetric[];
  /** Metric files with errors (only with `partial`; otherwise loadProject throws). */
  failed: FailedMetric[];
  /** Metrics directory relative to the root (`paths.metrics`, default `metrics`). */
  metricsDir: string;
  /** Warnings (and, with `partial`, the errors of failed metric files). */
  issues: ConfigIssue[];
}

export interface LoadOptions {
  /** Unknown keys are errors. */
  strict?: boolean;
  env?: NodeJS.ProcessEnv;
  /** The database profile the caller will use (for which unset variables are errors). */
  profile?: string;
  /**
   * Errors in a metric file fail that metric only (`dtk run`: the others still run); errors in
   * detectkit_project.yml or profiles.yml still throw. Without it every error throws (`dtk validate`).
   */
  partial?: boolean;
}

/** Loads and validates the whole project, collecting every issue of every file. */
export function loadProject(root: string, opts: LoadOptions = {}): LoadedProject {
  const issues: ConfigIssue[] = [];
  const projectFile = loadProjectFile(root, opts);
  issues.push(...projectFile.issues);
  const project = projectFile.config;
  const metricsDir = (project?.paths.metrics ?? 'metrics').replace(/\/+$/, '').replace(/^\.\//, '');
  const metrics: LoadedMetric[] = [];
  const failed: FailedMetric[] = [];
  for (const file of listMetricFiles(path.resolve(root, metricsDir))) {
    const r = loadMetricFile(root, file, opts);
    issues.push(...r.issues);
    if (r.ok) {
      metrics.push(r.metric);
    } else {
      failed.push(r.failed);
    }
  }
  issues.push(...refuseDuplicates(metrics, failed));
  const channels = new Set(metrics.flatMap((m) => (m.config.alerting?.enabled ? m.config.alerting.channels : [])));
  const profilesFile = loadProfilesFile(root, {
    ...opts,
    inUse: { profile: opts.profile, channels },
    projectDefault: project?.default_profile,
  });
  issues.push(...profilesFile.issues);
  if (profilesFile.config || !profilesFile.exists) {
    issues.push(...checkChannelReferences(metrics, profilesFile.config));
  }

  issues.sort(byPosition);
  const projectLevel = issues.filter((i) => i.severity === 'error' && !failed.some((f) => f.file === i.file));
  if (!project || hasErrors(projectLevel) || (!opts.partial && hasErrors(issues))) {
    throw new ConfigError(issues);
  }
  return {
    root,
    project,
    profiles: profilesFile.config,
    metrics,
    failed,
    metricsDir,
    issues: opts.partial ? issues : issues.filter((i) => i.severity === 'warning'),
  };
}

/** Metric names are identities (rows, locks, alerts): two files with one name would corrupt each other. */
function refuseDuplicates(metrics: LoadedMetric[], failed: FailedMetric[]): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const byName = new Map<string, LoadedMetric>();
  for (const m of [...metrics]) {
    const first = byName.get(m.name);
    if (!first) {
      byName.set(m.name, m);
      continue;
    }
    const y = readYaml(m.file).yaml;
    const firstAt = readYaml(first.file).yaml;
    const firstPos = firstAt ? locate(firstAt, nameKeyPath(first), { key: false }) : {};
    const message =
      `Duplicate metric name '${m.name}' found in ${first.relPath}:${firstPos.line ?? 1}:${firstPos.column ?? 1} ` +
      `and ${m.relPath}. Metric names must be unique across the project; rename one of the metrics.`;
    const issue: ConfigIssue = y ? issueAt(y, nameKeyPath(m), message) : { file: m.file, message, severity: 'error' };
    issues.push(issue);
    for (const dup of [m, first]) {
      const idx = metrics.indexOf(dup);
      if (idx >= 0) {
        metrics.splice(idx, 1);
        failed.push({
          file: dup.file,
          relPath: dup.relPath,
          name: dup.name,
          tags: dup.config.tags ?? undefined,
          enabled: dup.config.enabled,
          issues: [issue],
        });
      }
    }
  }
  return issues;
}

const nameKeyPath = (m: LoadedMetric): string[] => {
  const y = readYaml(m.file).yaml;
  const nested = y?.doc.hasIn(['metric', 'name']);
  return nested ? ['metric', 'name'] : ['name'];
};

/** A channel that profiles.yml does not define gets no alert: say so now rather than at alert time. */
function checkChannelReferences(metrics: LoadedMetric[], profiles: ProfilesConfig | null): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const defined = Object.keys(profiles?.alert_channels ?? {});
  for (const m of metrics) {
    const a = m.config.alerting;
    if (!a?.enabled) {
      continue;
    }
    const y = readYaml(m.file).yaml;
    a.channels.forEach((c, i) => {
      if (!defined.includes(c) && y) {
        const base = y.doc.hasIn(['metric', 'alerting']) ? ['metric'] : [];
        issues.push(
          issueAt(
            y,
            [...base, 'alerting', 'channels', i],
            `alert channel '${c}' is not defined in profiles.yml alert_channels` +
              (defined.length ? ` (defined: ${defined.join(', ')})` : '') +
              '; add it there or remove it here',
            'warning'
          )
        );
      }
    });
  }
  return issues;
}

/** Selects metrics (and failed metric files) with detectkit's selector grammar. */
export function selectFromProject(p: LoadedProject, select?: string[], exclude?: string[]): Selection {
  return selectDetailed(p.metrics, p.failed, p.metricsDir, select, exclude);
}

/** The selected metrics; DtkError 'usage' `No metrics found matching selector: <s>` when one selects nothing. */
export function selectMetrics(p: LoadedProject, select?: string[], exclude?: string[]): LoadedMetric[] {
  return selectFromProject(p, select, exclude).metrics;
}

function byPosition(a: ConfigIssue, b: ConfigIssue): number {
  return a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0);
}
