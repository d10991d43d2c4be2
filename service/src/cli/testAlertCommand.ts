import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { findProjectRoot, formatIssue, loadProject, PROFILES_FILE, selectProfile, type LoadedMetric } from '../config';
import { Store, type ChannelDelivery } from '../storage';
import { randomUUID } from 'node:crypto';
import type { AlertChannelConfig } from '../../../common/config/profiles';
import { createChannel } from '../alerting/channels';
import { eventMessage } from '../alerting/format';
import type { AlertData } from '../alerting/types';
import { DtkError, errorMessage } from '../errors';
import { createReporter, type Reporter } from '../pipeline';
import { similarNames } from './exportCommand';

interface TestAlertFlags {
  profile?: string;
  project?: string;
}

/** A channel the metric names, with its type and settings when profiles.yml defines it. */
export interface PlannedChannel {
  name: string;
  type?: string;
  config?: AlertChannelConfig;
}

/** What a test alert would go to, once every check passed. */
export interface TestAlertPlan {
  metric: LoadedMetric;
  /** `alerting.timezone`, else UTC (a label only, as in detectkit). */
  timezone: string;
  channels: PlannedChannel[];
}

/**
 * `dtk test-alert`: detectkit's checks (reference §3.5), then detectkit's mock alert, clearly marked as a test, sent
 * through each of the metric's channels with a result per channel. Exit 0 only when every defined channel
 * accepted it.
 */
export function registerTestAlertCommand(program: Command): void {
  program
    .command('test-alert')
    .description("check a metric's alerting configuration and send a test alert through each of its channels")
    .argument('<metric_name>', 'metric name')
    .option('--profile <name>', 'profile whose unset variables count as errors (alert channels are not per profile)')
    .option('--project <dir>', 'project directory (default: the nearest one above the current directory)')
    .action(async (metricName: string, flags: TestAlertFlags) => {
      process.exitCode = await runTestAlert(metricName, flags, createReporter());
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
    channels: alerting.channels.map((name) =>
      defined[name] ? { name, type: defined[name].type, config: defined[name] } : { name }
    ),
  };
}

/** Checks, prints the message and sends it through each defined channel; returns the exit code. */
export async function runTestAlert(
  metricName: string,
  flags: TestAlertFlags,
  out: Reporter,
  now = Date.now(),
  record: typeof recordTest = recordTest
): Promise<number> {
  const plan = checkTestAlert(metricName, flags);
  const alerting = plan.metric.config.alerting;
  out.line();
  out.line(`📨 Sending test alert for metric: ${plan.metric.name}`);
  out.line(`   Timezone: ${plan.timezone}`);
  out.line(`   Channels: ${plan.channels.map((c) => c.name).join(', ')}`);
  out.line();
  const data = mockAlert(plan.metric.name, alerting?.timezone ?? null, now);
  const message = eventMessage('test', data, {
    templateSingle: alerting?.template_single,
    templateConsecutive: alerting?.template_consecutive,
  });
  out.line('Message:');
  for (const l of message.text.split('\n')) {
    out.line(`   ${l}`);
  }
  if (message.fallback) {
    out.line(`   ⚠ ${message.fallback}; the default message was used`, 'yellow');
  }
  out.line();
  const eventId = `test-${randomUUID()}`;
  let sent = 0;
  const deliveries: Record<string, ChannelDelivery> = {};
  const usable = plan.channels.filter((c) => c.config);
  for (const c of plan.channels) {
    if (!c.config) {
      out.line(`⚠️  Channel '${c.name}' not found in ${PROFILES_FILE} - skipping`, 'yellow');
      continue;
    }
    try {
      const channel = createChannel(c.name, c.config);
      await channel.send({ eventId, kind: 'test', data, message: message.text, now });
      sent++;
      deliveries[c.name] = { type: c.type ?? '', status: 'sent', attempts: 1, sentAt: Date.now() };
      out.line(
        `   → Sending to ${c.name} (${c.type})... ✓ SUCCESS${channel.note ? ` (${channel.note})` : ''}`,
        'green'
      );
    } catch (e) {
      deliveries[c.name] = { type: c.type ?? '', status: 'failed', attempts: 1, error: errorMessage(e) };
      out.line(`   → Sending to ${c.name} (${c.type})... ✗ FAILED: ${errorMessage(e)}`, 'red');
    }
  }
  await record(out, plan, flags, { eventId, data, message: message.text, deliveries });
  out.line();
  const ok = usable.length > 0 && sent === usable.length;
  out.line(`${ok ? '✓' : '✗'} Sent test alert to ${sent}/${plan.channels.length} channels`, ok ? 'green' : 'red');
  return ok ? 0 : 1;
}

/**
 * Records the test in `_dtk_alerts` (event type `test`, which never changes the metric's state and is never
 * retried). Not being able to open the store (e.g. a running `dtk serve` holds the embedded directory) is reported,
 * not fatal: the test itself already happened.
 */
export async function recordTest(
  out: Reporter,
  plan: TestAlertPlan,
  flags: TestAlertFlags,
  ev: { eventId: string; data: AlertData; message: string; deliveries: Record<string, ChannelDelivery> }
): Promise<void> {
  const root = findProjectRoot(path.resolve(flags.project ?? '.'));
  try {
    const selected = selectProfile(root, flags.profile);
    const store = await Store.open(selected.profile, { baseDir: root, profileName: selected.name });
    try {
      await store.alerts.write({
        metricName: plan.metric.name,
        eventId: ev.eventId,
        eventType: 'test',
        state: 'test',
        timestamp: ev.data.timestamp,
        value: ev.data.value,
        confidenceLower: ev.data.confidenceLower,
        confidenceUpper: ev.data.confidenceUpper,
        direction: ev.data.direction,
        severity: ev.data.severity,
        consecutiveCount: ev.data.consecutiveCount,
        detectorIds: [],
        message: ev.message,
        channels: ev.deliveries,
        details: { test: true },
      });
    } finally {
      await store.close();
    }
  } catch (e) {
    out.line(`   ⚠ The test was not recorded in _dtk_alerts: ${errorMessage(e)}`, 'yellow');
  }
}

/** detectkit's mock alert (reference §3.5), for the metric under test. */
export function mockAlert(metricName: string, timezone: string | null, now: number): AlertData {
  return {
    metricName,
    timestamp: now,
    timezone,
    value: 0.8532,
    confidenceLower: 0.4521,
    confidenceUpper: 0.6234,
    detectorName: 'MADDetector:threshold=3.0',
    detectorParams: '{"threshold": 3.0, "window_size": 8640}',
    direction: 'above',
    severity: 4.52,
    metadata: {
      global_median: 0.5123,
      adjusted_median: 0.5234,
      seasonality_groups: [
        { group: ['offset_10minutes', 'league_day'], median_multiplier: 1.023, mad_multiplier: 0.876, group_size: 23 },
      ],
    },
    consecutiveCount: 3,
    detectorIds: [],
  };
}
