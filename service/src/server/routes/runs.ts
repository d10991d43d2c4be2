import { z } from 'zod';
import { runListQuerySchema, runListResponseSchema } from '../../../../common/api/runList';
import { runInfoSchema, runRequestSchema } from '../../../../common/api/runs';
import { DtkError } from '../../errors';
import type { ApiContext } from '../context';
import { route, type AnyRoute } from '../route';
import { metricOr404, nameParams } from './metrics';

const runIdParams = z.object({
  id: z.string({ error: 'run id must be given once' }).min(1).max(200, { error: 'run id is too long' }),
});

/** Start runs and backfills, follow their progress. */
export function runRoutes(ctx: ApiContext): AnyRoute[] {
  return [
    route({
      method: 'POST',
      url: '/api/metrics/:name/runs',
      summary: 'Run a metric now, or backfill / fully refresh a range (409 while it runs)',
      params: nameParams,
      body: runRequestSchema,
      optionalBody: true,
      response: runInfoSchema,
      status: 202,
      errors: [404, 409, 422],
      handler: async ({ params, body }) => {
        const e = metricOr404(ctx, params.name);
        if (!e.loaded) {
          throw new DtkError(
            'config_invalid',
            `Metric '${params.name}' cannot run: ${e.error ?? 'invalid definition'}`
          );
        }
        return ctx.runs.start(params.name, body);
      },
    }),
    route({
      method: 'GET',
      url: '/api/runs/:id',
      summary: 'One run and its progress',
      params: runIdParams,
      response: runInfoSchema,
      errors: [404],
      handler: async ({ params }) => {
        const r = ctx.runs.get(params.id);
        if (!r) {
          throw new DtkError('not_found', `Run '${params.id}' not found (runs are kept in memory for a while)`);
        }
        return r;
      },
    }),
    route({
      method: 'GET',
      url: '/api/runs',
      summary: 'Recent runs, newest first (scheduled ones included)',
      query: runListQuerySchema,
      response: runListResponseSchema,
      handler: async ({ query }) => ({ runs: ctx.runs.list({ metric: query.metric, limit: query.limit }) }),
    }),
  ];
}
