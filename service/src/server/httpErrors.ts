import type { z } from 'zod';
import type { ApiError as ApiErrorBody } from '../../../common/api/health';
import { isDtkError, type ErrorCode } from '../errors';

/**
 * The HTTP boundary's one translation of errors into `{"error": {"code", "message", "details"}}`. DtkErrors keep
 * their code; conditions that exist only over HTTP (no token, a range too large, a malformed request) are
 * HttpErrors. Anything else is a 500 whose body says nothing about the cause (the log has it).
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** Who must act decides the status: the client (4xx), an upstream the service depends on (502/503), or us (500). */
const STATUS: Record<ErrorCode, number> = {
  usage: 400,
  config_invalid: 422,
  not_found: 404,
  conflict: 409,
  source_query: 422,
  source_unreachable: 502,
  source_auth: 502,
  grafana_unreachable: 502,
  grafana_auth: 502,
  grafana_request: 502,
  storage_unreachable: 503,
  storage_auth: 503,
  storage_not_writable: 503,
  storage_locked: 503,
  storage_schema: 503,
  storage_query: 500,
  /** Work stopped because the service is shutting down: try again (on another replica). */
  cancelled: 503,
  internal: 500,
};

/** Fastify's own client errors (body parsing, content type, …) by status: their messages are safe to show. */
const FASTIFY_CODES: Record<number, string> = {
  400: 'bad_request',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  414: 'uri_too_long',
  415: 'unsupported_media_type',
  431: 'headers_too_large',
};

/** The router's refusals, reworded: fastify's own messages echo the whole (possibly huge) path. */
const ROUTER_MESSAGES: Record<string, [number, string, string]> = {
  FST_ERR_BAD_URL: [400, 'bad_request', 'the URL is not valid: a percent-encoding in the path is malformed'],
  FST_ERR_MAX_PARAM_LENGTH: [
    414,
    'uri_too_long',
    'a path parameter (metric name or run id) is longer than 2048 characters',
  ],
};

export interface ErrorReply {
  status: number;
  body: ApiErrorBody;
  /** Whether the cause belongs in the error log (a 5xx) rather than being the client's mistake. */
  serverFault: boolean;
}

function body(code: string, message: string, details?: unknown): ApiErrorBody {
  return { error: { code, message, ...(details === undefined ? {} : { details }) } };
}

export function toErrorReply(e: unknown, requestId: string): ErrorReply {
  if (e instanceof HttpError) {
    return { status: e.status, body: body(e.code, e.message, e.details), serverFault: e.status >= 500 };
  }
  if (isDtkError(e)) {
    const status = STATUS[e.code] ?? 500;
    if (status === 500) {
      return internal(requestId);
    }
    return { status, body: body(e.code, e.message, publicDetails(e.details)), serverFault: status >= 500 };
  }
  const fe = e as { statusCode?: unknown; code?: unknown; message?: unknown; name?: unknown };
  const routerMessage = ROUTER_MESSAGES[String(fe?.code)];
  if (routerMessage) {
    const [status, code, message] = routerMessage;
    return { status, body: body(code, message), serverFault: false };
  }
  if (typeof fe?.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    const code =
      fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || fe.name === 'SyntaxError'
        ? 'invalid_json'
        : (FASTIFY_CODES[fe.statusCode] ?? 'bad_request');
    return { status: fe.statusCode, body: body(code, String(fe.message ?? 'bad request')), serverFault: false };
  }
  return internal(requestId);
}

function internal(requestId: string): ErrorReply {
  return {
    status: 500,
    body: body('internal', `internal error; the service log has the cause (request ${requestId})`, { requestId }),
    serverFault: true,
  };
}

/** Details travel to the client only as plain JSON data (never a cause, never an Error with its stack). */
function publicDetails(d: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!d) {
    return undefined;
  }
  try {
    return JSON.parse(JSON.stringify(d, (k, v: unknown) => (v instanceof Error || k === 'cause' ? undefined : v)));
  } catch {
    return undefined;
  }
}

export type RequestPart = 'params' | 'query' | 'body';

/** A request that does not match its schema: 400 with every issue (where, key path, message). */
export function invalidRequest(part: RequestPart, error: z.ZodError): HttpError {
  const issues = error.issues.slice(0, 50).map((i) => ({
    in: part,
    path: i.path.map(String).join('.'),
    message: i.message,
  }));
  const first = issues
    .slice(0, 5)
    .map((i) => `${part}${i.path ? `.${i.path}` : ''}: ${i.message}`)
    .join('; ');
  return new HttpError(400, 'invalid_request', `invalid request: ${first}`, { issues });
}

export const unauthorized = () =>
  new HttpError(401, 'unauthorized', 'missing or invalid bearer token (Authorization: Bearer <token>)');
