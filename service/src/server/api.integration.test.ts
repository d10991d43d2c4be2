import { detectionsResponseSchema } from '../../../common/api/detections';
import { apiErrorSchema } from '../../../common/api/health';
import { metricDetailSchema, metricListResponseSchema, REDACTED } from '../../../common/api/metrics';
import { runInfoSchema, type RunInfo } from '../../../common/api/runs';
import { seriesResponseSchema, type SeriesResponse } from '../../../common/api/series';
import { finiteScore } from '../../../common/detectors/score';
import { AUTH, metricYaml, startTestApi, type TestApi } from './testSupport';

const DAY = 86_400_000;
const D1 = Date.UTC(2025, 0, 1);
const D2 = D1 + DAY;
const D3 = D2 + DAY;

const dailyMetric = [
  'name: daily',
  'interval: 1d',
  'loading_start_time: "2025-01-01 00:00:00"',
  "query: SELECT toDateTime('{{ dtk_start_time }}', 'UTC') + number * 86400 AS timestamp, number % 5 AS value FROM numbers(intDiv(dateDiff('second', toDateTime('{{ dtk_start_time }}', 'UTC'), toDateTime('{{ dtk_end_time }}', 'UTC')), 86400))",
  'detectors:',
  '  - {type: mad, params: {window_size: 10, min_samples: 5}}',
].join('\n');

const uiDefinition = (extra: Record<string, unknown> = {}) => ({
  name: 'ui_metric',
  interval: '1h',
  query: "SELECT toDateTime('{{ dtk_start_time }}', 'UTC') AS timestamp, 1 AS value",
  tags: ['team-a'],
  detectors: [{ type: 'iqr', params: { threshold: 2.0 } }],
  ...extra,
});

describe('HTTP API', () => {
  let api: TestApi;
  const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown, headers = {}) =>
    api.request({ method, url, headers: { ...AUTH, ...headers }, payload });
  const json = <T = Record<string, unknown>>(r: { body: string }) => JSON.parse(r.body) as T;
  const backfill = async (from: number, to: number, extra: Record<string, unknown> = {}) => {
    const r = await call('POST', '/api/metrics/cpu/runs', { from, to, ...extra });
    expect(r.statusCode).toBe(202);
    await api.runs.idle();
    return runInfoSchema.parse(json(r));
  };

  beforeAll(async () => {
    api = await startTestApi({ files: { 'metrics/cpu.yml': metricYaml('cpu'), 'metrics/daily.yml': dailyMetric } });
    await backfill(D1, D2);
  });
  afterAll(async () => {
    await api.close();
  });

  describe('health', () => {
    it('answers health and readiness without a token', async () => {
      const h = await api.request({ method: 'GET', url: '/api/health' });
      expect(h.statusCode).toBe(200);
      expect(json(h)).toEqual({ status: 'ok', version: '0.0.0-test', storage: { kind: 'embedded', ok: true } });
      const r = await api.request({ method: 'GET', url: '/api/ready' });
      expect(r.statusCode).toBe(200);
      expect(json(r)).toEqual({
        ready: true,
        storage: { kind: 'embedded', ok: true },
        catalog: { metrics: 2, invalid: 0 },
      });
    });
  });

  describe('metrics', () => {
    it('lists every metric with its detectors, status and last stored point', async () => {
      const r = await call('GET', '/api/metrics');
      expect(r.statusCode).toBe(200);
      const { metrics } = metricListResponseSchema.parse(json(r));
      expect(metrics.map((m) => m.name)).toEqual(['cpu', 'daily']);
      const cpu = metrics[0]!;
      expect(cpu).toMatchObject({
        origin: 'file',
        relPath: 'metrics/cpu.yml',
        valid: true,
        intervalSeconds: 60,
        sourceType: 'clickhouse',
        enabled: true,
        lastPoint: D2 - 60_000,
        alertState: null,
      });
      expect(cpu.detectors.map((d) => [d.type, d.name])).toEqual([
        ['mad', 'MADDetector:window_size=60'],
        ['zscore', 'ZScoreDetector:threshold=4,window_size=120'],
        ['manual_bounds', 'ManualBoundsDetector:upper_bound=150'],
      ]);
      expect(cpu.status?.lastRun).toMatchObject({
        metric: 'cpu',
        kind: 'backfill',
        status: 'success',
        datapointsLoaded: 1440,
      });
    });

    it('shows one metric with its definition as written', async () => {
      const r = await call('GET', '/api/metrics/cpu');
      expect(r.statusCode).toBe(200);
      const d = metricDetailSchema.parse(json(r));
      expect(d.definition).toMatchObject({ name: 'cpu', interval: '1min', detectors: expect.any(Array) });
      expect(d.issues).toEqual([]);
      expect(d.series).toEqual([]);
      expect(d.updatedBy).toBeNull();
    });

    it('answers 404 in the error shape for an unknown metric', async () => {
      const r = await call('GET', '/api/metrics/nope');
      expect(r.statusCode).toBe(404);
      expect(apiErrorSchema.parse(json(r)).error).toEqual({ code: 'not_found', message: "Metric 'nope' not found" });
    });

    it('creates, reads, updates and deletes a UI metric; secrets are redacted and kept', async () => {
      const def = uiDefinition({
        query: undefined,
        source: { type: 'prometheus', url: 'http://127.0.0.1:9', query: 'up', bearer_token: 'literal-secret' },
      });
      const created = await call(
        'POST',
        '/api/metrics',
        { definition: def, comment: 'new' },
        { 'x-grafana-user': 'alice' }
      );
      expect(created.statusCode).toBe(201);
      const c = metricDetailSchema.parse(json(created));
      expect(c).toMatchObject({
        name: 'ui_metric',
        origin: 'ui',
        relPath: 'ui:ui_metric',
        version: 1,
        updatedBy: 'alice',
      });
      expect(c.definition).toMatchObject({ source: { bearer_token: REDACTED } });
      expect(created.body).not.toContain('literal-secret');

      const list = metricListResponseSchema.parse(json(await call('GET', '/api/metrics')));
      expect(list.metrics.find((m) => m.name === 'ui_metric')).toMatchObject({
        tags: ['team-a'],
        sourceType: 'prometheus',
      });

      // The editor sends the redacted definition back with one change: the secret stays.
      const edited = { ...c.definition!, interval: '2h' };
      const updated = await call('PUT', '/api/metrics/ui_metric', { definition: edited, expectedVersion: 1 });
      expect(updated.statusCode).toBe(200);
      expect(json(updated)).toMatchObject({ version: 2, intervalSeconds: 7200, updatedBy: 'api' });
      expect(api.catalog.get('ui_metric')?.loaded?.config.source).toMatchObject({ bearer_token: 'literal-secret' });

      const stale = await call('PUT', '/api/metrics/ui_metric', { definition: edited, expectedVersion: 1 });
      expect(stale.statusCode).toBe(409);
      expect(json(stale)).toMatchObject({ error: { code: 'conflict', details: { version: 2, expectedVersion: 1 } } });

      const staleDelete = await call('DELETE', '/api/metrics/ui_metric?expectedVersion=1');
      expect(staleDelete.statusCode).toBe(409);
      const deleted = await call('DELETE', '/api/metrics/ui_metric?expectedVersion=2');
      expect(deleted.statusCode).toBe(200);
      expect(json(deleted)).toEqual({ name: 'ui_metric', deleted: true, version: 3 });
      expect((await call('GET', '/api/metrics/ui_metric')).statusCode).toBe(404);
      expect((await call('DELETE', '/api/metrics/ui_metric')).statusCode).toBe(404);
    });

    it('refuses writes to provisioned metrics with 409 naming the file', async () => {
      for (const r of [
        await call('POST', '/api/metrics', { definition: uiDefinition({ name: 'cpu' }) }),
        await call('PUT', '/api/metrics/cpu', { definition: uiDefinition({ name: 'cpu' }) }),
        await call('DELETE', '/api/metrics/cpu'),
      ]) {
        expect(r.statusCode).toBe(409);
        expect(json(r)).toMatchObject({
          error: { code: 'conflict', message: expect.stringContaining('provisioned from metrics/cpu.yml') },
        });
      }
    });

    it('answers 422 with every issue for an invalid definition, 400 for a malformed request', async () => {
      const bad = await call('POST', '/api/metrics', {
        definition: uiDefinition({ interval: 'soon', detectors: [{ type: 'nope' }] }),
      });
      expect(bad.statusCode).toBe(422);
      const issues = (json(bad) as { error: { details: { issues: Array<{ path: string }> } } }).error.details.issues;
      expect(issues.map((i) => i.path).sort()).toEqual(['detectors[0].type', 'interval']);
      const malformed = await call('POST', '/api/metrics', { definition: 'name: x' });
      expect(malformed.statusCode).toBe(400);
      expect(json(malformed)).toMatchObject({
        error: { code: 'invalid_request', details: { issues: [{ in: 'body', path: 'definition' }] } },
      });
      const rename = await call('PUT', '/api/metrics/x', { definition: uiDefinition({ name: 'y' }) });
      expect(rename.statusCode).toBe(404);
    });
  });

  describe('runs', () => {
    it('starts a run, reports its progress and lists runs newest first', async () => {
      const started = await call('POST', '/api/metrics/daily/runs');
      expect(started.statusCode).toBe(202);
      const run = runInfoSchema.parse(json(started));
      expect(run).toMatchObject({ metric: 'daily', kind: 'manual' });
      const again = await call('POST', '/api/metrics/daily/runs', {});
      expect(again.statusCode).toBe(409);
      await api.runs.idle();
      const got = runInfoSchema.parse(json(await call('GET', `/api/runs/${run.id}`)));
      expect(got).toMatchObject({ id: run.id, status: 'success' });
      expect(got.datapointsLoaded).toBeGreaterThan(300);
      const list = json<{ runs: RunInfo[] }>(await call('GET', '/api/runs?metric=daily&limit=5'));
      expect(list.runs[0]!.id).toBe(run.id);
      expect(list.runs.every((r) => r.metric === 'daily')).toBe(true);
      expect(json<{ runs: RunInfo[] }>(await call('GET', '/api/runs?limit=1')).runs).toHaveLength(1);
    });

    it('refuses unknown metrics, unknown runs and invalid requests', async () => {
      expect((await call('POST', '/api/metrics/nope/runs', {})).statusCode).toBe(404);
      expect((await call('GET', '/api/runs/nope')).statusCode).toBe(404);
      const inverted = await call('POST', '/api/metrics/cpu/runs', { from: D2, to: D1 });
      expect(inverted.statusCode).toBe(400);
      expect(json(inverted)).toMatchObject({
        error: { message: 'invalid request: body.from: from must be before to' },
      });
      expect((await call('POST', '/api/metrics/cpu/runs', { steps: ['cook'] })).statusCode).toBe(400);
      expect((await call('POST', '/api/metrics/cpu/runs', { from: D1, to: D2, extra: 1 })).statusCode).toBe(400);
      expect((await call('GET', '/api/runs?limit=0')).statusCode).toBe(400);
    });
  });

  describe('series', () => {
    const series = async (name: string, from: number, to: number) => {
      const r = await call('GET', `/api/metrics/${encodeURIComponent(name)}/series?from=${from}&to=${to}`);
      expect(r.statusCode).toBe(200);
      return seriesResponseSchema.parse(json(r));
    };

    /** The same data read through Store's own methods, aligned the way the API promises. */
    async function expected(from: number, to: number): Promise<SeriesResponse> {
      const s = await api.store.readSeries('cpu', { from, to });
      const dets = await api.store.readDetections('cpu', { from, to });
      const detectors = api.catalog.get('cpu')!.loaded!.detectors.map((d) => {
        const byTime = new Map(
          dets.filter((x) => x.detectorId === d.detector.identity.id).map((x) => [x.timestamp, x])
        );
        const at = (t: number) => byTime.get(t);
        return {
          detectorId: d.detector.identity.id,
          detectorName: expect.any(String) as unknown as string,
          lower: Array.from(s.timestamps, (t) => at(t)?.lower ?? null),
          upper: Array.from(s.timestamps, (t) => at(t)?.upper ?? null),
          anomaly: Array.from(s.timestamps, (t) => at(t)?.isAnomaly ?? false),
          score: Array.from(s.timestamps, (t) => {
            const x = at(t);
            return x ? finiteScore(x.processedValue, x.lower, x.upper) : null;
          }),
        };
      });
      return {
        metric: 'cpu',
        timestamps: Array.from(s.timestamps),
        values: Array.from(s.values, (v) => (Number.isNaN(v) ? null : v)),
        detectors,
      };
    }

    it('returns values with every detector band, equal to what the store holds', async () => {
      const got = await series('cpu', D1, D2);
      expect(got.timestamps).toHaveLength(1440);
      expect(got).toEqual(await expected(D1, D2));
      expect(got.detectors.map((d) => d.detectorName)).toEqual([
        'MADDetector:window_size=60',
        'ZScoreDetector:threshold=4,window_size=120',
        'ManualBoundsDetector:upper_bound=150',
      ]);
      expect(got.detectors[2]!.lower.every((x) => x === null)).toBe(true);
      expect(got.detectors.some((d) => d.anomaly.some(Boolean))).toBe(true);
      // The score: > 1 exactly where a two-sided band flags a point; none for the one-sided manual bound.
      for (const d of got.detectors.slice(0, 2)) {
        d.anomaly.forEach((a, i) => {
          if (d.score[i] !== null) {
            expect(d.score[i]! > 1).toBe(a);
          }
        });
        expect(d.score.filter((x) => x !== null).length).toBeGreaterThan(1000);
      }
      expect(got.detectors[2]!.score.every((x) => x === null)).toBe(true);
    });

    it('serves any range inside a cached read, and new runs become visible', async () => {
      const inner = await series('cpu', D1 + 3_600_000, D1 + 7_200_000 + 1);
      expect(inner).toEqual(await expected(D1 + 3_600_000, D1 + 7_200_000 + 1));
      expect(inner.timestamps).toHaveLength(61);
      expect((await series('cpu', D1, D3)).timestamps).toHaveLength(1440);
      await backfill(D2, D3);
      const after = await series('cpu', D1, D3);
      expect(after.timestamps).toHaveLength(2880);
      expect(after).toEqual(await expected(D1, D3));
    });

    it('serves one series of a fan-out metric by its URL-encoded name', async () => {
      await call('POST', '/api/metrics', {
        definition: {
          name: 'prom',
          interval: '1min',
          source: { type: 'prometheus', url: 'http://127.0.0.1:9', query: 'up' },
        },
      });
      const name = 'prom{instance="a:9100",job="node"}';
      await api.store.writeDatapoints({
        metricName: name,
        intervalSeconds: 60,
        timestamps: [D1, D1 + 60_000],
        values: [1, NaN],
      });
      const got = await series(name, D1, D2);
      expect(got).toEqual({ metric: name, timestamps: [D1, D1 + 60_000], values: [1, null], detectors: [] });
      const detail = metricDetailSchema.parse(json(await call('GET', '/api/metrics/prom')));
      expect(detail.series).toEqual([name]);
      expect(
        (await call('GET', `/api/metrics/${encodeURIComponent('cpu{x="1"}')}/series?from=${D1}&to=${D2}`)).statusCode
      ).toBe(404);
    });

    it.each([
      ['inverted', `from=${D2}&to=${D1}`, 'invalid_request'],
      ['empty', `from=${D1}&to=${D1}`, 'invalid_request'],
      ['missing to', `from=${D1}`, 'invalid_request'],
      ['not a number', `from=yesterday&to=${D2}`, 'invalid_request'],
      ['seconds with a fraction', `from=1.5&to=${D2}`, 'invalid_request'],
      ['repeated', `from=${D1}&from=${D1}&to=${D2}`, 'invalid_request'],
      ['too many points', `from=0&to=${D2}`, 'range_too_large'],
    ])('refuses a range that is %s with 400', async (_, q, code) => {
      const r = await call('GET', `/api/metrics/cpu/series?${q}`);
      expect(r.statusCode).toBe(400);
      expect(json(r)).toMatchObject({ error: { code } });
    });
  });

  describe('detections', () => {
    it('lists anomalies newest first, bounded by limit', async () => {
      const all = (await api.store.readDetections('cpu', { from: D1, to: D2 })).filter((d) => d.isAnomaly);
      expect(all.length).toBeGreaterThan(3);
      const r = await call('GET', `/api/metrics/cpu/detections?from=${D1}&to=${D2}&limit=3`);
      expect(r.statusCode).toBe(200);
      const body = detectionsResponseSchema.parse(json(r));
      expect(body.truncated).toBe(true);
      expect(body.detections).toHaveLength(3);
      const newest = Math.max(...all.map((d) => d.timestamp));
      expect(body.detections[0]!.timestamp).toBe(newest);
      expect(body.detections.every((d) => d.isAnomaly)).toBe(true);
      expect(Object.keys(body.detections[0]!.metadata).length).toBeGreaterThan(0);
      for (const d of body.detections) {
        // A two-sided band's anomaly scores > 1; the one-sided manual bound has none.
        expect(d.score === null ? d.detectorName.startsWith('ManualBounds') : d.score > 1).toBe(true);
      }

      const one = all[0]!.detectorId;
      const only = json<{ truncated: boolean; detections: Array<{ detectorId: string }> }>(
        await call('GET', `/api/metrics/cpu/detections?from=${D1}&to=${D2}&detector=${one}&limit=10000`)
      );
      expect(only.truncated).toBe(false);
      expect(only.detections).toHaveLength(all.filter((d) => d.detectorId === one).length);
      const every = json<{ detections: unknown[] }>(
        await call('GET', `/api/metrics/cpu/detections?from=${D1}&to=${D1 + 600_000}&anomalies=false`)
      );
      expect(every.detections).toHaveLength(30); // 10 minutes × 3 detectors
    });

    it('refuses a malformed detector id and an unknown metric', async () => {
      expect((await call('GET', '/api/metrics/cpu/detections?detector=abc')).statusCode).toBe(400);
      expect((await call('GET', '/api/metrics/nope/detections')).statusCode).toBe(404);
    });
  });

  describe('detectors', () => {
    it('describes each detector type with a JSON Schema of its parameters', async () => {
      const r = await call('GET', '/api/detectors');
      expect(r.statusCode).toBe(200);
      const { detectors } = json<{
        detectors: Array<{
          type: string;
          aliases: string[];
          params: { properties: Record<string, { default?: unknown }> };
        }>;
      }>(r);
      expect(detectors.map((d) => d.type)).toEqual([
        'mad',
        'zscore',
        'iqr',
        'manual_bounds',
        'robust',
        'mstl',
        'ets',
        'prophet',
        'custom',
      ]);
      const mad = detectors[0]!;
      expect(mad.params.properties.threshold?.default).toBe(3);
      expect(mad.params.properties.window_size?.default).toBe(100);
      expect(detectors[3]!.aliases).toEqual(['manual']);
      expect(Object.keys(detectors[3]!.params.properties)).toEqual(
        expect.arrayContaining(['lower_bound', 'upper_bound'])
      );
    });
  });

  describe('service metrics', () => {
    it('exposes Prometheus text behind the token by default', async () => {
      expect((await api.request({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
      const r = await call('GET', '/metrics');
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toMatch(/^text\/plain/);
      expect(r.body).toMatch(/^dtk_runs_total\{kind="backfill",status="success"\} [1-9]/m);
      expect(r.body).toMatch(/^dtk_catalog_metrics\{origin="file",valid="true"\} 2$/m);
      expect(r.body).toMatch(/^dtk_run_queue_depth 0$/m);
      expect(r.body).toMatch(
        /^dtk_http_request_duration_seconds_count\{method="GET",route="\/api\/metrics\/:name\/series",status="200"\} [1-9]/m
      );
      expect(r.body).toMatch(/^dtk_datapoints_loaded_total [1-9]/m);
    });
  });

  describe('HTTP errors', () => {
    it('answers unknown routes and methods with 404 in the error shape', async () => {
      for (const r of [
        await call('GET', '/api/nothing'),
        await call('DELETE', '/api/detectors'),
        await call('GET', '/'),
      ]) {
        expect(r.statusCode).toBe(404);
        expect(apiErrorSchema.parse(json(r)).error.code).toBe('not_found');
      }
    });

    it('refuses malformed JSON, unsupported types, prototype keys and oversized bodies with 4xx', async () => {
      const raw = (payload: string, type = 'application/json') =>
        api.request({ method: 'POST', url: '/api/metrics', headers: { ...AUTH, 'content-type': type }, payload });
      const cases: Array<[number, string, Awaited<ReturnType<typeof raw>>]> = [
        [400, 'invalid_json', await raw('{"definition": ')],
        [400, 'invalid_json', await raw('{"definition": {"__proto__": {"admin": true}}}')],
        [400, 'invalid_json', await raw('{"definition": {"constructor": {"prototype": {"admin": true}}}}')],
        [415, 'unsupported_media_type', await raw('name: x', 'text/yaml')],
        [413, 'payload_too_large', await raw(JSON.stringify({ definition: { name: 'x'.repeat(2 * 1024 * 1024) } }))],
        [400, 'bad_request', await raw('')],
      ];
      for (const [status, code, r] of cases) {
        expect([r.statusCode, json(r)]).toEqual([status, { error: { code, message: expect.any(String) } }]);
      }
      expect(({} as Record<string, unknown>).admin).toBeUndefined();
    });
  });
});

describe('when storage is down', () => {
  it('reports not ready (503) and degraded health, and keeps serving the metric list', async () => {
    const api = await startTestApi();
    try {
      await api.store.close();
      const ready = await api.request({ method: 'GET', url: '/api/ready' });
      expect(ready.statusCode).toBe(503);
      expect(JSON.parse(ready.body)).toMatchObject({
        error: { code: 'not_ready', details: { ready: false, storage: { kind: 'embedded', ok: false } } },
      });
      const health = await api.request({ method: 'GET', url: '/api/health' });
      expect(health.statusCode).toBe(200);
      expect(JSON.parse(health.body)).toMatchObject({ status: 'degraded', storage: { ok: false } });
      const list = await api.request({ method: 'GET', url: '/api/metrics', headers: AUTH });
      expect(list.statusCode).toBe(200);
      expect(metricListResponseSchema.parse(JSON.parse(list.body)).metrics[0]).toMatchObject({
        name: 'cpu',
        lastPoint: null,
      });
      const series = await api.request({
        method: 'GET',
        url: `/api/metrics/cpu/series?from=${D1}&to=${D2}`,
        headers: AUTH,
      });
      expect(series.statusCode).toBeGreaterThanOrEqual(500);
      expect(JSON.parse(series.body)).toMatchObject({
        error: { code: expect.any(String), message: expect.any(String) },
      });
    } finally {
      await api.close();
    }
  });
});
