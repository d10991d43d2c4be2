import { silentLogger } from '../logging/logger';
import { buildServer } from './server';
import { AUTH, request, startTestApi, TEST_TOKEN, type TestApi } from './testSupport';

/** Every operation of the API description, as a concrete request (path parameters filled in). */
async function operations(
  api: TestApi
): Promise<Array<{ method: 'GET' | 'POST' | 'PUT' | 'DELETE'; url: string; public: boolean }>> {
  const doc = JSON.parse((await api.request({ method: 'GET', url: '/api/openapi.json' })).body) as {
    paths: Record<string, Record<string, { security?: unknown[] }>>;
  };
  return Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({
      method: method.toUpperCase() as 'GET',
      url: path.replace('{name}', 'cpu').replace('{id}', 'some-run'),
      public: Array.isArray(op.security) && op.security.length === 0,
    }))
  );
}

describe('authentication', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => {
    await api.close();
  });

  it('answers every protected operation, and every unknown path, with the same 401 for a missing or wrong token', async () => {
    const ops = await operations(api);
    expect(ops.length).toBeGreaterThanOrEqual(18);
    const protectedOps = ops.filter((o) => !o.public);
    const unknown = [
      { method: 'GET' as const, url: '/api/metrics/does-not-exist/series?from=1&to=2' },
      { method: 'GET' as const, url: '/api/no-such-route' },
      { method: 'DELETE' as const, url: '/api/metrics/does-not-exist' },
      { method: 'GET' as const, url: '/api/health/' },
      { method: 'GET' as const, url: '/' },
    ];
    const bodies = new Set<string>();
    for (const op of [...protectedOps, ...unknown]) {
      for (const authorization of [
        undefined,
        '',
        'Bearer',
        'Bearer wrong-token-0123456789',
        `Basic ${TEST_TOKEN}`,
        `Bearer ${TEST_TOKEN}x`,
      ]) {
        const r = await api.request({
          method: op.method,
          url: op.url,
          headers: authorization === undefined ? {} : { authorization },
          ...(op.method === 'POST' || op.method === 'PUT' ? { payload: { definition: { name: 'x' } } } : {}),
        });
        expect([op.url, r.statusCode]).toEqual([op.url, 401]);
        bodies.add(r.body);
      }
    }
    expect([...bodies]).toEqual([
      '{"error":{"code":"unauthorized","message":"missing or invalid bearer token (Authorization: Bearer <token>)"}}',
    ]);
  });

  it('serves the public operations without a token', async () => {
    const ops = (await operations(api)).filter((o) => o.public);
    expect(ops.map((o) => o.url).sort()).toEqual(['/api/health', '/api/openapi.json', '/api/ready']);
    for (const op of ops) {
      expect((await api.request({ method: op.method, url: op.url })).statusCode).toBe(200);
    }
  });

  it('lets the token through to routing: unknown metrics are 404 only with it', async () => {
    const r = await api.request({ method: 'GET', url: '/api/metrics/does-not-exist', headers: AUTH });
    expect(r.statusCode).toBe(404);
  });

  it('describes every route in OpenAPI with its schemas', async () => {
    const doc = JSON.parse((await api.request({ method: 'GET', url: '/api/openapi.json' })).body) as {
      openapi: string;
      paths: Record<
        string,
        Record<
          string,
          {
            requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown> } }> };
            parameters: Array<{ name: string; in: string }>;
            responses: Record<string, unknown>;
          }
        >
      >;
    };
    expect(doc.openapi).toBe('3.1.0');
    const create = doc.paths['/api/metrics']!.post!;
    const definition = create.requestBody!.content['application/json']!.schema.properties!.definition as {
      properties: Record<string, unknown>;
    };
    expect(Object.keys(definition.properties)).toEqual(
      expect.arrayContaining(['name', 'interval', 'query', 'detectors', 'source'])
    );
    expect(doc.paths['/api/metrics/{name}/series']!.get!.parameters.map((p) => `${p.in}:${p.name}`)).toEqual([
      'path:name',
      'query:from',
      'query:to',
    ]);
    expect(Object.keys(doc.paths['/api/metrics/{name}']!.delete!.responses)).toEqual(
      expect.arrayContaining(['200', '401', '404', '409'])
    );
  });
});

describe('server options', () => {
  it('refuses to start without a token unless in insecure development mode, or with a short token', async () => {
    const api = await startTestApi();
    try {
      const deps = { store: api.store, catalog: api.catalog, runs: api.runs, logger: silentLogger, version: 'x' };
      expect(() => buildServer({ ...deps, token: null })).toThrow(/needs a token/);
      expect(() => buildServer({ ...deps, token: 'short' })).toThrow(/shorter than 16 characters/);
      const open = buildServer({ ...deps, token: null, insecureDev: true });
      await open.listen({ host: '127.0.0.1', port: 0 });
      try {
        const port = (open.server.address() as { port: number }).port;
        const r = await request(`http://127.0.0.1:${port}`, { method: 'GET', url: '/api/metrics' });
        expect(r.statusCode).toBe(200);
      } finally {
        await open.close();
      }
    } finally {
      await api.close();
    }
  });

  it('serves /metrics without the token only when told to', async () => {
    const api = await startTestApi({ publicMetrics: true });
    try {
      const r = await api.request({ method: 'GET', url: '/metrics' });
      expect(r.statusCode).toBe(200);
      expect(r.body).toMatch(/^# HELP dtk_runs_total/m);
      expect((await api.request({ method: 'GET', url: '/api/metrics' })).statusCode).toBe(401);
    } finally {
      await api.close();
    }
  });
});
