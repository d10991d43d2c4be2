import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Bearer-token check. Both sides are hashed first, so the comparison is constant-time and of equal length
 * whatever the client sends (timingSafeEqual refuses unequal lengths, and the length itself must not leak).
 */
export function bearerCheck(token: string): (authorization: string | undefined) => boolean {
  const expected = createHash('sha256').update(token, 'utf8').digest();
  return (authorization) => {
    const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization ?? '');
    const got = createHash('sha256')
      .update(m?.[1] ?? '', 'utf8')
      .digest();
    // Evaluated even without a token, so a missing header costs the same as a wrong one.
    const same = timingSafeEqual(expected, got);
    return same && m !== null;
  };
}

/** Paths served without a token: liveness, readiness and the API description (nothing about metrics). */
export const PUBLIC_PATHS = new Set(['/api/health', '/api/ready', '/api/openapi.json']);

/** The request path without its query string, as the client sent it (no decoding: routing sees the same text). */
export function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}
