import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { setHttpConcurrency } from './http';
import { loadPromSeries, loadScrape, discoverSeries } from './networkSources';
import { canonicalLabels, promValue } from './prometheus';
import { SharedFetch, type PromQuery } from './sharedFetch';

/** A port nothing listens on. */
async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

type Handler = (req: http.IncomingMessage, body: string, res: http.ServerResponse) => void;

let server: http.Server;
let base = '';
let handler: Handler = (_q, _b, res) => res.end();
const seen: Array<{ url: string; body: string; auth?: string; org?: string }> = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({
        url: req.url ?? '',
        body,
        auth: req.headers.authorization,
        org: req.headers['x-scope-orgid'] as string | undefined,
      });
      handler(req, body, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});
beforeEach(() => {
  seen.length = 0;
  setHttpConcurrency(16);
});

const json = (res: http.ServerResponse, status: number, v: unknown) => {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(v));
};

const q = (over: Partial<PromQuery> = {}): PromQuery => ({
  url: base,
  query: 'rate(x[1m])',
  stepSeconds: 60,
  headers: {},
  timeoutMs: 2000,
  what: "metric 'm'",
  ...over,
});

/** A fake Prometheus that evaluates two series at start, start+step, …, end. */
function matrix(body: string, values: (t: number) => string = (t) => String(t % 7)) {
  const p = new URLSearchParams(body);
  const start = Number(p.get('start'));
  const end = Number(p.get('end'));
  const step = Number(p.get('step'));
  const ts: number[] = [];
  for (let t = start; t <= end; t += step) {
    ts.push(t);
  }
  return {
    status: 'success',
    data: {
      resultType: 'matrix',
      result: [
        { metric: { __name__: 'x', instance: 'b', cpu: '1' }, values: ts.map((t) => [t, values(t)]) },
        { metric: { instance: 'a', cpu: '0' }, values: ts.slice(1).map((t) => [t, values(t)]) },
      ],
    },
  };
}

describe('prometheus source', () => {
  it('values and label sets', () => {
    expect([promValue('NaN'), promValue('+Inf'), promValue('-Inf'), promValue('1.5e3')]).toEqual([
      NaN,
      Infinity,
      -Infinity,
      1500,
    ]);
    expect(canonicalLabels({ __name__: 'x', b: 'y"z', a: 'x\\' })).toBe('{a="x\\\\",b="y\\"z"}');
  });

  it('query_range on the grid: start = from, end = to − step; one request for every series and sub-window', async () => {
    handler = (_r, body, res) => json(res, 200, matrix(body));
    const shared = new SharedFetch();
    const from = Date.UTC(2026, 0, 1, 0, 0, 30); // unaligned: rounds up
    const to = Date.UTC(2026, 0, 1, 1, 0, 0);
    const b = await loadPromSeries(shared, q(), '{cpu="1",instance="b"}', from, to, 60, ['hour']);
    const a = await loadPromSeries(shared, q(), '{cpu="0",instance="a"}', from, to, 60, []);
    const sub = await loadPromSeries(shared, q(), '{cpu="0",instance="a"}', from + 600_000, to, 60, []);
    expect(seen).toHaveLength(1);
    const p = new URLSearchParams(seen[0]!.body);
    expect(seen[0]!.url).toBe('/api/v1/query_range');
    expect([p.get('query'), p.get('start'), p.get('end'), p.get('step')]).toEqual([
      'rate(x[1m])',
      String(Date.UTC(2026, 0, 1, 0, 1) / 1000),
      String(Date.UTC(2026, 0, 1, 0, 59) / 1000),
      '60',
    ]);
    expect(b.timestamps).toHaveLength(59);
    expect(b.timestamps[0]).toBe(Date.UTC(2026, 0, 1, 0, 1));
    expect(b.values[0]).toBe((Date.UTC(2026, 0, 1, 0, 1) / 1000) % 7);
    expect(b.seasonalityData[0]).toBe('{"hour":0}');
    // Series a has no point at the first evaluation: stored as missing, not shifted.
    expect(Number.isNaN(a.values[0]!)).toBe(true);
    expect(a.values[1]).toBe(b.values[1]);
    expect(sub.timestamps[0]).toBe(Date.UTC(2026, 0, 1, 0, 11));
    expect(sub.timestamps).toHaveLength(49);
  });

  it('NaN, +Inf, -Inf; a series without points loads nothing (retried next run)', async () => {
    const vals = ['NaN', '+Inf', '-Inf', '2'];
    let k = 0;
    handler = (_r, body, res) =>
      json(
        res,
        200,
        matrix(body, () => vals[k++ % 4]!)
      );
    const shared = new SharedFetch();
    const r = await loadPromSeries(shared, q(), '{cpu="1",instance="b"}', 0, 4 * 60_000, 60, []);
    expect([...r.values]).toEqual([NaN, Infinity, -Infinity, 2]);
    const none = await loadPromSeries(shared, q(), '{cpu="9"}', 0, 4 * 60_000, 60, []);
    expect(none.timestamps).toHaveLength(0);
  });

  it('auth headers are sent; windows beyond 10,000 points are split', async () => {
    handler = (_r, body, res) => json(res, 200, matrix(body));
    const shared = new SharedFetch();
    const headers = { Authorization: 'Bearer t0k', 'X-Scope-OrgID': 'team' };
    const r = await loadPromSeries(shared, q({ headers }), '{cpu="1",instance="b"}', 0, 25_000 * 60_000, 60, []);
    expect(seen).toHaveLength(3);
    expect(seen.every((s) => s.auth === 'Bearer t0k' && s.org === 'team')).toBe(true);
    expect(r.timestamps).toHaveLength(25_000);
  });

  it("Prometheus's warnings reach the load result, naming the metric; uncompressed answers are asked for", async () => {
    handler = (_r, body, res) => json(res, 200, { ...matrix(body), warnings: ['results truncated due to limit'] });
    const r = await loadPromSeries(new SharedFetch(), q(), '{cpu="1",instance="b"}', 0, 10 * 60_000, 60, []);
    expect(r.timestamps).toHaveLength(10);
    expect(r.warnings).toEqual(["Prometheus warning for metric 'm': results truncated due to limit"]);
  });

  it('a sample that is not [time, "value"] is a clear error naming the series', async () => {
    handler = (_r, _b, res) =>
      json(res, 200, {
        status: 'success',
        data: {
          resultType: 'matrix',
          result: [
            {
              metric: { job: 'x' },
              values: [
                [60, '1'],
                ['oops', 2],
              ],
            },
          ],
        },
      });
    await expect(loadPromSeries(new SharedFetch(), q(), '{job="x"}', 0, 600_000, 60, [])).rejects.toThrow(
      /metric 'm': .* answered a sample that is not \[time, "value"\] in series \{job="x"\}/
    );
  });

  it("Prometheus's own error text, verbatim, naming the metric and URL", async () => {
    handler = (_r, _b, res) =>
      json(res, 400, {
        status: 'error',
        errorType: 'bad_data',
        error: 'invalid parameter "query": 1:6: parse error: unexpected "]"',
      });
    await expect(loadPromSeries(new SharedFetch(), q(), '{}', 0, 600_000, 60, [])).rejects.toThrow(
      `metric 'm': Prometheus at ${base}/api/v1/query_range refused the query (bad_data): invalid parameter "query": 1:6: parse error: unexpected "]"`
    );
  });

  it('authentication failures, HTML answers, unreachable servers, timeouts, size limits', async () => {
    handler = (_r, _b, res) => {
      res.writeHead(401);
      res.end('Unauthorized');
    };
    await expect(loadPromSeries(new SharedFetch(), q(), '{}', 0, 600_000, 60, [])).rejects.toMatchObject({
      code: 'source_auth',
      message: expect.stringMatching(/HTTP 401 \("Unauthorized"\); check source\.bearer_token/),
    });
    handler = (_r, _b, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<html>Grafana</html>');
    };
    await expect(loadPromSeries(new SharedFetch(), q(), '{}', 0, 600_000, 60, [])).rejects.toThrow(
      /not a Prometheus API answer .*check that source\.url is the Prometheus server's base URL/
    );
    const closed = await freePort();
    await expect(
      loadPromSeries(new SharedFetch(), q({ url: `http://127.0.0.1:${closed}` }), '{}', 0, 600_000, 60, [])
    ).rejects.toThrow(/cannot reach http:\/\/127\.0\.0\.1:\d+\/api\/v1\/query_range: ECONNREFUSED/);
    handler = () => undefined; // never answers
    await expect(loadPromSeries(new SharedFetch(), q({ timeoutMs: 200 }), '{}', 0, 600_000, 60, [])).rejects.toThrow(
      /did not answer within 0\.2s; check the server or raise source\.timeout/
    );
    handler = (_r, _b, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('x'.repeat(1024));
      res.end('y'.repeat(1024));
    };
    await expect(loadPromSeries(new SharedFetch(), q({ maxBytes: 1500 }), '{}', 0, 600_000, 60, [])).rejects.toThrow(
      /larger than the limit/
    );
  });

  it('max_series guard', async () => {
    handler = (_r, body, res) => json(res, 200, matrix(body));
    await expect(discoverSeries(new SharedFetch(), q(), 0, 600_000, 1)).rejects.toThrow(
      "metric 'm': the query returned 2 series, more than source.max_series (1); aggregate or filter it"
    );
    const s = await discoverSeries(new SharedFetch(), q(), 0, 600_000, 2);
    expect(s.map((x) => x.key)).toEqual(['{cpu="0",instance="a"}', '{cpu="1",instance="b"}']);
  });
});

describe('scrape source', () => {
  const spec = (over = {}) => ({
    url: `${base}/metrics`,
    sample: 'x_total',
    labels: { a: '1' },
    timeoutMs: 1000,
    what: "metric 's'",
    ...over,
  });

  it('one scrape per URL per run; the value goes on the scrape interval, earlier points are missing', async () => {
    handler = (_r, _b, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
      res.end('# TYPE x counter\nx_total{a="1"} 5\nx_total{a="2"} 7\n');
    };
    const now = Date.UTC(2026, 0, 1, 0, 10, 20);
    const shared = new SharedFetch(() => now);
    const r = await loadScrape(shared, spec(), Date.UTC(2026, 0, 1, 0, 8), Date.UTC(2026, 0, 1, 0, 11), 60, []);
    const r2 = await loadScrape(shared, spec({ labels: { a: '2' } }), now - 20_000, now + 40_000, 60, []);
    expect(seen).toHaveLength(1);
    expect([...r.values]).toEqual([NaN, NaN, 5]);
    expect([...r2.values]).toEqual([7]);
    await expect(loadScrape(shared, spec({ labels: {} }), now - 20_000, now + 40_000, 60, [])).rejects.toThrow(
      /2 samples match x_total\{\} .*add source\.labels to pick one/
    );
    await expect(loadScrape(shared, spec({ sample: 'nope' }), now - 20_000, now + 40_000, 60, [])).rejects.toThrow(
      /has no sample named nope/
    );
  });

  it('404, HTML, garbage and timeouts fail the metric', async () => {
    const fail = (h: Handler, over = {}) => {
      handler = h;
      return loadScrape(new SharedFetch(), spec(over), 0, Date.now() + 60_000, 60, []);
    };
    await expect(
      fail((_r, _b, res) => {
        res.writeHead(404);
        res.end('404 page not found');
      })
    ).rejects.toThrow(/scrape of .*\/metrics failed: HTTP 404/);
    await expect(
      fail((_r, _b, res) => {
        res.writeHead(200, { 'Content-Type': 'text/html' });
        res.end('<!doctype html><p>login</p>');
      })
    ).rejects.toThrow(/returned an HTML page, not a metrics exposition/);
    await expect(
      fail((_r, _b, res) => {
        res.writeHead(200);
        res.end('x_total{a="1" 5\n');
      })
    ).rejects.toThrow(/is not a valid Prometheus exposition \(line 1: expected , or \}/);
    await expect(fail(() => undefined, { timeoutMs: 100 })).rejects.toThrow(/did not answer within 0\.1s/);
  });
});
