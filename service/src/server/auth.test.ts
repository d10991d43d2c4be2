import { bearerCheck, pathOf, PUBLIC_PATHS } from './auth';

describe('bearerCheck', () => {
  const check = bearerCheck('s3cret-token-0123456789');

  it('accepts exactly the token, with any case of the scheme and surrounding blanks', () => {
    expect(check('Bearer s3cret-token-0123456789')).toBe(true);
    expect(check('bearer s3cret-token-0123456789')).toBe(true);
    expect(check('Bearer \ts3cret-token-0123456789 ')).toBe(true);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['scheme only', 'Bearer'],
    ['scheme and blank', 'Bearer '],
    ['wrong token', 'Bearer s3cret-token-0123456788'],
    ['prefix of the token', 'Bearer s3cret-token'],
    ['token plus suffix', 'Bearer s3cret-token-0123456789x'],
    ['no scheme', 's3cret-token-0123456789'],
    ['basic scheme', 'Basic s3cret-token-0123456789'],
    ['two tokens', 'Bearer s3cret-token-0123456789 s3cret-token-0123456789'],
    ['token case changed', 'Bearer S3CRET-TOKEN-0123456789'],
  ])('refuses %s', (_, header) => {
    expect(check(header)).toBe(false);
  });
});

describe('pathOf', () => {
  it('drops the query string and keeps the path as sent', () => {
    expect(pathOf('/api/health?x=1')).toBe('/api/health');
    expect(pathOf('/api/metrics/a%7Bb%7D/series?from=1')).toBe('/api/metrics/a%7Bb%7D/series');
    expect(PUBLIC_PATHS.has(pathOf('/api/health/'))).toBe(false);
    expect(PUBLIC_PATHS.has(pathOf('/api/%68ealth'))).toBe(false);
  });
});
