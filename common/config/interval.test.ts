import { formatConfigDateTime, parseConfigDateTime } from './datetime';
import { formatInterval, parseInterval } from './interval';

const seconds = (v: unknown): number | string => {
  const r = parseInterval(v);
  return r.ok ? r.seconds : r.message;
};

describe('interval grammar (reference §2.6, detectkit test_interval.py)', () => {
  it.each([
    [600, 600],
    ['10min', 600],
    ['1m', 60],
    ['1h', 3600],
    ['2hour', 7200],
    ['1d', 86400],
    ['7days', 604800],
    ['30s', 30],
    ['120sec', 120],
    ['10MIN', 600],
    ['1H', 3600],
    [' 1D ', 86400],
  ])('%p → %p seconds', (input, expected) => {
    expect(seconds(input)).toBe(expected);
  });

  it.each([
    ['invalid', 'Invalid interval format'],
    ['10', 'Invalid interval format'],
    ['min10', 'Invalid interval format'],
    ['10 min', 'Invalid interval format'],
    ['1.5h', 'Invalid interval format'],
    ['10xyz', "Unknown time unit: 'xyz'"],
    ['1week', 'Unknown time unit'],
    [-600, 'must be positive'],
    ['0min', 'must be positive'],
    [60.5, 'Interval must be int or str'],
    [null, 'Interval must be int or str'],
    [true, 'Interval must be int or str'],
  ])('%p is refused with %p', (input, message) => {
    expect(String(seconds(input))).toContain(message);
  });

  it('formats like str(Interval)', () => {
    expect([60, 3600, 86400, 90, 600, 172800].map(formatInterval)).toEqual(['1min', '1h', '1d', '90s', '10min', '2d']);
  });
});

describe('config date-times', () => {
  it.each([
    ['2024-01-01 00:00:00', '2024-01-01 00:00:00'],
    ['2024-01-01', '2024-01-01 00:00:00'],
    ['2024-03-01T12:30:00Z', '2024-03-01 12:30:00'],
    ['2024-03-01T12:30:00+03:00', '2024-03-01 09:30:00'],
    ['2024-03-01 12:30', '2024-03-01 12:30:00'],
    [new Date(Date.UTC(2024, 0, 2, 3, 4, 5)), '2024-01-02 03:04:05'],
  ])('%p → %p UTC', (input, expected) => {
    const t = parseConfigDateTime(input);
    expect(t === undefined ? undefined : formatConfigDateTime(t)).toBe(expected);
  });

  it.each(['2024-02-30 00:00:00', '2024-01-01 25:00:00', 'yesterday', 20240101])('%p is refused', (input) => {
    expect(parseConfigDateTime(input)).toBeUndefined();
  });
});
