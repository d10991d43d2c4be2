import { z } from 'zod';
import { isFetchError } from '@grafana/runtime';
import { apiErrorSchema } from '../../common/api/health';

/**
 * What went wrong, in the terms a person can act on: the proxy could not reach the service, the service refused
 * Grafana's token, Grafana refused the user (role), or the service answered with an error of its own.
 */
export type ServiceErrorKind =
  'unreachable' | 'unauthorized' | 'forbidden' | 'not_found' | 'conflict' | 'invalid' | 'service' | 'invalid_response';

/** One problem the service found in a request or a definition, its key path in the metric-file form. */
export interface ServiceIssue {
  /** `detectors[0].params.threshold`; absent when the problem is about the whole definition. */
  path?: string;
  message: string;
  severity: 'error' | 'warning';
}

export class ServiceError extends Error {
  readonly kind: ServiceErrorKind;
  readonly status?: number;
  /** The service's error code (`config_invalid`, `conflict`, …) when it sent one. */
  readonly code?: string;
  readonly issues: ServiceIssue[];
  readonly details?: unknown;

  constructor(opts: {
    kind: ServiceErrorKind;
    message: string;
    status?: number;
    code?: string;
    issues?: ServiceIssue[];
    details?: unknown;
  }) {
    super(opts.message);
    this.name = 'ServiceError';
    this.kind = opts.kind;
    this.status = opts.status;
    this.code = opts.code;
    this.issues = opts.issues ?? [];
    this.details = opts.details;
  }
}

// Loose on purpose: issues come from request validation (`in`, `path`) and from definition checks (`severity`,
// `line`); anything unexpected is skipped rather than hiding the message itself.
const issueSchema = z.object({
  path: z.string().optional(),
  message: z.string(),
  severity: z.enum(['error', 'warning']).optional(),
});
const detailsSchema = z.object({ issues: z.array(z.unknown()) });

/**
 * Issue paths in one spelling, the metric file's: request validation reports `definition.detectors.0.type` (zod's
 * path joined with dots), definition checks report `detectors[0].type`.
 */
export function normalizeIssuePath(path: string): string {
  return path
    .replace(/^definition(\.|$)/, '')
    .replace(/\.(\d+)(?=\.|$)/g, '[$1]')
    .replace(/^(\d+)(?=\.|\[|$)/, '[$1]');
}

function issuesOf(details: unknown): ServiceIssue[] {
  const d = detailsSchema.safeParse(details);
  if (!d.success) {
    return [];
  }
  return d.data.issues.flatMap((raw) => {
    const i = issueSchema.safeParse(raw);
    if (!i.success) {
      return [];
    }
    const path = i.data.path === undefined ? undefined : normalizeIssuePath(i.data.path);
    return [{ ...(path ? { path } : {}), message: i.data.message, severity: i.data.severity ?? 'error' }];
  });
}

function kindOfStatus(status: number): ServiceErrorKind {
  if (status === 401) {
    return 'unauthorized';
  }
  if (status === 403) {
    return 'forbidden';
  }
  if (status === 404) {
    return 'not_found';
  }
  if (status === 409) {
    return 'conflict';
  }
  if (status === 400 || status === 413 || status === 422) {
    return 'invalid';
  }
  return 'service';
}

/** Any failure of a proxied call as a ServiceError. */
export function toServiceError(e: unknown): ServiceError {
  if (e instanceof ServiceError) {
    return e;
  }
  if (isFetchError(e)) {
    const body = apiErrorSchema.safeParse(e.data);
    if (body.success) {
      // The service itself answered: its message says what to do.
      const { code, message, details } = body.data.error;
      return new ServiceError({
        kind: kindOfStatus(e.status),
        status: e.status,
        code,
        message,
        issues: issuesOf(details),
        details,
      });
    }
    // No service error body: Grafana (its proxy, or its own checks) answered.
    if (e.status === 502 || e.status === 503 || e.status === 504 || e.status <= 0) {
      return new ServiceError({
        kind: 'unreachable',
        status: e.status,
        message: `the dtk service is not reachable through Grafana (HTTP ${e.status}): check the service URL and that \`dtk serve\` runs`,
      });
    }
    if (e.status === 403) {
      return new ServiceError({
        kind: 'forbidden',
        status: 403,
        message: 'Grafana refused the request (HTTP 403): changing metrics and starting runs needs the Editor role',
      });
    }
    const grafanaMessage = (e.data as { message?: unknown } | undefined)?.message;
    return new ServiceError({
      kind: e.status === 401 ? 'unauthorized' : 'service',
      status: e.status,
      message: `HTTP ${e.status}${e.statusText ? ` ${e.statusText}` : ''}${typeof grafanaMessage === 'string' && grafanaMessage ? `: ${grafanaMessage}` : ''}`,
    });
  }
  return new ServiceError({ kind: 'service', message: e instanceof Error ? e.message : String(e) });
}

/** One readable line for any failure: the service's own error message when it sent one. */
export function describeError(e: unknown): string {
  return toServiceError(e).message;
}
