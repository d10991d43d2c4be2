import fs from 'node:fs';
import { makeProject } from '../config/testProject';
import type { Reporter } from '../pipeline';
import { checkTestAlert, mockAlert, previewMessage, runTestAlert } from './testAlertCommand';

const NOW = Date.UTC(2024, 2, 15, 14, 30, 0);
const QUERY = 'interval: 10min\nquery: SELECT 1\n';
const PROFILES = `profiles:
  dev:
    type: embedded
alert_channels:
  ops:
    type: slack
    webhook_url: https://hooks.example.com/x
`;

const roots: string[] = [];
function project(files: Record<string, string>): string {
  const root = makeProject(files);
  roots.push(root);
  return root;
}
afterAll(() => roots.forEach((r) => fs.rmSync(r, { recursive: true, force: true })));

function collect(): Reporter & { text: () => string } {
  const lines: string[] = [];
  return { line: (t = '') => void lines.push(t), progress: () => undefined, text: () => lines.join('\n') };
}

const error = (fn: () => unknown): { code?: string; message: string } => {
  try {
    fn();
  } catch (e) {
    return e as { code?: string; message: string };
  }
  throw new Error('expected an error');
};

describe('dtk test-alert checks', () => {
  it('an unknown metric: not found, where it looked, similar names', () => {
    const root = project({ 'metrics/cpu.yml': `name: cpu_usage\n${QUERY}` });
    const e = error(() => checkTestAlert('cpu_usag', { project: root }));
    expect(e.code).toBe('not_found');
    expect(e.message).toBe(`Metric 'cpu_usag' not found\nSearched in: ${root}/metrics\nDid you mean: cpu_usage?`);
  });

  it('a metric whose file has errors: the errors, not "not found"', () => {
    const root = project({ 'metrics/cpu.yml': `name: cpu_usage\ninterval: 10min\n` });
    const e = error(() => checkTestAlert('cpu_usage', { project: root }));
    expect(e.code).toBe('config_invalid');
    expect(e.message).toContain("Metric 'cpu_usage' has configuration errors (metrics/cpu.yml):");
    expect(e.message).toContain("Either 'query' or 'query_file' must be specified");
  });

  it('alerting absent or disabled', () => {
    const root = project({
      'metrics/a.yml': `name: a\n${QUERY}`,
      'metrics/b.yml': `name: b\n${QUERY}alerting:\n  enabled: false\n  channels: [ops]\n`,
      'profiles.yml': PROFILES,
    });
    for (const m of ['a', 'b']) {
      expect(error(() => checkTestAlert(m, { project: root })).message).toBe(
        `Alerting not enabled for metric '${m}'\nAdd 'alerting: {enabled: true, channels: [...]}' to metrics/${m}.yml`
      );
    }
  });

  it('no channels configured', () => {
    const root = project({
      'metrics/a.yml': `name: a\n${QUERY}alerting:\n  enabled: true\n`,
      'profiles.yml': PROFILES,
    });
    expect(error(() => checkTestAlert('a', { project: root })).message).toMatch(
      /^No alert channels configured for metric 'a'\n/
    );
  });

  it('profiles.yml missing', () => {
    const root = project({ 'metrics/a.yml': `name: a\n${QUERY}alerting:\n  channels: [ops]\n` });
    expect(error(() => checkTestAlert('a', { project: root })).message).toMatch(
      /^profiles\.yml not found\nExpected at: /
    );
  });

  it('a channel with an unset variable: the configuration error with its position', () => {
    const root = project({
      'metrics/a.yml': `name: a\n${QUERY}alerting:\n  channels: [ops]\n`,
      'profiles.yml': PROFILES.replace('https://hooks.example.com/x', '${OPS_HOOK}'),
    });
    expect(error(() => checkTestAlert('a', { project: root, env: {} })).message).toContain(
      'alert_channels.ops.webhook_url: environment variable OPS_HOOK is not set'
    );
  });

  it('plans the defined channels and marks the missing ones; timezone defaults to UTC', () => {
    const root = project({
      'metrics/a.yml': `name: a\n${QUERY}alerting:\n  channels: [ops, nowhere]\n`,
      'profiles.yml': PROFILES,
    });
    const plan = checkTestAlert('a', { project: root });
    expect(plan.timezone).toBe('UTC');
    expect(plan.channels).toEqual([{ name: 'ops', type: 'slack' }, { name: 'nowhere' }]);
  });
});

describe('dtk test-alert output', () => {
  it('prints the checks and the mock message, then says nothing was sent (exit 1)', () => {
    const root = project({
      'metrics/a.yml': `name: cpu_usage\n${QUERY}alerting:\n  timezone: Europe/Moscow\n  channels: [ops, nowhere]\n`,
      'profiles.yml': PROFILES,
    });
    const out = collect();
    expect(runTestAlert('cpu_usage', { project: root }, out, NOW)).toBe(1);
    expect(out.text().split('\n')).toEqual([
      '',
      '📨 Test alert for metric: cpu_usage',
      '   Timezone: Europe/Moscow',
      '   Channels: ops, nowhere',
      '',
      '   ✓ ops (slack): configured',
      "⚠️  Channel 'nowhere' not found in profiles.yml - skipping",
      '',
      'Message (mock data):',
      '   Anomaly detected in metric: cpu_usage',
      '   Time: 2024-03-15 14:30:00 (Europe/Moscow)',
      '   Value: 0.8532',
      '   Confidence interval: [0.45, 0.62]',
      '   Detector: MADDetector:threshold=3.0',
      '   Parameters: {"threshold": 3.0, "window_size": 8640}',
      '   Direction: above',
      '   Severity: 4.52',
      '',
      '✗ Not sent: sending alerts is not available in this version of dtk (alert channels come in a later version); 1/2 channel(s) passed the checks',
    ]);
  });

  it('uses template_consecutive when set', () => {
    const root = project({
      'metrics/a.yml': `name: a\n${QUERY}alerting:\n  channels: [ops]\n  template_consecutive: '{metric_name}: {value} x{consecutive_count} ({severity:.1f}) {{ok}}'\n`,
      'profiles.yml': PROFILES,
    });
    const out = collect();
    runTestAlert('a', { project: root }, out, NOW);
    expect(out.text()).toContain('   a: 0.8532 x3 (4.5) {ok}');
  });

  it('falls back to the default template on an unknown field, as detectkit does', () => {
    const fields = mockAlert('m', 'UTC', NOW);
    expect(previewMessage(fields, 'ALERT {nope}')).toBe(previewMessage(fields));
    expect(previewMessage(fields)).toContain('Time: 2024-03-15 14:30:00 (UTC)');
  });
});
