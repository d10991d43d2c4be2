import { parse } from 'yaml';
import { previewResponseSchema } from '../../../common/api/preview';
import { AUTH, metricYaml, startTestApi, type TestApi } from './testSupport';

const D1 = Date.UTC(2025, 0, 1);
const D2 = D1 + 86_400_000;
const HOUR = 3_600_000;

describe('POST /api/preview', () => {
  let api: TestApi;
  const definition = parse(metricYaml('cpu')) as Record<string, unknown>;
  const preview = (body: unknown) => api.request({ method: 'POST', url: '/api/preview', headers: AUTH, payload: body });
  const json = (r: { body: string }) => JSON.parse(r.body) as Record<string, unknown>;

  beforeAll(async () => {
    api = await startTestApi({ files: { 'metrics/cpu.yml': metricYaml('cpu') } });
    const r = await api.request({
      method: 'POST',
      url: '/api/metrics/cpu/runs',
      headers: AUTH,
      payload: { from: D1, to: D2 },
    });
    expect(r.statusCode).toBe(202);
    await api.runs.idle();
  });
  afterAll(async () => {
    await api.close();
  });

  it('computes the same bands as a run of the same definition, and stores nothing', async () => {
    const before = await api.store.tableCounts();
    const from = D1 + 12 * HOUR + 30_000; // aligned down to the minute
    const r = await preview({ definition: { ...definition, name: 'cpu_draft' }, from, to: D1 + 18 * HOUR });
    expect(r.statusCode).toBe(200);
    const body = previewResponseSchema.parse(json(r));
    expect(body).toMatchObject({ from: D1 + 12 * HOUR, to: D1 + 18 * HOUR, intervalSeconds: 60, warnings: [] });
    expect(body.series).toHaveLength(1);
    const s = body.series[0]!;
    expect(s.metric).toBe('cpu_draft');
    expect(s.timestamps).toHaveLength(360);
    expect(s.timestamps[0]).toBe(D1 + 12 * HOUR);

    const stored = await api.store.readDetections('cpu', { from: D1 + 12 * HOUR, to: D1 + 18 * HOUR });
    const values = await api.store.readSeries('cpu', { from: D1 + 12 * HOUR, to: D1 + 18 * HOUR });
    expect(s.values).toEqual(Array.from(values.values));
    expect(s.detectors.map((d) => d.detectorId)).toEqual(
      api.catalog.get('cpu')!.loaded!.detectors.map((d) => d.detector.identity.id)
    );
    for (const d of s.detectors) {
      const rows = stored.filter((x) => x.detectorId === d.detectorId);
      expect(rows).toHaveLength(360);
      rows.forEach((row, i) => {
        expect(d.anomaly[i]).toBe(row.isAnomaly);
        for (const [got, want] of [
          [d.lower[i], row.lower],
          [d.upper[i], row.upper],
        ] as const) {
          if (want === null) {
            expect(got).toBeNull();
          } else {
            expect(got).toBeCloseTo(want, 9);
          }
        }
      });
    }
    expect(s.detectors.some((d) => d.anomaly.some(Boolean))).toBe(true);
    expect(await api.store.tableCounts()).toEqual(before);
  });

  it('applies post-processing as runs do: a min_deviation floor silences the anomalies it covers', async () => {
    const detectors = [{ type: 'mad', params: { window_size: 60, min_samples: 30 } }];
    const range = { from: D1 + 2 * HOUR, to: D1 + 20 * HOUR };
    const plain = previewResponseSchema.parse(
      json(await preview({ definition: { ...definition, name: 'pp', detectors }, ...range }))
    );
    const floored = previewResponseSchema.parse(
      json(
        await preview({
          definition: {
            ...definition,
            name: 'pp',
            detectors: [{ type: 'mad', params: { window_size: 60, min_samples: 30, min_deviation: 1000000.0 } }],
          },
          ...range,
        })
      )
    );
    expect(plain.series[0]!.detectors[0]!.anomaly.filter(Boolean).length).toBeGreaterThan(0);
    expect(floored.series[0]!.detectors[0]!.anomaly.filter(Boolean).length).toBe(0);
  });

  it('answers 422 with the issues of an invalid definition', async () => {
    const r = await preview({ definition: { ...definition, interval: 'often' }, from: D1, to: D2 });
    expect(r.statusCode).toBe(422);
    expect(json(r)).toMatchObject({
      error: { code: 'config_invalid', details: { issues: [expect.objectContaining({ path: 'interval' })] } },
    });
  });

  it("answers 422 with the engine's message when the metric's SQL fails", async () => {
    const r = await preview({ definition: { ...definition, query: 'SELECT no_such_column' }, from: D1, to: D1 + HOUR });
    expect(r.statusCode).toBe(422);
    expect(json(r)).toMatchObject({
      error: {
        code: 'source_query',
        message: expect.stringMatching(/no_such_column/),
        details: { sql: 'SELECT no_such_column' },
      },
    });
  });

  it('refuses ranges that are too large or hold no complete interval', async () => {
    const large = await preview({ definition, from: D1, to: D1 + 60 * 86_400_000 });
    expect(large.statusCode).toBe(400);
    expect(json(large)).toMatchObject({
      error: { code: 'range_too_large', details: { points: 86_400, maxPoints: 50_000 } },
    });
    const future = Date.now() + 86_400_000;
    const empty = await preview({ definition, from: future, to: future + HOUR });
    expect(empty.statusCode).toBe(400);
    expect(json(empty)).toMatchObject({ error: { code: 'range_empty' } });
    const inverted = await preview({ definition, from: D2, to: D1 });
    expect(inverted.statusCode).toBe(400);
  });

  it('says when the source has nothing in the range', async () => {
    const none = {
      ...definition,
      query: "SELECT toDateTime('{{ dtk_start_time }}', 'UTC') AS timestamp, 1 AS value WHERE 0",
    };
    const r = await preview({ definition: none, from: D1, to: D1 + HOUR });
    expect(r.statusCode).toBe(200);
    expect(previewResponseSchema.parse(json(r)).warnings).toEqual(['the source returned no points in this range']);
  });
});

describe('POST /api/preview limits', () => {
  it('answers 422 past its time budget and 429 past its concurrency', async () => {
    const api = await startTestApi({ limits: { previewTimeoutMs: 0 } });
    const definition = parse(metricYaml('cpu')) as Record<string, unknown>;
    try {
      const slow = await api.request({
        method: 'POST',
        url: '/api/preview',
        headers: AUTH,
        payload: { definition, from: D1, to: D2 },
      });
      expect(slow.statusCode).toBe(422);
      expect(JSON.parse(slow.body)).toMatchObject({ error: { code: 'preview_too_slow' } });
    } finally {
      await api.close();
    }
    const none = await startTestApi({ limits: { previewConcurrency: 0 } });
    try {
      const r = await none.request({
        method: 'POST',
        url: '/api/preview',
        headers: AUTH,
        payload: { definition, from: D1, to: D2 },
      });
      expect(r.statusCode).toBe(429);
      expect(JSON.parse(r.body)).toMatchObject({ error: { code: 'too_many_previews' } });
    } finally {
      await none.close();
    }
  });
});
