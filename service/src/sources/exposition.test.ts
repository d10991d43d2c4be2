import { ExpositionError, parseExposition } from './exposition';

describe('parseExposition', () => {
  it('text 0.0.4: comments, HELP/TYPE, labels with escapes, NaN/Inf, timestamps', () => {
    const text = [
      '# HELP node_cpu_seconds_total Seconds the CPUs spent in each mode.',
      '# TYPE node_cpu_seconds_total counter',
      'node_cpu_seconds_total{cpu="0",mode="idle"} 12345.67',
      'node_cpu_seconds_total{ mode = "user" , cpu="0", } 8.9e+01 1700000000123',
      '# a free comment',
      '',
      'weird{path="C:\\\\dir\\"x\\"\\nnext",other="a\\tb"} NaN',
      'up +Inf',
      'down -Inf\r',
      'plain_total 42',
      'h_bucket{le="+Inf"} 3',
    ].join('\n');
    expect(parseExposition(text)).toEqual([
      { name: 'node_cpu_seconds_total', labels: { cpu: '0', mode: 'idle' }, value: 12345.67 },
      {
        name: 'node_cpu_seconds_total',
        labels: { mode: 'user', cpu: '0' },
        value: 89,
        timestampMs: 1700000000123,
      },
      { name: 'weird', labels: { path: 'C:\\dir"x"\nnext', other: 'a\\tb' }, value: NaN },
      { name: 'up', labels: {}, value: Infinity },
      { name: 'down', labels: {}, value: -Infinity },
      { name: 'plain_total', labels: {}, value: 42 },
      { name: 'h_bucket', labels: { le: '+Inf' }, value: 3 },
    ]);
  });

  it('OpenMetrics: float-second timestamps, exemplars, # EOF', () => {
    const text =
      '# TYPE foo counter\n# UNIT foo seconds\nfoo_total{a="b"} 1.5 1700000000.5 # {trace_id="x"} 1 1700000000\n' +
      'foo_created 1700000000\n# EOF\n';
    expect(parseExposition(text)).toEqual([
      { name: 'foo_total', labels: { a: 'b' }, value: 1.5, timestampMs: 1700000000500 },
      { name: 'foo_created', labels: {}, value: 1700000000 },
    ]);
  });

  it.each([
    ['<!DOCTYPE html>\n<html><body>Not Found</body></html>', /line 1: expected a metric name/],
    ['ok 1\nbroken{a="b" 2\n', /line 2: expected , or \} after a label/],
    ['ok 1\nbad{a="b"} one\n', /line 2: invalid sample value "one"/],
    ['ok\n', /line 1: missing sample value/],
    ['ok 1 2 3\n', /line 1: expected a value and an optional timestamp/],
    ['x{a="unterminated} 1\n', /line 1: unterminated value of label a/],
    ['x{a="1",a="2"} 1\n', /duplicate label a/],
    ['x 1\n# EOF\ny 2\n', /line 3: content after # EOF/],
    ['\u0000\u0001binary', /line 1: expected a metric name/],
  ])('garbage is an error with its line: %j', (text, message) => {
    expect(() => parseExposition(text)).toThrow(ExpositionError);
    expect(() => parseExposition(text)).toThrow(message);
  });

  it('an empty exposition has no samples', () => {
    expect(parseExposition('')).toEqual([]);
  });
});
