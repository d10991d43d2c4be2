import { z } from 'zod';
import { ConfigError } from '../config';
import { DtkError, StorageError } from '../errors';
import { HttpError, invalidRequest, toErrorReply } from './httpErrors';

describe('toErrorReply', () => {
  it.each([
    ['usage', 400],
    ['config_invalid', 422],
    ['not_found', 404],
    ['conflict', 409],
    ['source_query', 422],
    ['source_unreachable', 502],
    ['storage_unreachable', 503],
  ] as const)('maps DtkError %s to %i with its message', (code, status) => {
    const r = toErrorReply(new DtkError(code, `the ${code} message`), 'req-1');
    expect(r.status).toBe(status);
    expect(r.body).toEqual({ error: { code, message: `the ${code} message` } });
  });

  it('never shows the message, cause or stack of an internal failure', () => {
    for (const e of [
      new Error('secret path /etc/x at line 3'),
      new StorageError('storage_query', 'SELECT password FROM users failed'),
      new DtkError('internal', 'invariant broken in foo.ts'),
      'a thrown string',
      null,
    ]) {
      const r = toErrorReply(e, 'req-9');
      expect(r.status).toBe(500);
      expect(r.serverFault).toBe(true);
      expect(r.body.error.code).toBe('internal');
      expect(JSON.stringify(r.body)).not.toMatch(/secret|password|invariant|thrown|at /);
      expect(r.body.error.message).toContain('req-9');
    }
  });

  it('keeps configuration issues as details, without causes', () => {
    const e = new ConfigError([{ file: 'ui:x', path: 'interval', message: 'bad interval', severity: 'error' }]);
    const r = toErrorReply(e, 'r');
    expect(r.status).toBe(422);
    expect(r.body.error.details).toEqual({
      issues: [{ file: 'ui:x', path: 'interval', message: 'bad interval', severity: 'error' }],
    });
    const withCause = toErrorReply(
      new DtkError('conflict', 'x', { cause: new Error('inner'), details: { cause: 'y', v: 1 } }),
      'r'
    );
    expect(withCause.body.error.details).toEqual({ v: 1 });
  });

  it('translates fastify client errors by status', () => {
    expect(toErrorReply(Object.assign(new Error('Body is too large'), { statusCode: 413 }), 'r').body.error.code).toBe(
      'payload_too_large'
    );
    expect(
      toErrorReply(
        Object.assign(new Error('Unexpected token'), { statusCode: 400, code: 'FST_ERR_CTP_INVALID_JSON_BODY' }),
        'r'
      ).body.error.code
    ).toBe('invalid_json');
    expect(toErrorReply(new HttpError(429, 'too_many_previews', 'wait'), 'r').status).toBe(429);
  });
});

describe('invalidRequest', () => {
  it('lists where, key path and message of every issue', () => {
    const r = z.object({ a: z.number(), b: z.object({ c: z.string() }) }).safeParse({ a: 'x', b: { c: 1 } });
    const e = invalidRequest('body', r.error!);
    expect(e.status).toBe(400);
    expect(e.message).toMatch(/^invalid request: body\.a: .*; body\.b\.c: /);
    expect(e.details).toEqual({
      issues: [
        expect.objectContaining({ in: 'body', path: 'a' }),
        expect.objectContaining({ in: 'body', path: 'b.c' }),
      ],
    });
  });
});
