import { of, throwError } from 'rxjs';
import { dateTime, type DataQueryRequest, type DataSourceInstanceSettings } from '@grafana/data';
import type { SeriesResponse } from '../../common/api/series';
import { DataSource } from './datasource';
import type { AnomalyDataSourceOptions, AnomalyQuery } from './types';

/**
 * The data source against a stand-in for Grafana's backend service that answers like the dtk API (shapes from
 * common/api) and records what was asked. Template variables: `$metric` is multi-valued.
 */
const calls: Array<{ url: string; params?: Record<string, unknown> }> = [];
let answer: (url: string) => unknown;

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({
    fetch: (o: { url: string; params?: Record<string, unknown> }) => {
      calls.push({ url: o.url, params: o.params });
      try {
        return of({ data: answer(o.url), status: 200 });
      } catch (e) {
        return throwError(() => e);
      }
    },
  }),
  getTemplateSrv: () => ({
    replace: (s: string, _vars: unknown, format?: (v: string | string[]) => string) =>
      s.replace('$metric', format ? format(['cpu', 'mem']) : 'cpu,mem').replace('$tag', 'api'),
    getVariables: () => [],
  }),
}));

const ds = new DataSource({
  id: 1,
  uid: 'dtk',
  type: 'detectkit-anomaly-datasource',
  name: 'dtk',
  url: '/api/datasources/proxy/uid/dtk',
  jsonData: {},
  meta: {},
  access: 'proxy',
  readOnly: false,
} as unknown as DataSourceInstanceSettings<AnomalyDataSourceOptions>);

const request = (targets: AnomalyQuery[]) =>
  ({
    targets,
    range: { from: dateTime(1_000), to: dateTime(9_000), raw: { from: 'now-1h', to: 'now' } },
    scopedVars: {},
  }) as unknown as DataQueryRequest<AnomalyQuery>;

const series = (metric: string): SeriesResponse => ({
  metric,
  timestamps: [1000, 2000],
  values: [1, 2],
  detectors: [
    {
      detectorId: 'abcdef0123456789',
      detectorName: 'MADDetector',
      lower: [0, 0],
      upper: [3, 3],
      anomaly: [false, true],
      score: [null, null],
    },
  ],
});

const metricList = {
  metrics: [
    { name: 'cpu', tags: ['api'], intervalSeconds: 60 },
    { name: 'mem', tags: [], intervalSeconds: 60 },
  ].map((m) => ({
    origin: 'file',
    relPath: `metrics/${m.name}.yml`,
    version: 0,
    valid: true,
    description: null,
    sourceType: 'clickhouse',
    detectors: [],
    enabled: true,
    alerting: { enabled: false, channels: [] },
    status: null,
    lastPoint: null,
    alertState: null,
    ...m,
  })),
};

beforeEach(() => {
  calls.length = 0;
});

test('a series query per metric of a multi-value variable, through the data source proxy', async () => {
  answer = (url) => series(decodeURIComponent(url.split('/metrics/')[1]!.split('/')[0]!));
  const res = await ds.query(request([{ refId: 'A', metric: '$metric' }]));
  expect(calls.map((c) => c.url)).toEqual([
    '/api/datasources/proxy/uid/dtk/api/metrics/cpu/series',
    '/api/datasources/proxy/uid/dtk/api/metrics/mem/series',
  ]);
  expect(calls[0]!.params).toEqual({ from: 1000, to: 9000 });
  expect(res.data.map((f) => f.name)).toEqual(['cpu', 'mem']);
  expect(
    res.data[0].fields.find((f: { name: string }) => f.name === 'cpu MADDetector upper').config.custom.fillBelowTo
  ).toBe('cpu MADDetector lower');
});

test('an answer of the wrong shape fails with the metric and what was wrong', async () => {
  answer = () => ({ metric: 'cpu', timestamps: 'nope' });
  await expect(ds.query(request([{ refId: 'A', metric: 'cpu' }]))).rejects.toThrow(
    /^cpu: unexpected answer from the dtk service for \/metrics\/cpu\/series \(timestamps:/
  );
});

test('service errors carry the service message', async () => {
  answer = () => {
    throw { status: 404, data: { error: { code: 'not_found', message: 'no metric "nope"' } } };
  };
  await expect(ds.query(request([{ refId: 'A', metric: 'nope' }]))).rejects.toThrow('nope: no metric "nope"');
});

test('anomalies for annotations: detections with anomalies=true, merged by the metric interval', async () => {
  answer = (url) =>
    url.endsWith('/metrics')
      ? metricList
      : {
          metric: 'cpu',
          truncated: false,
          detections: [60_000, 120_000].map((timestamp) => ({
            detectorId: 'abcdef0123456789',
            detectorName: 'MADDetector',
            timestamp,
            isAnomaly: true,
            value: 9,
            lower: 0,
            upper: 3,
            processedValue: 9,
            score: 5,
            metadata: {},
          })),
        };
  const res = await ds.query(request([{ refId: 'A', metric: 'cpu', queryType: 'anomalies' }]));
  const detections = calls.find((c) => c.url.endsWith('/detections'))!;
  expect(detections.params).toEqual({ from: 1000, to: 9000, anomalies: true, limit: 10_000 });
  expect(res.data[0].length).toBe(1);
  expect(Array.from(res.data[0].fields.find((f: { name: string }) => f.name === 'timeEnd').values)).toEqual([120_000]);
});

test('alerts of all metrics when no metric is given', async () => {
  answer = () => ({ alerts: [] });
  const res = await ds.query(request([{ refId: 'A', metric: '', queryType: 'alerts' }]));
  expect(calls).toEqual([{ url: '/api/datasources/proxy/uid/dtk/api/alerts', params: { limit: 1000 } }]);
  expect(res.data[0].name).toBe('dtk alerts');
});

test('a new annotation query starts as anomalies', () => {
  const prepared = ds.annotations!.prepareAnnotation!({ name: 'a', enable: true, iconColor: 'red' } as never);
  expect(prepared.target).toEqual({ refId: 'Anno', metric: '', queryType: 'anomalies' });
});

test('metricFindQuery: metrics with a tag (variables replaced), tags', async () => {
  answer = () => metricList;
  expect(await ds.metricFindQuery('metrics($tag)')).toEqual([{ text: 'cpu', value: 'cpu' }]);
  expect(await ds.metricFindQuery('tags()')).toEqual([{ text: 'api', value: 'api' }]);
});

test('health check: reachable and the token accepted, or what failed', async () => {
  answer = (url) => (url.endsWith('/health') ? { status: 'ok', version: '0.1.0' } : metricList);
  expect(await ds.testDatasource()).toEqual({ status: 'success', message: 'dtk 0.1.0: ok, 2 metrics' });
  answer = (url) => {
    if (url.endsWith('/health')) {
      return { status: 'ok', version: '0.1.0' };
    }
    throw { status: 401, data: { error: { code: 'unauthorized', message: 'missing or wrong bearer token' } } };
  };
  expect(await ds.testDatasource()).toEqual({
    status: 'error',
    message: 'dtk 0.1.0 answers, but the metric list failed: missing or wrong bearer token',
  });
});
