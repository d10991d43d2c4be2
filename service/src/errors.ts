/**
 * Typed errors. Every error a user can cause carries a message that says what is wrong, where, and
 * how to fix it; the CLI and HTTP boundaries translate them once (no stack trace unless --verbose).
 */
export type ErrorCode =
  | 'config_invalid'
  | 'storage_unreachable'
  | 'storage_auth'
  | 'storage_not_writable'
  | 'storage_locked'
  | 'storage_query'
  | 'storage_schema'
  /** A metric's HTTP source (Prometheus, scrape target) is down, timed out or answered garbage. */
  | 'source_unreachable'
  /** The source refused the credentials. */
  | 'source_auth'
  /** The source understood the request and refused it (bad PromQL, too many series, size limit). */
  | 'source_query'
  /** Grafana (alert-rule sync) is down, timed out or answered something that is not its API. */
  | 'grafana_unreachable'
  /** Grafana refused the service-account token (401/403). */
  | 'grafana_auth'
  /** Grafana understood the request and refused it (400, 404, 409 …), with its own message. */
  | 'grafana_request'
  | 'usage'
  | 'not_found'
  | 'conflict'
  /** Work stopped on purpose (shutdown); it resumes on the next run. */
  | 'cancelled'
  | 'internal';

export class DtkError extends Error {
  readonly code: ErrorCode;
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DtkError';
    this.code = code;
    this.details = options?.details;
  }
}

export class StorageError extends DtkError {
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(code, message, options);
    this.name = 'StorageError';
  }
}

export function isDtkError(e: unknown): e is DtkError {
  return e instanceof DtkError;
}

/** The message of anything thrown, for logs and error lines. */
export function errorMessage(e: unknown): string {
  if (e instanceof Error) {
    return e.message;
  }
  return String(e);
}
