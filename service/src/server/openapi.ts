import { z } from 'zod';
import { apiErrorSchema } from '../../../common/api/health';
import { metricDefinitionSchema } from '../../../common/api/metrics';
import { metricConfigSchema } from '../../../common/config/metric';
import type { AnyRoute } from './route';

/**
 * `GET /api/openapi.json`: OpenAPI 3.1 generated from the route table and its zod schemas (zod 4's JSON Schema
 * output is draft 2020-12, which OpenAPI 3.1 uses as is). Request schemas are described as clients send them
 * (`io: 'input'`), responses as the server sends them.
 */
type Json = Record<string, unknown>;

const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  400: 'Invalid request (details.issues lists each problem)',
  401: 'Missing or invalid bearer token',
  404: 'Not found',
  409: 'Conflict (read-only metric, version mismatch, run in progress)',
  413: 'Request body too large',
  422: 'The definition or its source is invalid (details.issues)',
  429: 'Too many concurrent requests of this kind',
  500: 'Internal error',
  502: 'A source (Prometheus, scrape target) failed',
  503: 'Storage unavailable',
};

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Json {
  const out = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
    // A definition is validated by the metric loader; document it as the metric file schema it must satisfy.
    override: (ctx) => {
      if (ctx.zodSchema === metricDefinitionSchema) {
        Object.assign(ctx.jsonSchema, metricDefinitionJson());
      }
    },
  }) as Json;
  delete out.$schema;
  return out;
}

let definitionJson: Json | undefined;
function metricDefinitionJson(): Json {
  if (!definitionJson) {
    definitionJson = z.toJSONSchema(metricConfigSchema, { io: 'input', unrepresentable: 'any' }) as Json;
    delete definitionJson.$schema;
    definitionJson.description = 'The JSON form of a metric YAML file (docs/configuration.md).';
  }
  return definitionJson;
}

function queryParameters(schema: z.ZodType | undefined, where: 'query' | 'path'): Json[] {
  if (!schema) {
    return [];
  }
  const js = jsonSchema(schema, 'input');
  const props = (js.properties ?? {}) as Record<string, Json>;
  const required = new Set((js.required as string[] | undefined) ?? []);
  return Object.entries(props).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    schema: s,
  }));
}

export function openApiDocument(routes: readonly AnyRoute[], version: string): Json {
  const paths: Record<string, Record<string, Json>> = {};
  const errorBody = { 'application/json': { schema: jsonSchema(apiErrorSchema, 'output') } };
  for (const r of routes) {
    const path = r.url.replace(/:(\w+)/g, '{$1}');
    const status = r.status ?? 200;
    const responses: Record<string, Json> = {
      [status]: {
        description: STATUS_TEXT[status] ?? 'OK',
        content: { 'application/json': { schema: jsonSchema(r.response, 'output') } },
      },
    };
    for (const code of [400, ...(r.public ? [] : [401]), ...(r.errors ?? []), 500]) {
      responses[code] = { description: STATUS_TEXT[code] ?? 'Error', content: errorBody };
    }
    paths[path] = {
      ...paths[path],
      [r.method.toLowerCase()]: {
        summary: r.summary,
        ...(r.public ? { security: [] } : {}),
        parameters: [...queryParameters(r.params, 'path'), ...queryParameters(r.query, 'query')],
        ...(r.body
          ? {
              requestBody: {
                required: !r.optionalBody,
                content: { 'application/json': { schema: jsonSchema(r.body, 'input') } },
              },
            }
          : {}),
        responses,
      },
    };
  }
  paths['/metrics'] = {
    get: {
      summary: 'Prometheus metrics of the service (text exposition format)',
      responses: {
        200: { description: 'OK', content: { 'text/plain': { schema: { type: 'string' } } } },
        401: { description: STATUS_TEXT[401], content: errorBody },
      },
    },
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'dtk service API',
      version,
      description:
        'The detectkit for Grafana companion service (DESIGN §10). Every call except health, readiness and this document needs `Authorization: Bearer <token>`.',
    },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    security: [{ bearer: [] }],
    paths,
  };
}
