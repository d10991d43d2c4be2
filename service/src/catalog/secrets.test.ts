import { REDACTED } from '../../../common/api/metrics';
import { redactDefinition, restoreSecrets } from './secrets';

const def = {
  name: 'up',
  interval: '1min',
  source: {
    type: 'prometheus',
    url: 'http://prom:9090',
    query: 'up',
    bearer_token: 'tok-literal',
    basic_auth: { username: 'u', password: '${PROM_PASSWORD}' },
    headers: { 'X-Scope-OrgID': 'tenant-1', Authorization: "{{ env_var('AUTH') }}" },
  },
};

describe('redactDefinition', () => {
  it('hides literal secrets and keeps environment references', () => {
    const r = redactDefinition(def) as typeof def;
    expect(r.source.bearer_token).toBe(REDACTED);
    expect(r.source.basic_auth.password).toBe('${PROM_PASSWORD}');
    expect(r.source.headers['X-Scope-OrgID']).toBe(REDACTED);
    expect(r.source.headers.Authorization).toBe("{{ env_var('AUTH') }}");
    expect(r.source.url).toBe('http://prom:9090');
    expect(def.source.bearer_token).toBe('tok-literal'); // the input is not touched
  });

  it('leaves definitions without a source alone', () => {
    expect(redactDefinition({ name: 'a', query: 'SELECT 1' })).toEqual({ name: 'a', query: 'SELECT 1' });
  });
});

describe('restoreSecrets', () => {
  it('puts the saved values back where the client sent the placeholder', () => {
    const edited = redactDefinition(def) as typeof def;
    edited.source.query = 'up == 1';
    const r = restoreSecrets(edited, def) as typeof def;
    expect(r.source.bearer_token).toBe('tok-literal');
    expect(r.source.headers['X-Scope-OrgID']).toBe('tenant-1');
    expect(r.source.query).toBe('up == 1');
  });

  it('refuses a placeholder with no saved value behind it', () => {
    const edited = redactDefinition(def) as typeof def;
    (edited.source.headers as Record<string, string>)['X-New'] = REDACTED;
    expect(() => restoreSecrets(edited, def)).toThrow(/source\.headers\.X-New is '\[redacted\]' but no saved value/);
    expect(() => restoreSecrets(redactDefinition(def), null)).toThrow(/no saved value/);
  });
});
