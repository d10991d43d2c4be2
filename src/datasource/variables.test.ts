import type { MetricDetail, MetricSummary } from '../../common/api/metrics';
import { detailValues, listValues, parseVariableQuery } from './variables';

describe('parseVariableQuery', () => {
  test.each([
    ['', { kind: 'metrics' }],
    ['metrics()', { kind: 'metrics' }],
    [' metrics( api ) ', { kind: 'metrics', tag: 'api' }],
    ['metrics("team a")', { kind: 'metrics', tag: 'team a' }],
    ['tags()', { kind: 'tags' }],
    ['detectors(cpu)', { kind: 'detectors', metric: 'cpu' }],
    ['series(up{job="node"})', { kind: 'series', metric: 'up{job="node"}' }],
  ])('%p', (q, expected) => {
    expect(parseVariableQuery(q)).toEqual(expected);
  });

  test('unknown functions and missing arguments are explained', () => {
    expect(() => parseVariableQuery('labels()')).toThrow(/metrics\(\), metrics\(<tag>\), tags\(\)/);
    expect(() => parseVariableQuery('detectors()')).toThrow(/needs a metric name/);
  });
});

const summary = (name: string, tags: string[]) => ({ name, tags }) as MetricSummary;

describe('values', () => {
  const metrics = [summary('b_latency', ['api', 'latency']), summary('a_requests', ['api']), summary('queue', [])];
  test('metrics(), metrics(tag) and tags() come from the metric list, sorted', () => {
    expect(listValues({ kind: 'metrics' }, metrics).map((v) => v.text)).toEqual(['a_requests', 'b_latency', 'queue']);
    expect(listValues({ kind: 'metrics', tag: 'latency' }, metrics)).toEqual([
      { text: 'b_latency', value: 'b_latency' },
    ]);
    expect(listValues({ kind: 'tags' }, metrics)).toEqual([
      { text: 'api', value: 'api' },
      { text: 'latency', value: 'latency' },
    ]);
  });

  test('detectors() gives names with ids as values; series() the stored series', () => {
    const detail = {
      name: 'up',
      detectors: [{ id: '0123456789abcdef', type: 'mad', name: 'MADDetector', position: 1 }],
      series: ['up{job="a"}', 'up{job="b"}'],
    } as MetricDetail;
    expect(detailValues({ kind: 'detectors', metric: 'up' }, detail)).toEqual([
      { text: 'MADDetector', value: '0123456789abcdef' },
    ]);
    expect(detailValues({ kind: 'series', metric: 'up' }, detail).map((v) => v.value)).toEqual([
      'up{job="a"}',
      'up{job="b"}',
    ]);
  });
});
