import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { alertsResponseSchema, testAlertResponseSchema } from '../../../common/api/alerts';
import { AUTH, metricYaml, startTestApi, type TestApi } from './testSupport';

/** A webhook receiver on 127.0.0.1 that records bodies and answers the given status. */
async function sink(status: number) {
  const got: Array<{ text?: string }> = [];
  const server = http.createServer((req, res) => {
    let d = '';
    req.on('data', (c: Buffer) => (d += c.toString()));
    req.on('end', () => {
      got.push(JSON.parse(d) as { text?: string });
      res.statusCode = status;
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return { url, got, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('test alerts and alert history', () => {
  let api: TestApi;
  let ok: Awaited<ReturnType<typeof sink>>;
  let broken: Awaited<ReturnType<typeof sink>>;
  const post = (url: string) => api.request({ method: 'POST', url, headers: AUTH });
  const json = (r: { body: string }) => JSON.parse(r.body) as unknown;

  beforeAll(async () => {
    ok = await sink(200);
    broken = await sink(500);
    api = await startTestApi({
      files: {
        'profiles.yml': [
          'profiles:',
          '  local: {type: embedded}',
          'alert_channels:',
          `  team: {type: webhook, webhook_url: "${ok.url}"}`,
          `  flaky: {type: webhook, webhook_url: "${broken.url}", timeout: 5}`,
        ].join('\n'),
        'metrics/cpu.yml': metricYaml(
          'cpu',
          "alerting: {enabled: true, channels: [team, undefined_channel], template_consecutive: 'CPU {value}'}"
        ),
        'metrics/disk.yml': metricYaml('disk', 'alerting: {enabled: true, channels: [flaky]}'),
        'metrics/quiet.yml': metricYaml('quiet'),
      },
    });
  });
  afterAll(async () => {
    await api.close();
    await ok.close();
    await broken.close();
  });

  it('sends the test alert through each defined channel and records it', async () => {
    const r = await post('/api/metrics/cpu/test-alert');
    expect(r.statusCode).toBe(200);
    const body = testAlertResponseSchema.parse(json(r));
    expect(body).toMatchObject({ metric: 'cpu', ok: true, recorded: true });
    expect(body.channels).toEqual([
      { name: 'team', type: 'webhook', status: 'sent' },
      {
        name: 'undefined_channel',
        type: null,
        status: 'skipped',
        error: expect.stringContaining('not defined in profiles.yml'),
      },
    ]);
    expect(ok.got).toHaveLength(1);
    expect(ok.got[0]!.text).toContain('[TEST]');
    expect(ok.got[0]!.text).toContain('CPU 0.8532');
    expect(body.message).toBe(ok.got[0]!.text);

    const history = alertsResponseSchema.parse(
      json(await api.request({ method: 'GET', url: '/api/alerts?metric=cpu', headers: AUTH }))
    );
    expect(history.alerts).toHaveLength(1);
    expect(history.alerts[0]).toMatchObject({
      metric: 'cpu',
      eventId: body.eventId,
      type: 'test',
      state: 'test',
      channels: { team: { type: 'webhook', status: 'sent', attempts: 1 } },
    });
  });

  it('reports a failing channel in the answer, not as a server error', async () => {
    const r = await post('/api/metrics/disk/test-alert');
    expect(r.statusCode).toBe(200);
    const body = testAlertResponseSchema.parse(json(r));
    expect(body.ok).toBe(false);
    expect(body.channels).toEqual([
      { name: 'flaky', type: 'webhook', status: 'failed', error: expect.stringMatching(/500/) },
    ]);
    expect(broken.got).toHaveLength(1);
    const all = alertsResponseSchema.parse(
      json(await api.request({ method: 'GET', url: '/api/alerts?limit=10', headers: AUTH }))
    );
    expect(all.alerts.map((a) => a.metric).sort()).toEqual(['cpu', 'disk']);
    expect(all.alerts.find((a) => a.metric === 'disk')?.channels.flaky?.status).toBe('failed');
    expect(
      alertsResponseSchema.parse(json(await api.request({ method: 'GET', url: '/api/alerts?limit=1', headers: AUTH })))
        .alerts
    ).toHaveLength(1);
  });

  it('answers 422 when the metric does not alert and 404 for an unknown metric', async () => {
    const quiet = await post('/api/metrics/quiet/test-alert');
    expect(quiet.statusCode).toBe(422);
    expect(json(quiet)).toMatchObject({
      error: { code: 'config_invalid', message: expect.stringContaining("Alerting not enabled for metric 'quiet'") },
    });
    expect((await post('/api/metrics/nope/test-alert')).statusCode).toBe(404);
    expect((await api.request({ method: 'GET', url: '/api/alerts?limit=100000', headers: AUTH })).statusCode).toBe(400);
  });
});
