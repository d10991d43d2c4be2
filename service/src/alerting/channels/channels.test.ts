import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { alertChannelSchema, type AlertChannelConfig } from '../../../../common/config/profiles';
import type { AlertData } from '../types';
import { postableAlert } from './alertmanager';
import { smtpOptions } from './email';
import { createChannel, resolveChannels } from './index';
import { escapeTelegram } from './telegram';
import type { OutgoingAlert } from './types';

interface Received {
  method?: string;
  url?: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
}

/** A local receiver answering `status` (or per-request statuses in order). */
async function sink(statuses: number[] = [200]) {
  const got: Received[] = [];
  const server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (c: Buffer) => (data += c.toString()));
    req.on('end', () => {
      got.push({ method: req.method, url: req.url, headers: req.headers, body: data ? JSON.parse(data) : null });
      res.statusCode = statuses[Math.min(got.length - 1, statuses.length - 1)] ?? 200;
      res.end(res.statusCode >= 400 ? 'nope' : 'ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, got, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const data: AlertData = {
  metricName: 'cpu_usage',
  timestamp: Date.UTC(2024, 0, 1, 12),
  timezone: null,
  value: 95,
  confidenceLower: 70,
  confidenceUpper: 90,
  detectorName: 'MADDetector',
  detectorParams: '{}',
  direction: 'up',
  severity: 2.5,
  metadata: {},
  consecutiveCount: 3,
  detectorIds: ['m1'],
};
const alert = (over: Partial<OutgoingAlert> = {}): OutgoingAlert => ({
  eventId: 'ev1',
  kind: 'firing',
  data,
  message: 'CUSTOM: cpu_usage = 95.0',
  now: Date.UTC(2024, 0, 1, 12, 5),
  ...over,
});
const cfg = (v: Record<string, unknown>): AlertChannelConfig => alertChannelSchema.parse(v);

describe('slack-like channels (reference §5.5, §10.7)', () => {
  it('mattermost: detectkit payload with our default username, custom text', async () => {
    const s = await sink();
    try {
      await createChannel('mm', cfg({ type: 'mattermost', webhook_url: `${s.url}/hooks/secret` })).send(alert());
      expect(s.got[0]).toMatchObject({
        method: 'POST',
        url: '/hooks/secret',
        body: { text: 'CUSTOM: cpu_usage = 95.0', username: 'detectkit', icon_emoji: ':warning:' },
      });
    } finally {
      await s.close();
    }
  });

  it('webhook: channel, extra_headers; slack: icon_url', async () => {
    const s = await sink();
    try {
      await createChannel(
        'wh',
        cfg({ type: 'webhook', url: s.url, channel: '#ops', headers: { 'X-Token': 't' }, username: 'bot' })
      ).send(alert());
      await createChannel('sl', cfg({ type: 'slack', webhook_url: s.url, icon_url: 'http://i' })).send(alert());
      expect(s.got[0]?.body).toEqual({
        text: 'CUSTOM: cpu_usage = 95.0',
        username: 'bot',
        icon_emoji: ':warning:',
        channel: '#ops',
      });
      expect(s.got[0]?.headers['x-token']).toBe('t');
      expect(s.got[1]?.body).toMatchObject({ icon_url: 'http://i' });
    } finally {
      await s.close();
    }
  });

  it('4xx/5xx and unreachable endpoints: clear errors, no secret path in them', async () => {
    const s = await sink([404, 503]);
    try {
      const ch = createChannel('mm', cfg({ type: 'mattermost', webhook_url: `${s.url}/hooks/SECRET` }));
      await expect(ch.send(alert())).rejects.toMatchObject({ status: 404, retryable: false });
      const e = await ch.send(alert()).catch((x: Error) => x);
      expect((e as Error).message).toBe(`mattermost channel 'mm': ${s.url}/… answered HTTP 503: nope`);
      expect((e as Error).message).not.toContain('SECRET');
    } finally {
      await s.close();
    }
    const closed = await sink();
    await closed.close(); // a port nobody listens on any more
    const down = createChannel('mm', cfg({ type: 'mattermost', webhook_url: closed.url, timeout: 2 }));
    await expect(down.send(alert())).rejects.toThrow(/cannot reach http:\/\/127\.0\.0\.1:\d+\/… \(ECONNREFUSED\)/);
  });
});

describe('telegram', () => {
  it('sendMessage with Markdown-escaped text; the token stays out of errors', async () => {
    const s = await sink([200, 400]);
    try {
      const ch = createChannel('tg', cfg({ type: 'telegram', bot_token: '123:ABC', chat_id: 42, api_url: s.url }));
      await ch.send(alert({ message: 'metric cpu_usage *hot*' }));
      expect(s.got[0]).toMatchObject({
        url: '/bot123:ABC/sendMessage',
        body: {
          chat_id: '42',
          text: 'metric cpu\\_usage \\*hot\\*',
          parse_mode: 'Markdown',
          disable_notification: false,
        },
      });
      const e = (await ch.send(alert()).catch((x: Error) => x)) as Error;
      expect(e.message).not.toContain('ABC');
    } finally {
      await s.close();
    }
  });
  it('escaping per parse mode', () => {
    expect(escapeTelegram('a_b [x](y) 1.5!', 'MarkdownV2')).toBe('a\\_b \\[x\\]\\(y\\) 1\\.5\\!');
    expect(escapeTelegram('<b>&', 'HTML')).toBe('&lt;b&gt;&amp;');
  });
});

describe('email', () => {
  const base = { type: 'email', smtp_host: '127.0.0.1', smtp_port: 1, from_email: 'a@x', to_emails: ['b@x'] };
  it('use_tls true → STARTTLS required; false → implicit TLS; login only with both credentials', () => {
    const e = (v: Record<string, unknown>) => smtpOptions(cfg({ ...base, ...v }) as never);
    expect(e({})).toMatchObject({ secure: false, requireTLS: true });
    expect(e({ use_tls: false })).toMatchObject({ secure: true, requireTLS: false });
    expect(e({ smtp_user: 'u', smtp_password: 'p' }).auth).toEqual({ user: 'u', pass: 'p' });
    expect(e({ smtp_username: 'u' }).auth).toBeUndefined();
  });
  it('an unreachable SMTP server is a clear error', async () => {
    await expect(createChannel('mail', cfg({ ...base, timeout: 2 })).send(alert())).rejects.toThrow(
      /email channel 'mail': SMTP 127\.0\.0\.1:1 failed/
    );
  });
});

describe('alertmanager payload', () => {
  const am = cfg({ type: 'alertmanager', url: 'http://127.0.0.1:9093', labels: { team: 'ops' }, link: 'http://g/d' });
  it('labels, annotations, startsAt/endsAt', () => {
    const p = postableAlert(am as never, alert({ expiresAt: Date.UTC(2024, 0, 1, 13) }));
    expect(p).toMatchObject({
      labels: {
        team: 'ops',
        alertname: 'DetectkitAnomaly',
        metric: 'cpu_usage',
        detector: 'MADDetector',
        severity: 'warning',
        direction: 'up',
      },
      annotations: {
        value: '95.0',
        confidence_lower: '70.0',
        confidence_upper: '90.0',
        link: 'http://g/d',
        event_id: 'ev1',
      },
      startsAt: '2024-01-01T12:00:00.000Z',
      endsAt: '2024-01-01T13:00:00.000Z',
      generatorURL: 'http://g/d',
    });
  });
  it('a resolve repeats the firing labels and ends now', () => {
    const p = postableAlert(
      am as never,
      alert({
        kind: 'resolved',
        data: { ...data, direction: 'none', timestamp: Date.UTC(2024, 0, 1, 12, 30) },
        resolves: data,
        now: Date.UTC(2024, 0, 1, 12, 31),
      })
    );
    expect(p).toMatchObject({
      labels: { direction: 'up', detector: 'MADDetector' },
      endsAt: '2024-01-01T12:31:00.000Z',
    });
  });
});

describe('channel resolution', () => {
  it('unknown names are errors; the rest still resolve', () => {
    const defined = { ok: cfg({ type: 'slack', webhook_url: 'http://127.0.0.1/x' }) };
    const r = resolveChannels(['ok', 'nope'], defined);
    expect(r.channels.map((c) => c.name)).toEqual(['ok']);
    expect(r.errors).toEqual([
      { name: 'nope', error: "channel 'nope' is not defined in profiles.yml alert_channels (defined: ok)" },
    ]);
  });

  it('grafana resolves to a channel that pushes nothing and says why', async () => {
    const g = cfg({
      type: 'grafana',
      url: 'http://127.0.0.1:1',
      token: 'glsa_x',
      contact_point: 'oncall',
      datasource_uid: 'ch',
    });
    const r = resolveChannels(['g'], { g });
    expect(r.errors).toEqual([]);
    const [ch] = r.channels;
    expect(ch?.type).toBe('grafana');
    // Port 1 is closed: a send that tried to reach Grafana would fail.
    await expect(ch?.send({ eventId: 'e', kind: 'firing', data, message: 'm', now: 0 })).resolves.toBeUndefined();
    expect(ch?.note).toContain('_dtk_alerts');
  });
});
