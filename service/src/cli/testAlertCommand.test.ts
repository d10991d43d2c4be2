import fs from 'node:fs';
import { makeProject } from '../config/testProject';
import type { Reporter } from '../pipeline';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort } from '../../test/net';
import { checkTestAlert, runTestAlert } from './testAlertCommand';

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
    expect(plan.channels).toEqual([expect.objectContaining({ name: 'ops', type: 'slack' }), { name: 'nowhere' }]);
  });
});

describe('dtk test-alert sends', () => {
  let server: http.Server;
  let port = 0;
  const received: string[] = [];
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        received.push(body);
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => server.close());

  it('a clearly marked test through each channel, a result per channel; a dead channel fails the command', async () => {
    const dead = await freePort();
    const root = project({
      'metrics/a.yml': `name: cpu_usage\n${QUERY}alerting:\n  timezone: Europe/Moscow\n  channels: [ops, down, nowhere]\n`,
      'profiles.yml': `profiles:\n  dev:\n    type: embedded\nalert_channels:\n  ops:\n    type: webhook\n    webhook_url: http://127.0.0.1:${port}/hook\n  down:\n    type: mattermost\n    webhook_url: http://127.0.0.1:${dead}/hook\n    timeout: 2\n`,
    });
    const out = collect();
    const recorded: Array<{ eventId: string; deliveries: Record<string, { status: string; error?: string }> }> = [];
    const record = async (_o: unknown, _p: unknown, _f: unknown, ev: (typeof recorded)[number]) =>
      void recorded.push(ev);
    expect(await runTestAlert('cpu_usage', { project: root }, out, NOW, record)).toBe(1);
    // The outcome per channel goes to _dtk_alerts as a `test` event.
    expect(recorded).toHaveLength(1);
    expect(recorded[0]!.eventId).toMatch(/^test-/);
    expect(recorded[0]!.deliveries.ops).toMatchObject({ status: 'sent' });
    expect(recorded[0]!.deliveries.down).toMatchObject({ status: 'failed' });
    const text = out.text();
    expect(text).toContain('📨 Sending test alert for metric: cpu_usage');
    expect(text).toContain('   [TEST] This is a test alert sent by `dtk test-alert`; no anomaly occurred.');
    expect(text).toContain('   Time: 2024-03-15 17:30:00 (Europe/Moscow)');
    expect(text).toContain('   → Sending to ops (webhook)... ✓ SUCCESS');
    expect(text).toMatch(/→ Sending to down \(mattermost\)\.\.\. ✗ FAILED: /);
    expect(text).toContain("⚠️  Channel 'nowhere' not found in profiles.yml - skipping");
    expect(text).toContain('✗ Sent test alert to 1/3 channels');
    expect(received).toHaveLength(1);
    expect(JSON.parse(received[0]!).text).toContain('[TEST]');
  });

  it('exit 0 when every channel accepted it; template_consecutive is used', async () => {
    const root = project({
      'metrics/a.yml': `name: a\n${QUERY}alerting:\n  channels: [ops]\n  template_consecutive: '{metric_name}: {value} x{consecutive_count} ({severity:.1f}) {{ok}}'\n`,
      'profiles.yml': `profiles:\n  dev:\n    type: embedded\nalert_channels:\n  ops:\n    type: slack\n    webhook_url: http://127.0.0.1:${port}/slack\n`,
    });
    const out = collect();
    expect(await runTestAlert('a', { project: root }, out, NOW, async () => undefined)).toBe(0);
    expect(out.text()).toContain('   a: 0.8532 x3 (4.5) {ok}');
    expect(out.text()).toContain('✓ Sent test alert to 1/1 channels');
  });
});
