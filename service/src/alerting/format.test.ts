import {
  DEFAULT_TEMPLATE,
  eventMessage,
  formatMessage,
  formatTimeIn,
  pyFormat,
  TemplateError,
  type PyValue,
} from './format';
import type { AlertData } from './types';

const alert = (over: Partial<AlertData> = {}): AlertData => ({
  metricName: 'cpu_usage',
  timestamp: Date.UTC(2024, 0, 1, 12, 0),
  timezone: 'UTC',
  value: 95.0,
  confidenceLower: 70.0,
  confidenceUpper: 90.0,
  detectorName: 'zscore',
  detectorParams: '{}',
  direction: 'above',
  severity: 2.5,
  metadata: {},
  consecutiveCount: 3,
  detectorIds: ['z'],
  ...over,
});

describe('message formatting (reference §10.7, §5.4)', () => {
  it('default template: metric, value, interval, detector, direction, severity', () => {
    const m = formatMessage(alert()).text;
    for (const s of ['cpu_usage', '95.0', '[70.00, 90.00]', 'zscore', 'above', 'Severity: 2.50']) {
      expect(m).toContain(s);
    }
    expect(DEFAULT_TEMPLATE).toContain('Anomaly detected');
    expect(DEFAULT_TEMPLATE).toContain('{metric_name}');
    expect(DEFAULT_TEMPLATE).toContain('{value}');
  });

  it('custom template "ALERT: {metric_name} = {value}" → exactly "ALERT: cpu_usage = 95.0"', () => {
    expect(formatMessage(alert(), 'ALERT: {metric_name} = {value}')).toEqual({ text: 'ALERT: cpu_usage = 95.0' });
  });

  it('timezone converts the shown time (detectkit only labelled it), DST-safe', () => {
    expect(formatMessage(alert({ timezone: 'Europe/Moscow' })).text).toContain(
      'Time: 2024-01-01 15:00:00 (Europe/Moscow)'
    );
    // Berlin: +1 in winter, +2 in summer.
    expect(formatTimeIn(Date.UTC(2024, 0, 15, 12), 'Europe/Berlin')).toBe('2024-01-15 13:00:00');
    expect(formatTimeIn(Date.UTC(2024, 6, 15, 12), 'Europe/Berlin')).toBe('2024-07-15 14:00:00');
    expect(formatTimeIn(Date.UTC(2024, 2, 31, 1, 30), 'Europe/Berlin')).toBe('2024-03-31 03:30:00');
    expect(formatMessage(alert({ timezone: null })).text).toContain('Time: 2024-01-01 12:00:00\n');
  });

  it('bounds None → N/A', () => {
    expect(formatMessage(alert({ confidenceLower: null, confidenceUpper: null })).text).toContain(
      'Confidence interval: N/A'
    );
  });

  it('the A.6 pipeline example renders exactly', () => {
    const a = alert({
      timezone: null,
      value: 100.0,
      confidenceLower: 10,
      confidenceUpper: 10,
      detectorName: 'MADDetector',
      detectorParams: '{"min_samples":10,"window_size":20}',
      direction: 'up',
      severity: 9,
    });
    expect(formatMessage(a).text).toBe(
      [
        'Anomaly detected in metric: cpu_usage',
        'Time: 2024-01-01 12:00:00',
        'Value: 100.0',
        'Confidence interval: [10.00, 10.00]',
        'Detector: MADDetector',
        'Parameters: {"min_samples":10,"window_size":20}',
        'Direction: up',
        'Severity: 9.00',
      ].join('\n')
    );
  });

  it('unknown variables fall back to the default template; invalid templates too, saying why', () => {
    const d = formatMessage(alert()).text;
    expect(formatMessage(alert(), 'ALERT {nope}')).toEqual({
      text: d,
      fallback: 'template not used: unknown variable {nope}',
    });
    expect(formatMessage(alert(), 'x {0}').fallback).toMatch(/Positional field/);
    expect(formatMessage(alert({ confidenceLower: null }), '{confidence_lower:.2f}').fallback).toMatch(/is None/);
    expect(formatMessage(alert(), 'oops {metric_name').fallback).toMatch(/Single '\{'/);
  });

  it('never recursive: a value containing braces is not formatted again', () => {
    expect(formatMessage(alert({ metricName: '{value}' }), '{metric_name}').text).toBe('{value}');
  });

  it('template_single for a first anomaly, template_consecutive for a streak, test banner', () => {
    const t = { templateSingle: 'one {value}', templateConsecutive: 'many x{consecutive_count}' };
    expect(eventMessage('firing', alert({ consecutiveCount: 1 }), t).text).toBe('one 95.0');
    expect(eventMessage('firing', alert(), t).text).toBe('many x3');
    expect(eventMessage('test', alert(), t).text).toMatch(/^\[TEST\].*\nmany x3$/);
    expect(eventMessage('resolved', alert(), t).text).toMatch(/^Resolved: metric cpu_usage is back to normal/);
  });
});

describe('pyFormat (Python str.format subset)', () => {
  const v: Record<string, PyValue> = {
    f: { kind: 'float', v: 2.5 },
    big: { kind: 'float', v: 1234567.891 },
    i: { kind: 'int', v: 3 },
    s: { kind: 'str', v: 'ab' },
    n: { kind: 'float', v: NaN },
    tiny: { kind: 'float', v: 0.00001 },
  };
  it.each([
    ['{f:.2f}', '2.50'],
    ['{f}', '2.5'],
    ['{tiny}', '1e-05'],
    ['{n}', 'nan'],
    ['{i}', '3'],
    ['{i:.2f}', '3.00'],
    ['{i:03d}', '003'],
    ['{big:,.1f}', '1,234,567.9'],
    ['{f:+.1f}', '+2.5'],
    ['{f:>8.2f}|', '    2.50|'],
    ['{s:<4}|', 'ab  |'],
    ['{s:^6}|', '  ab  |'],
    ['{s!r}', "'ab'"],
    ['{f:.1%}', '250.0%'],
    ['{f:e}', '2.500000e+00'],
    ['{big:g}', '1.23457e+06'],
    ['{{literal}} {i}', '{literal} 3'],
  ])('%s → %s', (t, want) => {
    expect(pyFormat(t, v)).toBe(want);
  });
  it('errors are TemplateErrors', () => {
    expect(() => pyFormat('{f:d}', v)).toThrow(TemplateError);
    expect(() => pyFormat('}', v)).toThrow(TemplateError);
    expect(() => pyFormat('{s.x}', v)).toThrow(TemplateError);
  });
});
