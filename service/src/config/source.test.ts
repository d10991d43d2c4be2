import { loadMetricFile } from './metricFile';
import { formatIssue } from './issues';
import { makeProject } from './testProject';
import path from 'node:path';

const load = (text: string, env: NodeJS.ProcessEnv = {}) => {
  const root = makeProject({ 'metrics/m.yml': text });
  const r = loadMetricFile(root, path.join(root, 'metrics/m.yml'), { env });
  return {
    r,
    errors: r.issues.filter((i) => i.severity === 'error').map((i) => formatIssue({ ...i, file: 'm.yml' })),
    warnings: r.issues.filter((i) => i.severity === 'warning').map((i) => formatIssue({ ...i, file: 'm.yml' })),
  };
};

const PROM = `name: cpu
interval: 1min
source:
  type: prometheus
  url: http://127.0.0.1:9090
  query: rate(node_cpu_seconds_total{mode="idle"}[1m])
`;

describe('metric source:', () => {
  it('a prometheus source: defaults, no unknown-key warnings', () => {
    const { r, errors, warnings } = load(PROM);
    expect(errors).toEqual([]);
    expect(warnings).toEqual([]);
    expect(r.ok && r.metric.config.source).toEqual({
      type: 'prometheus',
      url: 'http://127.0.0.1:9090',
      query: 'rate(node_cpu_seconds_total{mode="idle"}[1m])',
      max_series: 100,
    });
  });

  it('secrets are interpolated from the environment; the PromQL is not', () => {
    const { r, errors, warnings } = load(
      `${PROM}  bearer_token: \${TOKEN}\n  basic_auth: {username: u, password: "\${PW}"}\n  headers: {X-Scope-OrgID: "\${ORG}"}\n  timeout: 10s\n  step: 1min\n  max_series: 5\n`,
      { TOKEN: 't0k', PW: 'secret', ORG: 'team' }
    );
    expect(errors).toEqual([]);
    expect(warnings).toEqual([]);
    expect(r.ok && r.metric.config.source).toMatchObject({
      bearer_token: 't0k',
      basic_auth: { username: 'u', password: 'secret' },
      headers: { 'X-Scope-OrgID': 'team' },
      timeout: '10s',
      step: '1min',
      max_series: 5,
    });
  });

  it('an unset secret variable is an error naming the variable', () => {
    const { errors } = load(`${PROM}  bearer_token: \${NOPE_TOKEN}\n`);
    expect(errors).toEqual([
      expect.stringMatching(/m\.yml:7:\d+: source\.bearer_token: environment variable NOPE_TOKEN/),
    ]);
  });

  it('a scrape source', () => {
    const { r, errors, warnings } = load(
      `name: load\ninterval: 10s\nsource:\n  type: scrape\n  url: http://127.0.0.1:9100/metrics\n  sample: node_load1\n  labels: {instance: a}\n  timeout: 2\n`
    );
    expect(errors).toEqual([]);
    expect(warnings).toEqual([]);
    expect(r.ok && r.metric.config.source).toEqual({
      type: 'scrape',
      url: 'http://127.0.0.1:9100/metrics',
      sample: 'node_load1',
      labels: { instance: 'a' },
      timeout: 2,
    });
  });

  it('exactly one of query, query_file, source', () => {
    expect(load(`${PROM}query: SELECT 1\n`).errors).toEqual([
      expect.stringMatching(
        /query: 'query' cannot be used with source type 'prometheus': the query goes in source\.query/
      ),
    ]);
    expect(load('name: a\ninterval: 60\n').errors).toEqual([
      "m.yml:1:1: Either 'query' or 'query_file' must be specified",
    ]);
    // The implicit SQL source spelled out still needs its query.
    expect(load('name: a\ninterval: 60\nsource: {type: clickhouse}\n').errors).toEqual([
      "m.yml:1:1: Either 'query' or 'query_file' must be specified",
    ]);
    expect(load('name: a\ninterval: 60\nsource: {type: clickhouse}\nquery: SELECT 1\n').errors).toEqual([]);
  });

  it('clear messages for bad sources', () => {
    expect(load('name: a\ninterval: 60\nsource: {type: influx}\n').errors).toEqual([
      expect.stringMatching(
        /source(\.type)?: source\.type must be one of: prometheus, scrape, clickhouse; got 'influx'/
      ),
    ]);
    expect(load('name: a\ninterval: 60\nsource: {type: prometheus, url: localhost:9090, query: up}\n').errors).toEqual([
      expect.stringMatching(/source\.url: source\.url must be an http\(s\) URL.*got 'localhost:9090'/),
    ]);
    expect(load('name: a\ninterval: 60\nsource: {type: prometheus, url: "http://x"}\n').errors).toEqual([
      expect.stringMatching(/source\.query: missing required key 'query': a PromQL expression/),
    ]);
    expect(load('name: a\ninterval: 60\nsource: {type: scrape, url: "http://x", sample: "a b"}\n').errors).toEqual([
      expect.stringMatching(/source\.sample: source\.sample must be a metric name/),
    ]);
    expect(
      load('name: a\ninterval: 60\nsource: {type: prometheus, url: "http://x", query: up, max_series: 0}\n').errors
    ).toEqual([expect.stringMatching(/source\.max_series must be at least 1/)]);
    expect(
      load('name: a\ninterval: 60\nsource: {type: prometheus, url: "http://x", query: up, timeout: soon}\n').errors
    ).toEqual([expect.stringMatching(/source\.timeout must be a duration.*got 'soon'/)]);
  });

  it('an unknown key inside source: is a warning with a hint', () => {
    const { warnings, errors } = load(`${PROM}  bearer_tokn: x\n`);
    expect(errors).toEqual([]);
    expect(warnings).toEqual([expect.stringMatching(/unknown key 'bearer_tokn' \(did you mean 'bearer_token'\?\)/)]);
  });
});
