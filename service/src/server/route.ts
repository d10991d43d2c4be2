import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { HttpError, invalidRequest, type RequestPart } from './httpErrors';

/**
 * One route of the API: its request and response schemas (common/api) and its handler. The same table registers
 * the routes, validates every request before the handler sees it, and generates /api/openapi.json, so the
 * description cannot drift from what the server does.
 */
export interface RouteSpec<P, Q, B> {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Fastify pattern, e.g. `/api/metrics/:name`. */
  url: string;
  summary: string;
  /** Served without a token (health, readiness, this description). */
  public?: boolean;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  /** A missing body is read as `{}` (POST actions whose body is optional). */
  optionalBody?: boolean;
  response: z.ZodType;
  /** Success status (default 200). */
  status?: number;
  /** Error statuses worth documenting besides 400/401/500. */
  errors?: number[];
  handler(input: { params: P; query: Q; body: B; req: FastifyRequest; reply: FastifyReply }): Promise<unknown>;
}

/** A response body already formatted as JSON (large series): sent as is, validated like any other in tests. */
export class RawJson {
  constructor(readonly json: string | Buffer) {}
}

/** A route with its types erased, for tables of routes. */
export type AnyRoute = RouteSpec<unknown, unknown, unknown>;

/** Builds a route, checking the handler against the schemas' output types. */
export function route<P = undefined, Q = undefined, B = undefined>(spec: RouteSpec<P, Q, B>): AnyRoute {
  return spec as unknown as AnyRoute;
}

function parse<T>(part: RequestPart, schema: z.ZodType<T> | undefined, value: unknown): T {
  if (!schema) {
    return undefined as T;
  }
  const r = schema.safeParse(value);
  if (!r.success) {
    throw invalidRequest(part, r.error);
  }
  return r.data;
}

export interface RegisterOptions {
  /** Check every response against its schema (tests): a mismatch is a 500, so a contract break cannot pass. */
  validateResponses?: boolean;
}

export function registerRoutes(app: FastifyInstance, routes: readonly AnyRoute[], opts: RegisterOptions = {}): void {
  for (const r of routes) {
    app.route({
      method: r.method,
      url: r.url,
      handler: async (req, reply) => {
        const params = parse('params', r.params, req.params);
        const query = parse('query', r.query, req.query);
        const body = parse('body', r.body, req.body === undefined && r.optionalBody ? {} : req.body);
        const out = await r.handler({ params, query, body, req, reply });
        if (opts.validateResponses) {
          const check = r.response.safeParse(out instanceof RawJson ? JSON.parse(out.json.toString()) : out);
          if (!check.success) {
            throw new HttpError(
              500,
              'internal',
              `response of ${r.method} ${r.url} breaks its schema: ${check.error.message}`
            );
          }
        }
        reply.code(r.status ?? 200);
        if (out instanceof RawJson) {
          return reply.type('application/json; charset=utf-8').send(out.json);
        }
        return out;
      },
    });
  }
}
