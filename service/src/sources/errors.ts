import { DtkError, type ErrorCode } from '../errors';

/**
 * A problem with a metric's query: its template, its result columns, or the SQL itself. The code says who must act:
 * `config_invalid` for the template, the column mapping and the result types (fix the metric or its SQL), the
 * underlying storage code when the database refused or failed the query.
 */
export class SourceError extends DtkError {
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(code, message, options);
    this.name = 'SourceError';
  }
}
