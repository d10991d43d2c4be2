import { apiErrorSchema } from '../../../common/api/health';
import { AUTH, errorLog, metricYaml, startTestApi, type HttpRequest, type TestApi } from './testSupport';

/**
 * Generated requests: valid bodies and query strings of every endpoint, mutated by a seeded generator (wrong types,
 * missing and unknown fields, huge strings, deep nesting, NaN-like text, prototype keys). Whatever arrives, the
 * answer is a 2xx or a 4xx with an error body that says something, never a 5xx. Seeded: every run sends the same
 * requests, and a failure names the seed and the request to replay.
 */

/** mulberry32: small, fast, deterministic. */
function prng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rnd = () => number;
const pick = <T>(rnd: Rnd, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;

const D1 = Date.UTC(2025, 0, 1);
const HOUR = 3_600_000;

/** Values that break naive parsers and validators. */
function nasty(rnd: Rnd): unknown {
  return pick(rnd, [
    () => null,
    () => true,
    () => 0,
    () => -1,
    () => 1.5,
    () => 1e308,
    () => -1e308,
    () => Number.MAX_SAFE_INTEGER + 2,
    () => '',
    () => ' ',
    () => 'NaN',
    () => 'Infinity',
    () => '-0',
    () => '1e309',
    () => '0x1F',
    () => '１２３',
    () => '\u0000\u0001',
    () => "'; DROP TABLE _dtk_datapoints; --",
    () => '{{ 7 * 7 }}{% for x in range(10) %}',
    () => '${HOME}',
    () => '\ud800',
    () => 'x'.repeat(100_000),
    () => 'é'.repeat(1000),
    () => [],
    () => {},
    () => [1, 'a', null],
    () => ({ a: { b: { c: 1 } } }),
    () => deep(1 + Math.floor(rnd() * 3000)),
  ])();
}

/** `[[[ … ]]]` nested n levels. */
function deep(n: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < n; i++) {
    v = rnd2() < 0.5 ? [v] : { k: v };
  }
  return v;
}
const rnd2 = prng(99);

const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'];

/** Adds an own property, even `__proto__` (JSON.stringify then writes it as a key). */
function setOwn(o: Record<string, unknown>, k: string, v: unknown): void {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
}

/** One random change somewhere in a JSON value (a deep copy is changed). */
function mutate(value: unknown, rnd: Rnd): unknown {
  const root = JSON.parse(JSON.stringify(value)) as unknown;
  const containers: Array<{ parent: Record<string, unknown> | unknown[]; key: string | number }> = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) {
      v.forEach((x, i) => {
        containers.push({ parent: v, key: i });
        walk(x);
      });
    } else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        containers.push({ parent: v as Record<string, unknown>, key: k });
        walk(x);
      }
    }
  };
  walk(root);
  const op = rnd();
  if (op < 0.08 || containers.length === 0) {
    return nasty(rnd); // the whole body
  }
  const at = pick(rnd, containers);
  const parent = at.parent as Record<string | number, unknown>;
  if (op < 0.55) {
    parent[at.key] = nasty(rnd);
  } else if (op < 0.7) {
    if (Array.isArray(parent)) {
      parent.splice(at.key as number, 1);
    } else {
      delete parent[at.key];
    }
  } else if (op < 0.85) {
    const target = parent[at.key];
    const host =
      target !== null && typeof target === 'object' && !Array.isArray(target)
        ? (target as Record<string, unknown>)
        : (parent as Record<string, unknown>);
    if (!Array.isArray(host)) {
      setOwn(
        host,
        rnd() < 0.6 ? pick(rnd, PROTO_KEYS) : `unknown_${Math.floor(rnd() * 100)}`,
        rnd() < 0.5 ? { polluted: true } : nasty(rnd)
      );
    }
  } else {
    parent[at.key] = [parent[at.key]];
  }
  return root;
}

/** One random change of a query string. */
function mutateQuery(params: Array<[string, string]>, rnd: Rnd): Array<[string, string]> {
  const out = params.map(([k, v]) => [k, v] as [string, string]);
  const op = rnd();
  const i = Math.floor(rnd() * Math.max(1, out.length));
  const text = () => {
    const v = nasty(rnd);
    const s = typeof v === 'string' ? v : (JSON.stringify(v) ?? 'undefined');
    return s.slice(0, 2000);
  };
  if (op < 0.45 && out[i]) {
    out[i]![1] = text();
  } else if (op < 0.6 && out[i]) {
    out.splice(i, 1);
  } else if (op < 0.75 && out[i]) {
    out.push([out[i]![0], out[i]![1]]); // repeated
  } else if (op < 0.85) {
    out.push([pick(rnd, [...PROTO_KEYS, 'from[]', 'to[a]', 'unknown']), text()]);
  } else if (out[i]) {
    out[i]![1] = pick(rnd, ['-1', '1e3', '1.0', ' 1', '99999999999999999999', '0', '']);
  }
  return out;
}

/** Query text with raw malformed escapes, as a broken client might send. */
function rawQuery(params: Array<[string, string]>, rnd: Rnd): string {
  const q = qs(params);
  return rnd() < 0.15 ? `${q}&${pick(rnd, ['from=%', 'to=%zz', 'limit=%ED%A0%80', '%=%', '&&&', '=1'])}` : q;
}

/** Percent-encodes like a browser; text no browser can encode (a lone surrogate) goes out as invalid UTF-8 bytes. */
function enc(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return s.replace(/[\ud800-\udfff]/g, '%ED%A0%80').replace(/[^%\w.-]/g, (c) => encodeURIComponent(c));
  }
}

const qs = (params: Array<[string, string]>) => params.map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&');

const EMPTY_QUERY = "SELECT toDateTime('{{ dtk_start_time }}', 'UTC') AS timestamp, 1 AS value WHERE 0";

describe('fuzzed requests', () => {
  let api: TestApi;
  let failures: string[] = [];
  const log = errorLog();

  beforeEach(() => {
    failures = [];
  });

  beforeAll(async () => {
    api = await startTestApi({
      logger: log.logger,
      files: {
        'metrics/cpu.yml': metricYaml('cpu'),
        // Runs started by valid mutations must stay cheap whatever range they ask for.
        'metrics/quiet.yml': `name: quiet\ninterval: 1d\nquery: "${EMPTY_QUERY}"\ndetectors:\n  - {type: mad, params: {window_size: 5, min_samples: 2}}\n`,
      },
    });
    const r = await api.request({
      method: 'POST',
      url: '/api/metrics/cpu/runs',
      headers: AUTH,
      payload: { from: D1, to: D1 + 6 * HOUR },
    });
    expect(r.statusCode).toBe(202);
    await api.runs.idle();
    const ui = await api.request({
      method: 'POST',
      url: '/api/metrics',
      headers: AUTH,
      payload: { definition: { name: 'ui_quiet', interval: '1d', query: EMPTY_QUERY } },
    });
    expect(ui.statusCode).toBe(201);
  });
  afterAll(async () => {
    await api.close();
  });

  /** Sends a request and records any answer that breaks the contract. */
  async function check(seed: number, req: HttpRequest): Promise<number> {
    const r = await api.request({ ...req, headers: { ...AUTH, ...req.headers } });
    await api.runs.idle();
    const where = `seed ${seed}: ${req.method} ${req.url.slice(0, 300)} ${typeof req.payload === 'string' ? req.payload.slice(0, 300) : ''}`;
    if (r.statusCode >= 500) {
      const cause = log.lines.find((l) =>
        l.includes(
          String((safeJson(r.body) as { error?: { details?: { requestId?: string } } })?.error?.details?.requestId)
        )
      );
      failures.push(
        `${where} → ${r.statusCode} ${r.body.slice(0, 200)}\n  cause: ${cause?.slice(0, 1500) ?? 'not logged'}`
      );
    } else if (r.statusCode >= 400) {
      const body = apiErrorSchema.safeParse(safeJson(r.body));
      if (!body.success || body.data.error.message.length < 8 || !body.data.error.code) {
        failures.push(`${where} → ${r.statusCode} without a clear error body: ${r.body.slice(0, 300)}`);
      }
    }
    return r.statusCode;
  }

  const previewDefinition = {
    name: 'draft',
    interval: '1min',
    query:
      "SELECT toDateTime('{{ dtk_start_time }}', 'UTC') + number * 60 AS timestamp, number % 7 AS value FROM numbers(intDiv(dateDiff('second', toDateTime('{{ dtk_start_time }}', 'UTC'), toDateTime('{{ dtk_end_time }}', 'UTC')), 60))",
    detectors: [{ type: 'mad', params: { window_size: 10, min_samples: 5 } }],
  };

  const bodies: Array<{ method: 'POST' | 'PUT'; url: string; body: unknown }> = [
    {
      method: 'POST',
      url: '/api/metrics',
      body: { definition: { ...previewDefinition, name: 'fuzzed', interval: '1d' }, comment: 'c' },
    },
    {
      method: 'PUT',
      url: '/api/metrics/ui_quiet',
      body: { definition: { name: 'ui_quiet', interval: '1d', query: EMPTY_QUERY }, expectedVersion: 1 },
    },
    { method: 'POST', url: '/api/preview', body: { definition: previewDefinition, from: D1, to: D1 + HOUR } },
    {
      method: 'POST',
      url: '/api/metrics/quiet/runs',
      body: { from: D1, to: D1 + 86_400_000 * 3, fullRefresh: false, steps: ['load', 'detect'] },
    },
    { method: 'POST', url: '/api/metrics/cpu/test-alert', body: {} },
  ];

  it.each(bodies.map((b, i) => [b.method, b.url, i] as const))(
    '%s %s: mutated bodies never get a 5xx',
    async (_, __, i) => {
      const b = bodies[i]!;
      const statuses = new Set<number>();
      for (let seed = 1; seed <= 60; seed++) {
        const rnd = prng(seed * 1000 + i);
        const body = mutate(b.body, rnd);
        statuses.add(
          await check(seed, {
            method: b.method,
            url: b.url,
            payload: JSON.stringify(body) ?? 'null',
            headers: { 'content-type': 'application/json' },
          })
        );
      }
      expect(failures).toEqual([]);
      // The generator must reach the validators, not only the JSON parser.
      expect([...statuses].some((s) => s === 400 || s === 422)).toBe(true);
    }
  );

  const queries: Array<{ path: string; params: Array<[string, string]> }> = [
    {
      path: '/api/metrics/cpu/series',
      params: [
        ['from', String(D1)],
        ['to', String(D1 + HOUR)],
      ],
    },
    {
      path: '/api/metrics/cpu/detections',
      params: [
        ['from', String(D1)],
        ['to', String(D1 + HOUR)],
        ['anomalies', 'true'],
        ['detector', '0123456789abcdef'],
        ['limit', '10'],
      ],
    },
    {
      path: '/api/alerts',
      params: [
        ['metric', 'cpu'],
        ['limit', '10'],
      ],
    },
    {
      path: '/api/runs',
      params: [
        ['metric', 'cpu'],
        ['limit', '10'],
      ],
    },
    { path: '/api/metrics/ui_quiet', params: [['expectedVersion', '999']] },
  ];

  it.each(queries.map((q, i) => [q.path, i] as const))(
    'GET/DELETE %s: mutated query strings never get a 5xx',
    async (_, i) => {
      const q = queries[i]!;
      const method = q.path === '/api/metrics/ui_quiet' ? 'DELETE' : 'GET';
      for (let seed = 1; seed <= 60; seed++) {
        const rnd = prng(seed * 7919 + i);
        await check(seed, { method, url: `${q.path}?${rawQuery(mutateQuery(q.params, rnd), rnd)}` });
      }
      expect(failures).toEqual([]);
    }
  );

  it('path parameters of any text never get a 5xx', async () => {
    const rnd = prng(4242);
    const templates = [
      '/api/metrics/{}',
      '/api/metrics/{}/series?from=1&to=2',
      '/api/metrics/{}/detections',
      '/api/runs/{}',
      '/api/metrics/{}/runs',
      '/api/metrics/{}/test-alert',
    ];
    for (let seed = 1; seed <= 80; seed++) {
      const v = nasty(rnd);
      const name =
        (typeof v === 'string' ? v : (JSON.stringify(v) ?? 'x')).slice(0, 3000) +
        pick(rnd, ['', '{job="x"}', '%', '/..']);
      const t = pick(rnd, templates);
      const url = t.replace('{}', rnd() < 0.1 ? pick(rnd, ['%', '%zz', '%E0%A4%A', '%ED%A0%80']) : enc(name));
      await check(seed, { method: t.endsWith('runs') || t.endsWith('test-alert') ? 'POST' : 'GET', url });
    }
    expect(failures).toEqual([]);
  });

  it('leaves Object.prototype untouched', () => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
