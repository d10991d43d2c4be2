import { z } from 'zod';
import {
  createMetricRequestSchema,
  deleteMetricQuerySchema,
  deleteMetricResponseSchema,
  metricDetailSchema,
  metricListResponseSchema,
  updateMetricRequestSchema,
} from '../../../../common/api/metrics';
import { metricNameParam } from '../../../../common/api/params';
import type { CatalogEntry } from '../../catalog';
import { DtkError } from '../../errors';
import type { ApiContext } from '../context';
import { detail, summarize } from '../present';
import { readSeriesNames } from '../reads';
import { route, type AnyRoute } from '../route';
import type { FastifyRequest } from 'fastify';

export const nameParams = z.object({ name: metricNameParam });

/**
 * Who saved a UI metric: Grafana's proxy passes the signed-in user as X-Grafana-User (when configured). It is a
 * label for the history, not an identity check: the bearer token is the only credential.
 */
export function authorOf(req: FastifyRequest): string {
  const h = req.headers['x-grafana-user'];
  const user = (Array.isArray(h) ? h[0] : h)?.trim();
  return user ? user.slice(0, 200) : 'api';
}

/** The catalog metric a path names (a fan-out series resolves to its definition), or 404. */
export function metricOr404(ctx: ApiContext, name: string): CatalogEntry {
  const e = ctx.catalog.resolve(name);
  if (!e) {
    throw new DtkError('not_found', `Metric '${name}' not found`);
  }
  return e;
}

async function seriesOf(ctx: ApiContext, e: CatalogEntry): Promise<string[]> {
  if (e.loaded?.config.source?.type !== 'prometheus') {
    return [];
  }
  return readSeriesNames(ctx.store, e.name);
}

/** List, read, create, update and delete metric definitions. */
export function metricRoutes(ctx: ApiContext): AnyRoute[] {
  return [
    route({
      method: 'GET',
      url: '/api/metrics',
      summary: 'Every metric definition (files and UI) with its schedule status, last point and alert state',
      response: metricListResponseSchema,
      handler: async () => {
        const stats = await ctx.listStats();
        return { metrics: ctx.catalog.list().map((e) => summarize(e, ctx.runs, stats)) };
      },
    }),
    route({
      method: 'GET',
      url: '/api/metrics/:name',
      summary: 'One metric: its definition (secrets redacted), issues and status',
      params: nameParams,
      response: metricDetailSchema,
      errors: [404],
      handler: async ({ params }) => {
        const e = ctx.catalog.get(params.name);
        if (!e) {
          throw new DtkError('not_found', `Metric '${params.name}' not found`);
        }
        return detail(e, ctx.runs, await ctx.listStats(), await seriesOf(ctx, e));
      },
    }),
    route({
      method: 'POST',
      url: '/api/metrics',
      summary: 'Create a UI-managed metric (409 when a file or another UI metric has the name)',
      body: createMetricRequestSchema,
      response: metricDetailSchema,
      status: 201,
      errors: [409, 413, 422],
      handler: async ({ body, req }) => {
        const e = await ctx.catalog.create(body.definition, { author: authorOf(req), comment: body.comment });
        return detail(e, ctx.runs, null, []);
      },
    }),
    route({
      method: 'PUT',
      url: '/api/metrics/:name',
      summary: 'Save a new version of a UI-managed metric (409 for files and on version mismatch)',
      params: nameParams,
      body: updateMetricRequestSchema,
      response: metricDetailSchema,
      errors: [404, 409, 413, 422],
      handler: async ({ params, body, req }) => {
        const e = await ctx.catalog.update(params.name, body.definition, {
          author: authorOf(req),
          comment: body.comment,
          expectedVersion: body.expectedVersion,
        });
        return detail(e, ctx.runs, null, []);
      },
    }),
    route({
      method: 'DELETE',
      url: '/api/metrics/:name',
      summary: 'Delete a UI-managed metric (409 for files); its stored data stays',
      params: nameParams,
      query: deleteMetricQuerySchema,
      response: deleteMetricResponseSchema,
      errors: [404, 409],
      handler: async ({ params, query, req }) => {
        const r = await ctx.catalog.remove(params.name, {
          author: authorOf(req),
          expectedVersion: query.expectedVersion,
        });
        return { name: params.name, deleted: true as const, version: r.version };
      },
    }),
  ];
}
