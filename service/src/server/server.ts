import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from 'fastify';
import type { MetricCatalog } from '../catalog';
import { DtkError, errorMessage } from '../errors';
import type { Logger } from '../logging/logger';
import type { RunController } from '../serve/contracts';
import type { Store } from '../storage';
import { bearerCheck, pathOf, PUBLIC_PATHS } from './auth';
import { DEFAULT_LIMITS, type ApiContext, type ApiLimits } from './context';
import { HttpError, toErrorReply, unauthorized } from './httpErrors';
import { ServiceMetrics } from './metrics';
import { openApiDocument } from './openapi';
import { readListStats, type ListStats } from './reads';
import { registerRoutes, type AnyRoute } from './route';
import { catalogRoutes } from './routes/catalog';
import { dataRoutes } from './routes/data';
import { healthRoutes } from './routes/health';
import { metricRoutes } from './routes/metrics';
import { runRoutes } from './routes/runs';
import { SeriesService } from './series';

export interface ServerDeps {
  store: Store;
  catalog: MetricCatalog;
  runs: RunController;
  logger: Logger;
  /** The bearer token every protected request must carry; null only together with `insecureDev`. */
  token: string | null;
  /** Serve without authentication (local development only; logged loudly). */
  insecureDev?: boolean;
  version: string;
  /** Shared with the scheduler, which reports runs and deliveries into it; one is made when absent. */
  metrics?: ServiceMetrics;
  /**
   * Serve `GET /metrics` without the token. Off by default: the exposition names every metric (and the label
   * values of fan-out series), and Prometheus sends a bearer token with one line of scrape config
   * (`authorization: { credentials_file: … }`). Turn it on for scrapers that cannot.
   */
  publicMetrics?: boolean;
  limits?: Partial<ApiLimits>;
  now?: () => number;
  /** Check every response against its schema (tests). */
  validateResponses?: boolean;
}

const LIST_STATS_TTL_MS = 5_000;
const PROBE_TTL_MS = 1_000;
const PROBE_TIMEOUT_MS = 2_000;

/** Memoises an async read for `ttlMs`, sharing the one in flight. */
function memo<T>(ttlMs: number, read: () => Promise<T>): () => Promise<T> {
  let at = -Infinity;
  let value: Promise<T> | undefined;
  return () => {
    if (!value || Date.now() - at >= ttlMs) {
      at = Date.now();
      value = read();
    }
    return value;
  };
}

/**
 * The route table. Building it touches nothing but `ctx.store.location` (handlers use the rest when called), so
 * `npm run docs` renders the API reference from it with a stand-in context, no store and no server.
 */
export function apiRoutes(ctx: ApiContext, openApi: () => Record<string, unknown>): AnyRoute[] {
  return [
    ...healthRoutes(ctx, openApi),
    ...metricRoutes(ctx),
    ...dataRoutes(ctx),
    ...runRoutes(ctx),
    ...catalogRoutes(ctx),
  ];
}

/**
 * The HTTP API of `dtk serve` (DESIGN §10), not listening: the caller decides where (`app.listen`). JSON under /api
 * with a bearer token, Prometheus text at /metrics, errors in one shape.
 */
export function buildServer(deps: ServerDeps): FastifyInstance {
  if (deps.token === null && !deps.insecureDev) {
    throw new DtkError('usage', 'the API needs a token: set one, or run with insecure development mode');
  }
  if (deps.token !== null && deps.token.length < 16) {
    throw new DtkError(
      'usage',
      'the API token is shorter than 16 characters; use a long random value (openssl rand -hex 32)'
    );
  }
  const limits: ApiLimits = { ...DEFAULT_LIMITS, ...deps.limits };
  const now = deps.now ?? Date.now;
  const logger = deps.logger.child({ component: 'api' });
  const metrics = deps.metrics ?? new ServiceMetrics();
  metrics.observe({ runs: deps.runs, catalog: deps.catalog });
  const authorized = deps.token === null ? () => true : bearerCheck(deps.token);
  if (deps.token === null) {
    logger.warn(
      'the API runs WITHOUT authentication (insecure development mode): anyone who reaches it can change metrics'
    );
  }

  const app = Fastify({
    // pino's Logger is a FastifyBaseLogger; the cast keeps the instance's type the default one callers expect.
    loggerInstance: logger as FastifyBaseLogger,
    // One debug line per request from onResponse instead (route pattern, status, time; never headers).
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: limits.bodyBytes,
    // Fan-out series names (`cpu{instance="host:9100",job="node"}`) are longer than the default 100 characters.
    routerOptions: { maxParamLength: 2048 },
    return503OnClosing: true,
    // Malformed URLs and over-long path parameters are refused by the router before any hook runs: same body shape.
    frameworkErrors: (err, req, reply) => {
      const r = toErrorReply(err, req.id);
      void (reply as FastifyReply).code(r.status).type('application/json; charset=utf-8').send(r.body);
    },
  });

  const probe = memo(PROBE_TTL_MS, async () => {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        deps.store.userQuery('SELECT 1'),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
        }),
      ]);
      return { ok: true };
    } catch (e) {
      // Readiness is public: the cause (host, user, data directory) goes to the log, not to the caller.
      logger.warn({ err: errorMessage(e) }, 'storage probe failed');
      return { ok: false, error: 'storage did not answer; the service log has the cause' };
    } finally {
      clearTimeout(timer);
    }
  });
  const listStats = memo(LIST_STATS_TTL_MS, async (): Promise<ListStats | null> => {
    try {
      return await readListStats(deps.store);
    } catch (e) {
      logger.warn({ err: errorMessage(e) }, 'metric list without last points and alert states: storage did not answer');
      return null;
    }
  });
  const ctx: ApiContext = {
    store: deps.store,
    catalog: deps.catalog,
    runs: deps.runs,
    logger,
    version: deps.version,
    now,
    limits,
    series: new SeriesService(deps.store, { ttlMs: limits.seriesCacheMs, maxChars: limits.seriesCacheChars, now }),
    listStats,
    storageProbe: probe,
  };
  let openApi: Record<string, unknown> | undefined;
  const routes: AnyRoute[] = apiRoutes(ctx, () => (openApi ??= openApiDocument(routes, deps.version)));

  // Authentication comes first, before routing answers 404, so nothing (not even whether a metric exists) is
  // visible without the token; every missing or wrong token gets the same 401.
  app.addHook('onRequest', async (req) => {
    const path = pathOf(req.url);
    if (PUBLIC_PATHS.has(path) || (path === '/metrics' && deps.publicMetrics)) {
      return;
    }
    if (!authorized(req.headers.authorization)) {
      throw unauthorized();
    }
  });
  app.addHook('onSend', async (_req, reply) => {
    reply.header('cache-control', 'no-store');
    reply.header('x-content-type-options', 'nosniff');
  });
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    const seconds = reply.elapsedTime / 1000;
    metrics.httpRequest(req.method, route, reply.statusCode, seconds);
    req.log.debug(
      { method: req.method, route, status: reply.statusCode, ms: Math.round(reply.elapsedTime) },
      'request'
    );
  });

  app.setErrorHandler(async (err, req, reply) => {
    const r = toErrorReply(err, req.id);
    if (r.serverFault) {
      req.log.error({ err, method: req.method, route: req.routeOptions.url }, 'request failed');
    } else if (r.status !== 401) {
      req.log.debug({ status: r.status, code: r.body.error.code, msg: r.body.error.message }, 'request refused');
    }
    return reply.code(r.status).type('application/json; charset=utf-8').send(r.body);
  });
  app.setNotFoundHandler(async (req) => {
    throw new HttpError(
      404,
      'not_found',
      `no route ${req.method} ${pathOf(req.url)}; GET /api/openapi.json lists the API`
    );
  });

  app.get('/metrics', async (_req, reply) => {
    reply.type(metrics.contentType);
    return metrics.text();
  });
  registerRoutes(app, routes, { validateResponses: deps.validateResponses });
  return app;
}
