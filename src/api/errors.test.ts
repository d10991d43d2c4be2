import { normalizeIssuePath, toServiceError } from './errors';

const fetchError = (status: number, data: unknown) => ({ status, data, statusText: '', config: { url: '/x' } });

describe('normalizeIssuePath', () => {
  test.each([
    ['definition.detectors.0.params.threshold', 'detectors[0].params.threshold'],
    ['definition.interval', 'interval'],
    ['definition', ''],
    ['detectors[1].type', 'detectors[1].type'],
    ['tags.2', 'tags[2]'],
    ['detectors.0.params.seasonality_components.1.0', 'detectors[0].params.seasonality_components[1][0]'],
  ])('%s → %s', (raw, expected) => expect(normalizeIssuePath(raw)).toBe(expected));
});

describe('toServiceError', () => {
  test('keeps the service’s own message, code and issues', () => {
    const e = toServiceError(
      fetchError(422, {
        error: {
          code: 'config_invalid',
          message: '2 configuration errors',
          details: {
            issues: [
              { path: 'interval', message: 'bad interval', severity: 'error', line: 3 },
              { in: 'body', path: 'definition.detectors.0.type', message: 'unknown type' },
              { message: 'no path', severity: 'warning' },
              'not an issue',
            ],
          },
        },
      })
    );
    expect(e).toMatchObject({
      kind: 'invalid',
      status: 422,
      code: 'config_invalid',
      message: '2 configuration errors',
    });
    expect(e.issues).toEqual([
      { path: 'interval', message: 'bad interval', severity: 'error' },
      { path: 'detectors[0].type', message: 'unknown type', severity: 'error' },
      { message: 'no path', severity: 'warning' },
    ]);
  });

  test('tells a refused token from an unreachable service', () => {
    expect(
      toServiceError(fetchError(401, { error: { code: 'unauthorized', message: 'missing or invalid bearer token' } }))
        .kind
    ).toBe('unauthorized');
    const down = toServiceError(fetchError(502, { message: 'Bad Gateway' }));
    expect(down.kind).toBe('unreachable');
    expect(down.message).toMatch(/not reachable through Grafana \(HTTP 502\)/);
    // A 502 with the service's body is the service talking about its source, not the proxy failing.
    expect(
      toServiceError(fetchError(502, { error: { code: 'source_unreachable', message: 'Prometheus did not answer' } }))
    ).toMatchObject({ kind: 'service', message: 'Prometheus did not answer' });
  });

  test('Grafana’s role check and other failures', () => {
    expect(toServiceError(fetchError(403, { message: 'plugin proxy route access denied' })).kind).toBe('forbidden');
    expect(toServiceError(fetchError(500, { message: 'Unsupported protocol scheme' })).message).toBe(
      'HTTP 500: Unsupported protocol scheme'
    );
    expect(toServiceError(new Error('boom'))).toMatchObject({ kind: 'service', message: 'boom' });
  });
});
