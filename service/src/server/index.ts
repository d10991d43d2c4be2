/**
 * The HTTP API of `dtk serve` (DESIGN §10): `buildServer(deps)` returns a fastify instance (not listening);
 * `ServiceMetrics` is the Prometheus registry the scheduler reports runs and alert deliveries into.
 */
export { buildServer } from './server';
export type { ServerDeps } from './server';
export { ServiceMetrics } from './metrics';
export { DEFAULT_LIMITS } from './context';
export type { ApiLimits } from './context';
export { HttpError, toErrorReply } from './httpErrors';
