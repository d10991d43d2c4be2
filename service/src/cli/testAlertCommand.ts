import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { findProjectRoot, formatIssue, loadProject, PROFILES_FILE, type LoadedMetric } from '../config';
import { DtkError } from '../errors';
import { createReporter, fmtTime, type Reporter } from '../pipeline';
import { similarNames } from './exportCommand';

interface TestAlertFlags {
  profile?: string;
  project?: string;
}

/** A channel the metric names, with its type when profiles.yml defines it. */
export interface PlannedChannel {
  name: string;
  type?: string;
}

/** What a test alert would go to, once every check passed. */
export interface TestAlertPlan {
  metric: LoadedMetric;
  /** `alerting.timezone`, else UTC (a label only, as in detectkit). */
  timezone: string;
  channels: PlannedChannel[];
}

/**
 * `dtk test-alert`: detectkit's checks (reference §3.5) with its mock alert. Alert channels come with the
 * Alerting issue; until then the command checks and shows the message, then says plainly that nothing was sent.
 */
export function registerTestAlertCommand(program: Command): void {
  program
    .command('test-alert')
    .description("check a metric's alerting configuration and show the test alert its channels would get")
    .argument('<metric_name>', 'metric name')
    .option('--profile <name>', 'profile whose unset variables count as errors (alert channels are not per profile)')
    .option('--project <dir>', 'project directory (default: the nearest one above the current directory)')
    .action((metricName: string, flags: TestAlertFlags) => {
      process.exitCode = runTestAlert(metricName, flags, createReporter());
    });
}

/**
 * The checks, in detectkit's order: the metric exists, alerting is enabled, it names channels, profiles.yml
 * exists. Each failure is a DtkError with detectkit's message and the fix. Channels missing from profiles.yml are
 * not an error here (detectkit skips them with a warning); the plan marks them without a type.
 */
export function checkTestAlert(
  metricName: string,
  opts: { project?: string; profile?: string; env?: NodeJS.ProcessEnv } = {}
): TestAlertPlan {
  // detectkit only looked in the current directory; we search upwards like every other command.
  const root = findProjectRoot(path.resolve(opts.project ?? '.'));
  const project = loadProject(root, { partial: true, profile: opts.profile, env: opts.env });
  const metric = project.metrics.find((m) => m.name === metricName);
  if (!metric) {
    const broken = project.failed.find((f) => f.name === metricName);
    if (broken) {
      throw new DtkError(
        'config_invalid',
        [
          `Metric '${metricName}' has configuration errors (${broken.relPath}):`,
          ...broken.issues.filter((i) => i.severity === 'error').map((i) => `  ${formatIssue(i)}`),
        ].join('\n')
      );
    }
    const names = [...project.metrics.map((m) => m.name), ...project.failed.flatMap((f) => (f.name ? [f.name] : []))];
    const similar = similarNames(metricName, names);
    throw new DtkError(
      'not_found',
      `Metric '${metricName}' not found\nSearched in: ${path.join(root, project.metricsDir)}` +
        (similar.length ? `\nDid you mean: ${similar.join(', ')}?` : '')
    );
  }
  const alerting = metric.config.alerting;
  if (!alerting?.enabled) {
    throw new DtkError(
      'config_invalid',
      `Alerting not enabled for metric '${metricName}'\nAdd 'alerting: {enabled: true, channels: [...]}' to ${metric.relPath}`
    );
  }
  if (alerting.channels.length === 0) {
    throw new DtkError(
      'config_invalid',
      `No alert channels configured for metric '${metricName}'\n` +
        `List channel names from ${PROFILES_FILE} alert_channels in alerting.channels of ${metric.relPath}`
    );
  }
  const profilesPath = path.join(root, PROFILES_FILE);
  if (!fs.existsSync(profilesPath)) {
    throw new DtkError(
      'config_invalid',
      `${PROFILES_FILE} not found\nExpected at: ${profilesPath}, with the channels under alert_channels`
    );
  }
  const defined = project.profiles?.alert_channels ?? {};
  return {
    metric,
    timezone: alerting.timezone || 'UTC',
    channels: alerting.channels.map((name) => ({ name, type: defined[name]?.type })),
  };
}

/** Prints the checks and the mock alert; returns the exit code: always 1, since nothing can be sent yet. */
export function runTestAlert(metricName: string, flags: TestAlertFlags, out: Reporter, now = Date.now()): number {
  const plan = checkTestAlert(metricName, flags);
  out.line();
  out.line(`📨 Test alert for metric: ${plan.metric.name}`);
  out.line(`   Timezone: ${plan.timezone}`);
  out.line(`   Channels: ${plan.channels.map((c) => c.name).join(', ')}`);
  out.line();
  for (const c of plan.channels) {
    if (c.type === undefined) {
      out.line(`⚠️  Channel '${c.name}' not found in ${PROFILES_FILE} - skipping`, 'yellow');
    } else {
      out.line(`   ✓ ${c.name} (${c.type}): configured`);
    }
  }
  const usable = plan.channels.filter((c) => c.type !== undefined);
  out.line();
  out.line('Message (mock data):');
  const message = previewMessage(
    mockAlert(plan.metric.name, plan.timezone, now),
    plan.metric.config.alerting?.template_consecutive ?? undefined
  );
  for (const l of message.split('\n')) {
    out.line(`   ${l}`);
  }
  out.line();
  out.line(
    usable.length
      ? `✗ Not sent: sending alerts is not available in this version of dtk (alert channels come in a later version); ` +
          `${usable.length}/${plan.channels.length} channel(s) passed the checks`
      : `✗ Not sent: none of the channels is defined in ${PROFILES_FILE} alert_channels, ` +
          'and sending alerts is not available in this version of dtk',
    'red'
  );
  return 1;
}

/** detectkit's mock AlertData (reference §3.5), for the metric under test. */
export function mockAlert(metricName: string, timezone: string, now: number): Record<string, string | number> {
  return {
    metric_name: metricName,
    timestamp: `${fmtTime(now)} (${timezone})`,
    timezone,
    value: 0.8532,
    confidence_lower: 0.4521,
    confidence_upper: 0.6234,
    confidence_interval: '[0.45, 0.62]',
    detector_name: 'MADDetector:threshold=3.0',
    detector_params: '{"threshold": 3.0, "window_size": 8640}',
    direction: 'above',
    severity: 4.52,
    consecutive_count: 3,
  };
}

/** detectkit's default message template (reference §5.4). */
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

/**
 * A preview of Python `str.format` over the alert fields: `{name}`, `{name:.Nf}` and `{{ }}`. An unknown field
 * falls back to the default template, as detectkit does on KeyError. The Alerting issue owns real formatting.
 */
export function previewMessage(fields: Record<string, string | number>, template = DEFAULT_TEMPLATE): string {
  let unknown = false;
  const text = template.replace(/\{\{|\}\}|\{([A-Za-z_]\w*)(?::([^}]*))?\}/g, (m, key?: string, spec?: string) => {
    if (m === '{{' || m === '}}') {
      return m[0]!;
    }
    const v = fields[key!];
    if (v === undefined) {
      unknown = true;
      return m;
    }
    const digits = spec ? /^\.(\d+)f$/.exec(spec) : null;
    return typeof v === 'number' && digits ? v.toFixed(Number(digits[1])) : String(v);
  });
  return unknown && template !== DEFAULT_TEMPLATE ? previewMessage(fields) : text;
}
