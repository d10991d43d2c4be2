import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { openTestStore } from '../../test/embedded';
import { writeProject } from '../../test/project';
import { MetricCatalog } from '../catalog';
import { createLogger, silentLogger, type Logger } from '../logging/logger';
import { Scheduler } from '../scheduler';
import type { Store } from '../storage';
import type { ApiLimits } from './context';
import { ServiceMetrics } from './metrics';
import { buildServer } from './server';

/**
 * Test support for the API (not used by the service): the service's own scheduler as the RunController (its
 * schedule loop not started: runs happen when a test asks), and a server over a fresh embedded database with a
 * project on disk.
 */
export class LocalRuns extends Scheduler {
  constructor(store: Store, catalog: MetricCatalog, metrics?: ServiceMetrics) {
    super({
      store,
      catalog,
      root: catalog.root,
      logger: silentLogger,
      timing: { delayMs: 0, jitterMs: 0 },
      hooks: { runFinished: (info) => metrics?.runFinished(info) },
    });
  }
}

export const TEST_TOKEN = 'test-token-0123456789abcdef';
export const AUTH = { authorization: `Bearer ${TEST_TOKEN}` };

/** A minute-grid SQL source over the embedded engine: a daily sine with a spike every `spikeEvery` minutes. */
export function sineQuery(spikeEvery = 997): string {
  return (
    "SELECT toDateTime('{{ dtk_start_time }}', 'UTC') + number * 60 AS timestamp, " +
    `100 + 10 * sin(toUnixTimestamp(timestamp) / 13751) + if(intDiv(toUnixTimestamp(timestamp), 60) % ${spikeEvery} = 0, 80, 0) AS value ` +
    "FROM numbers(intDiv(dateDiff('second', toDateTime('{{ dtk_start_time }}', 'UTC'), toDateTime('{{ dtk_end_time }}', 'UTC')), 60))"
  );
}

export function metricYaml(name: string, extra = ''): string {
  return [
    `name: ${name}`,
    'interval: 1min',
    'loading_start_time: "2025-01-01 00:00:00"',
    `query: "${sineQuery().replace(/"/g, '\\"')}"`,
    'detectors:',
    '  - type: mad',
    '    params: {window_size: 60, min_samples: 30}',
    '  - type: zscore',
    '    params: {window_size: 120, threshold: 4.0}',
    '  - type: manual_bounds',
    '    params: {upper_bound: 150.0}',
    extra,
  ].join('\n');
}

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  /** An object is sent as JSON (with its content type); a string as it is. */
  payload?: unknown;
}

export interface HttpResponse {
  statusCode: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * One request over a real socket to the server listening on 127.0.0.1 (fastify's inject needs light-my-request,
 * whose ESM-only `cookie` dependency Jest cannot load; a socket is closer to what Grafana does anyway).
 */
export function request(base: string, r: HttpRequest): Promise<HttpResponse> {
  const headers: Record<string, string> = { ...r.headers };
  let body: Buffer | undefined;
  if (r.payload !== undefined) {
    const isText = typeof r.payload === 'string';
    body = Buffer.from(isText ? (r.payload as string) : JSON.stringify(r.payload));
    if (!isText && !Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) {
      headers['content-type'] = 'application/json';
    }
  }
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${r.url}`, { method: r.method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ statusCode: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') })
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A logger keeping its error lines (the causes of 5xx answers), for failure messages. */
export function errorLog(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const logger = createLogger({ level: 'error', destination: { write: (line: string) => void lines.push(line) } });
  return { logger, lines };
}

export interface TestApi {
  app: FastifyInstance;
  /** Sends a request to the listening server. */
  request(r: HttpRequest): Promise<HttpResponse>;
  store: Store;
  catalog: MetricCatalog;
  runs: LocalRuns;
  metrics: ServiceMetrics;
  root: string;
  close(): Promise<void>;
}

export async function startTestApi(
  opts: {
    files?: Record<string, string>;
    limits?: Partial<ApiLimits>;
    publicMetrics?: boolean;
    uiEnv?: NodeJS.ProcessEnv;
    logger?: Logger;
  } = {}
): Promise<TestApi> {
  const { store, close } = await openTestStore('api');
  const root = writeProject(opts.files ?? { 'metrics/cpu.yml': metricYaml('cpu') });
  const catalog = await MetricCatalog.open({ root, store, uiEnv: opts.uiEnv });
  const metrics = new ServiceMetrics({ processMetrics: false });
  const runs = new LocalRuns(store, catalog, metrics);
  const app = buildServer({
    store,
    catalog,
    runs,
    logger: opts.logger ?? silentLogger,
    token: TEST_TOKEN,
    version: '0.0.0-test',
    metrics,
    limits: opts.limits,
    publicMetrics: opts.publicMetrics,
    validateResponses: true,
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return {
    app,
    request: (r) => request(base, r),
    store,
    catalog,
    runs,
    metrics,
    root,
    close: async () => {
      await runs.idle();
      await app.close();
      await catalog.close();
      await close();
    },
  };
}
