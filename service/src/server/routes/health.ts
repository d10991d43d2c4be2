import { z } from 'zod';
import { healthResponseSchema, readyResponseSchema, type ReadyResponse } from '../../../../common/api/health';
import type { ApiContext } from '../context';
import { HttpError } from '../httpErrors';
import { route, type AnyRoute } from '../route';

/** Liveness, readiness (both without a token) and the API description. */
export function healthRoutes(ctx: ApiContext, openApi: () => Record<string, unknown>): AnyRoute[] {
  const kind = ctx.store.location.kind;
  return [
    route({
      method: 'GET',
      url: '/api/health',
      summary: 'Liveness: the service answers; degraded when the last metric reload failed or storage is down',
      public: true,
      response: healthResponseSchema,
      handler: async () => {
        const storage = await ctx.storageProbe();
        return {
          status: ctx.catalog.lastError || !storage.ok ? ('degraded' as const) : ('ok' as const),
          version: ctx.version,
          storage: { kind, ok: storage.ok },
        };
      },
    }),
    route({
      method: 'GET',
      url: '/api/ready',
      summary: 'Readiness: 200 when storage answers, else 503 (details: the same report)',
      public: true,
      response: readyResponseSchema,
      errors: [503],
      handler: async () => {
        const storage = await ctx.storageProbe();
        const list = ctx.catalog.list();
        const report: ReadyResponse = {
          ready: storage.ok,
          storage: { kind, ok: storage.ok, ...(storage.error ? { error: storage.error } : {}) },
          catalog: {
            metrics: list.length,
            invalid: list.filter((m) => !m.loaded).length,
            // Public: say that reloading fails, not what the files contain.
            ...(ctx.catalog.lastError
              ? { error: 'the last reload of metric definitions failed; the service log has the cause' }
              : {}),
          },
        };
        if (!storage.ok) {
          throw new HttpError(
            503,
            'not_ready',
            'not ready: storage did not answer; the service log has the cause',
            report
          );
        }
        return report;
      },
    }),
    route({
      method: 'GET',
      url: '/api/openapi.json',
      summary: 'This API as OpenAPI 3.1',
      public: true,
      response: z.record(z.string(), z.unknown()),
      handler: async () => openApi(),
    }),
  ];
}
