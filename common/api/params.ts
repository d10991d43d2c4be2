import { z } from 'zod';

/**
 * Building blocks for query strings and bodies of the service API. Query strings arrive as text, so numbers are
 * parsed here, strictly: `from=1e3`, `from=12abc` or a repeated `from` are refused with a message, never guessed.
 */

/** Epoch milliseconds beyond year 2286 are certainly a unit mistake (seconds × 1000 twice, microseconds). */
export const MAX_EPOCH_MS = 9_999_999_999_999;

/** Epoch milliseconds in a JSON body. */
export const epochMsSchema = z
  .number({ error: 'must be a time in epoch milliseconds (an integer)' })
  .int({ error: 'must be a time in epoch milliseconds (an integer)' })
  .min(0, { error: 'must not be before 1970-01-01' })
  .max(MAX_EPOCH_MS, { error: 'is too large for epoch milliseconds (is it in microseconds?)' });

/** Epoch milliseconds in a query string (`?from=1700000000000`). */
export const epochMsParam = z
  .string({ error: 'must be given once, as epoch milliseconds' })
  .regex(/^\d{1,13}$/, { error: 'must be a time in epoch milliseconds (digits only)' })
  .transform(Number);

/** A positive integer in a query string, at most `max`. */
export function intParam(max: number) {
  return z
    .string({ error: 'must be given once, as an integer' })
    .regex(/^\d{1,9}$/, { error: 'must be a positive integer' })
    .transform(Number)
    .refine((n) => n >= 1 && n <= max, { error: `must be between 1 and ${max}` });
}

/** `true`/`false` in a query string. */
export const boolParam = z
  .enum(['true', 'false', '1', '0'], { error: 'must be true or false' })
  .transform((s) => s === 'true' || s === '1');

/** A metric name in a path or query: a catalog name, or one series of a fan-out metric (`cpu{instance="a"}`). */
export const metricNameParam = z
  .string({ error: 'metric name must be given once' })
  .min(1, { error: 'metric name cannot be empty' })
  .max(1024, { error: 'metric name is longer than 1024 characters' });

/** `?from=<ms>&to=<ms>`: a half-open range, `from` before `to`. */
export const timeRangeQuerySchema = z
  .object({ from: epochMsParam, to: epochMsParam })
  .refine((r) => r.from < r.to, { error: 'from must be before to', path: ['from'] });

/** Largest nesting of arrays and objects in a JSON value (a scalar is 0). */
export function jsonDepth(v: unknown, limit = 64): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[v, 0]];
  while (stack.length > 0) {
    const [cur, d] = stack.pop()!;
    if (cur === null || typeof cur !== 'object') {
      continue;
    }
    const depth = d + 1;
    max = Math.max(max, depth);
    if (depth > limit) {
      return depth;
    }
    for (const child of Object.values(cur as Record<string, unknown>)) {
      stack.push([child, depth]);
    }
  }
  return max;
}
