import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { alertsResponseSchema } from '../../../common/api/alerts';
import { previewResponseSchema } from '../../../common/api/preview';
import { runListResponseSchema } from '../../../common/api/runList';
import { seriesResponseSchema } from '../../../common/api/series';
import { openTestStore } from '../../test/embedded';
import { sleep } from '../../test/net';
import { writeProject } from '../../test/project';
import { MetricCatalog } from '../catalog';
import { loadProject } from '../config';
import { silentLogger } from '../logging/logger';
import { Scheduler } from '../scheduler';
import { buildServer, ServiceMetrics } from '../server';
import { AUTH, request, TEST_TOKEN } from '../server/testSupport';
import type { Store } from '../storage';

/**
 * The Grafana app's path through `dtk serve`, with the real scheduler: create a metric → preview → save → a
 * scheduled run happens → series with bands → alert history (and the webhook got the alert).
 */
test('create, preview, save, scheduled run, bands, alert history', async () => {
  const { store, close } = await openTestStore('flow');
  const received: unknown[] = [];
  const hook = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      received.push(JSON.parse(body));
      res.end('ok');
    });
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  const hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
  const root = writeProject({
    'profiles.yml': `default_profile: local
profiles:
  local: {type: embedded, path: .dtk/data}
alert_channels:
  ops: {type: webhook, webhook_url: "${hookUrl}"}
`,
  });
  let app: FastifyInstance | undefined;
  let scheduler: Scheduler | undefined;
  let catalog: MetricCatalog | undefined;
  try {
    catalog = await MetricCatalog.open({ root, store: store as Store, logger: silentLogger });
    const metrics = new ServiceMetrics();
    scheduler = new Scheduler({
      store,
      catalog,
      root,
      logger: silentLogger,
      alertChannels: loadProject(root, { partial: true }).profiles?.alert_channels,
      timing: { delayMs: 0, jitterMs: 0 },
      hooks: { runFinished: (i) => metrics.runFinished(i) },
    });
    app = buildServer({
      store,
      catalog,
      runs: scheduler,
      logger: silentLogger,
      token: TEST_TOKEN,
      version: 'test',
      metrics,
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    scheduler.startSchedule();

    // One point per second, quiet, then a jump for the last 4 seconds before now: the newest points are anomalies.
    const start = Math.floor(Date.now() / 1000) * 1000 - 120_000;
    const definition = {
      name: 'checkout_latency',
      interval: '1s',
      loading_start_time: new Date(start).toISOString().slice(0, 19).replace('T', ' '),
      query:
        "SELECT ts AS timestamp, if(ts >= now() - 4, 500.0, 100.0 + toUnixTimestamp(ts) % 3) AS value FROM (SELECT toDateTime('{{ dtk_start_time }}', 'UTC') + number AS ts FROM numbers(dateDiff('second', toDateTime('{{ dtk_start_time }}', 'UTC'), toDateTime('{{ dtk_end_time }}', 'UTC'))))",
      detectors: [{ type: 'mad', params: { window_size: 30, min_samples: 10, threshold: 3.0 } }],
      alerting: { enabled: true, channels: ['ops'], consecutive_anomalies: 1, direction: 'up' },
    };

    const preview = await request(base, {
      method: 'POST',
      url: '/api/preview',
      headers: AUTH,
      payload: { definition, from: start, to: Date.now() },
    });
    expect(preview.statusCode).toBe(200);
    const p = previewResponseSchema.parse(JSON.parse(preview.body));
    expect(p.series[0]!.detectors[0]!.upper.some((u) => u !== null)).toBe(true);
    expect(await store.readSeries('checkout_latency')).toMatchObject({ timestamps: new Float64Array(0) }); // nothing stored

    const created = await request(base, {
      method: 'POST',
      url: '/api/metrics',
      headers: AUTH,
      payload: { definition },
    });
    expect(created.statusCode).toBe(201);

    // The scheduler picks the new metric up from the catalog and runs it on its own.
    let runs = runListResponseSchema.parse({ runs: [] }).runs;
    for (let i = 0; i < 100 && !runs.some((r) => r.kind === 'scheduled' && r.status === 'success'); i++) {
      await sleep(100);
      const r = await request(base, { method: 'GET', url: '/api/runs?metric=checkout_latency', headers: AUTH });
      runs = runListResponseSchema.parse(JSON.parse(r.body)).runs;
    }
    const ok = runs.find((r) => r.kind === 'scheduled' && r.status === 'success');
    expect(ok).toBeDefined();
    expect(ok!.datapointsLoaded).toBeGreaterThanOrEqual(100);

    const series = await request(base, {
      method: 'GET',
      url: `/api/metrics/checkout_latency/series?from=${start}&to=${Date.now() + 1000}`,
      headers: AUTH,
    });
    expect(series.statusCode).toBe(200);
    const s = seriesResponseSchema.parse(JSON.parse(series.body));
    expect(s.values.length).toBeGreaterThanOrEqual(100);
    const band = s.detectors[0]!;
    expect(band.lower.filter((x) => x !== null).length).toBeGreaterThan(50);
    expect(band.anomaly.slice(-3).some(Boolean)).toBe(true);

    let alerts = alertsResponseSchema.parse({ alerts: [] }).alerts;
    for (let i = 0; i < 50 && alerts.length === 0; i++) {
      const a = await request(base, { method: 'GET', url: '/api/alerts?metric=checkout_latency', headers: AUTH });
      expect(a.statusCode).toBe(200);
      alerts = alertsResponseSchema.parse(JSON.parse(a.body)).alerts;
      await sleep(100);
    }
    expect(alerts[0]).toMatchObject({ metric: 'checkout_latency', type: 'firing', state: 'firing' });
    expect(alerts[0]!.channels.ops).toMatchObject({ status: 'sent' });
    expect(received.length).toBeGreaterThanOrEqual(1);
  } finally {
    await app?.close();
    await scheduler?.stop(0);
    await catalog?.close();
    hook.close();
    await close();
  }
}, 60_000);
