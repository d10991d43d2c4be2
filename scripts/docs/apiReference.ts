import { DtkError } from '../../service/src/errors';
import type { ApiContext } from '../../service/src/server/context';
import { toErrorReply } from '../../service/src/server/httpErrors';
import { openApiDocument } from '../../service/src/server/openapi';
import { apiRoutes } from '../../service/src/server/server';
import { ERROR_CODES, HTTP_ERROR_CODES } from './descriptions';
import { anchor, cell, code, generatedBanner, inlineYaml, prose, table } from './markdown';
import { typeName } from './schemaKeys';

/** docs/reference/api.md from the OpenAPI document the service serves at /api/openapi.json. */

type Json = Record<string, unknown>;

export interface ApiReference {
  markdown: string;
  /** `GET /api/metrics/{name}` … */
  endpoints: string[];
}

/**
 * Building the route table reads only `store.location` (healthRoutes); handlers, which use the rest, never run here.
 * So the reference comes from the same table the server registers, with no store and no server.
 */
const DOCS_CONTEXT = { store: { location: { kind: 'embedded', where: '', database: 'dtk' } } } as unknown as ApiContext;

export function openApiForDocs(): Json {
  return openApiDocument(
    apiRoutes(DOCS_CONTEXT, () => ({})),
    'docs'
  );
}

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const SAFE = Number.MAX_SAFE_INTEGER;
const METRIC_DEFINITION = 'The JSON form of a metric YAML file';

function constraints(s: Json): string[] {
  const out: string[] = [];
  const alts = [s, ...(((s.anyOf ?? s.oneOf) as Json[] | undefined) ?? [])];
  for (const a of alts) {
    if (Array.isArray(a.enum)) {
      out.push(`one of ${a.enum.map((v) => code(inlineYaml(v))).join(', ')}`);
    }
    if (typeof a.minimum === 'number' && a.minimum > -SAFE) {
      out.push(`≥ ${a.minimum}`);
    }
    if (typeof a.maximum === 'number' && a.maximum < SAFE) {
      out.push(`≤ ${a.maximum}`);
    }
    if (typeof a.minLength === 'number' && a.minLength > 0) {
      out.push(`at least ${a.minLength} character${a.minLength === 1 ? '' : 's'}`);
    }
    if (typeof a.maxLength === 'number') {
      out.push(`at most ${a.maxLength} characters`);
    }
    if (typeof a.pattern === 'string') {
      out.push(`pattern ${code(a.pattern)}`);
    }
    if (a.default !== undefined) {
      out.push(`default ${code(inlineYaml(a.default))}`);
    }
  }
  return [...new Set(out)];
}

/** The object branch of a schema (object, or nullable object), if any. */
function objectOf(s: Json): Json | undefined {
  if (s.type === 'object' && isObj(s.properties)) {
    return s;
  }
  const alts = (s.anyOf ?? s.oneOf) as Json[] | undefined;
  return alts?.map(objectOf).find((x) => x !== undefined);
}

function nullable(s: Json): boolean {
  const alts = (s.anyOf ?? s.oneOf) as Json[] | undefined;
  return (
    (Array.isArray(s.type) && s.type.includes('null')) || Boolean(alts?.some((a) => a.type === 'null' || nullable(a)))
  );
}

/** A schema as a nested list of fields (name, type, required, constraints). */
function outline(s: Json, depth = 0, lines: string[] = []): string[] {
  const obj = objectOf(s);
  if (!obj) {
    return lines;
  }
  const required = new Set((obj.required as string[] | undefined) ?? []);
  for (const [name, raw] of Object.entries(obj.properties as Record<string, Json>)) {
    const desc = typeof raw.description === 'string' ? raw.description : undefined;
    const definition = desc?.startsWith(METRIC_DEFINITION);
    const type = definition ? 'metric definition' : typeName(raw).replace(/mapping/g, 'object');
    const bits = [type + (nullable(raw) ? ' or null' : ''), required.has(name) ? 'required' : 'optional'];
    const extra = constraints(raw);
    const note = definition
      ? ': the JSON form of a metric file, validated like one ([configuration reference](configuration.md#metric-files-metricsyml-yaml))'
      : desc
        ? `: ${prose(desc)}`
        : '';
    lines.push(
      `${'  '.repeat(depth)}- ${code(name)} (${bits.join(', ')})${extra.length ? ` ${extra.join('; ')}` : ''}${note}`
    );
    if (definition || depth >= 4) {
      continue;
    }
    const item = raw.type === 'array' && isObj(raw.items) ? raw.items : undefined;
    const inner = item ?? raw;
    if (objectOf(inner)) {
      outline(inner, depth + 1, lines);
    }
  }
  return lines;
}

function schemaOf(content: unknown): Json | undefined {
  const c = isObj(content) ? (content['application/json'] as Json | undefined) : undefined;
  return c && isObj(c.schema) ? c.schema : undefined;
}

function endpointSection(method: string, path: string, op: Json, out: string[]): void {
  out.push(`### ${code(`${method.toUpperCase()} ${path}`)}`, prose(String(op.summary ?? '')));
  const isPublic = Array.isArray(op.security) && op.security.length === 0;
  const writes = method !== 'get';
  out.push(
    `Auth: ${isPublic ? 'none (public)' : '`Authorization: Bearer <token>`'}.` +
      (isPublic || !path.startsWith('/api/')
        ? ''
        : ` Through Grafana's app proxy: the ${writes ? 'Editor' : 'Viewer'} role.`)
  );
  const params = (op.parameters as Json[] | undefined) ?? [];
  if (params.length) {
    out.push(
      table(
        ['Parameter', 'In', 'Required', 'Type', 'Constraints'],
        params.map((p) => {
          const s = (p.schema as Json) ?? {};
          return [
            code(String(p.name)),
            String(p.in),
            p.required ? 'yes' : 'no',
            cell(typeName(s)),
            cell(constraints(s).join('; ') || '—'),
          ];
        })
      )
    );
  }
  const body = isObj(op.requestBody) ? op.requestBody : undefined;
  if (body) {
    const s = schemaOf(body.content);
    out.push(`Request body (JSON${body.required ? '' : ', optional'}):`);
    const lines = s ? outline(s) : [];
    out.push(lines.length ? lines.join('\n') : 'any JSON value.');
  }
  const responses = (op.responses as Record<string, Json>) ?? {};
  for (const [status, r] of Object.entries(responses)) {
    if (Number(status) >= 400) {
      continue;
    }
    const content = isObj(r.content) ? r.content : {};
    const s = schemaOf(content);
    if (s) {
      out.push(`Response \`${status}\` (JSON):`);
      const lines = outline(s);
      out.push(lines.length ? lines.join('\n') : `${typeName(s).replace(/mapping/g, 'object')}.`);
    } else {
      out.push(`Response \`${status}\`: ${Object.keys(content).map(code).join(', ') || 'empty'}.`);
    }
  }
  const errors = Object.entries(responses).filter(([s]) => Number(s) >= 400);
  if (errors.length) {
    out.push(`Errors: ${errors.map(([s, r]) => `\`${s}\` ${prose(String(r.description ?? ''))}`).join('; ')}.`);
  }
}

export function apiReference(): ApiReference {
  const doc = openApiForDocs();
  const paths = doc.paths as Record<string, Record<string, Json>>;
  const endpoints: string[] = [];
  const rows: string[][] = [];
  for (const [path, methods] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const name = `${method.toUpperCase()} ${path}`;
      endpoints.push(name);
      const isPublic = Array.isArray(op.security) && op.security.length === 0;
      rows.push([`[${code(name)}](#${anchor(name)})`, isPublic ? 'none' : 'token', cell(String(op.summary ?? ''))]);
    }
  }
  const out: string[] = [
    generatedBanner('the OpenAPI document of service/src/server (routes and the zod schemas in common/api)'),
    '# HTTP API reference',
    '`dtk serve` serves JSON under `/api` and Prometheus metrics at `/metrics` (docs/serve.md). The running service describes itself at `GET /api/openapi.json` (OpenAPI 3.1, the same document this page is generated from). Timestamps are UTC epoch milliseconds; query parameters `from` / `to` are epoch milliseconds as digits.',
    "**Authentication.** Every call except `/api/health`, `/api/ready` and `/api/openapi.json` needs `Authorization: Bearer <token>` (the token of `DTK_API_TOKEN` or `--token-file`); `/metrics` too, unless the service runs with `--public-metrics`. A missing or wrong token is `401` before routing, so nothing (not even whether a metric exists) is visible without it. The Grafana app reaches the API through its proxy route, which adds the token on Grafana's server: Grafana users with the **Viewer** role can call `GET` endpoints, **Editor** is needed for `POST`, `PUT` and `DELETE` ([security.md](../security.md)).",
    '**Errors** have one shape, `{"error": {"code": "…", "message": "…", "details": {…}}}`; `message` says what to do, `details.issues` lists each problem of an invalid request or definition (`in`, `path`, `message`).',
    '## Endpoints',
    table(['Endpoint', 'Auth', 'Summary'], rows),
    '## Error codes',
    table(
      ['Code', 'Status', 'Meaning'],
      [
        ...(Object.entries(ERROR_CODES) as Array<[keyof typeof ERROR_CODES, string]>).map(([c, text]) => [
          code(c),
          String(toErrorReply(new DtkError(c, 'x'), 'docs').status),
          cell(text),
        ]),
        ...Object.entries(HTTP_ERROR_CODES).map(([c, [status, text]]) => [code(c), String(status), cell(text)]),
      ]
    ),
    '## Endpoint details',
  ];
  for (const [path, methods] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(methods)) {
      endpointSection(method, path, op, out);
    }
  }
  return { markdown: out.join('\n\n') + '\n', endpoints };
}
