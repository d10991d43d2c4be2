import { parseSeriesCsv, parseTimestamp } from './csvSeries';

describe('series CSV', () => {
  it('parses timestamps, missing values and seasonality columns', () => {
    const s = parseSeriesCsv(
      'timestamp,value,parity,kind\n2024-01-01 00:00:00,1.5,0,a\r\n2024-01-01T00:10:00Z,,1,true\n\n'
    );
    expect(Array.from(s.timestamps)).toEqual([Date.UTC(2024, 0, 1), Date.UTC(2024, 0, 1, 0, 10)]);
    expect(s.values[0]).toBe(1.5);
    expect(s.values[1]).toBeNaN();
    expect(s.seasonality).toEqual({ parity: [0, 1], kind: ['a', true] });
  });
  it('accepts offsets and fractions', () => {
    expect(parseTimestamp('2024-01-01T02:00:00.250+02:00')).toBe(Date.UTC(2024, 0, 1, 0, 0, 0, 250));
    expect(parseTimestamp('2024-02-30 00:00:00')).toBeNaN();
  });
  it.each([
    ['time,value\n', 'line 1: the header must start with timestamp,value'],
    ['timestamp,value\n2024-01-01 00:00:00,1,2\n', 'line 2: expected 2 fields (timestamp,value), found 3'],
    ['timestamp,value\n2024-01-01 00:00:00,1\nyesterday,2\n', "line 3: timestamp 'yesterday' is not ISO 8601"],
    ['timestamp,value\n2024-01-01 00:00:00,x\n', "line 2: value 'x' is not a number"],
    ['timestamp,value\n2024-01-01 00:01:00,1\n2024-01-01 00:00:00,1\n', 'line 3: timestamp'],
    ['timestamp,value\n2024-01-01 00:01:00,"1\n', 'line 2: unterminated quoted field'],
  ])('reports %j', (text, message) => {
    expect(() => parseSeriesCsv(text)).toThrow(message);
  });
});

describe('timestamp fast path', () => {
  it('agrees with the full parser across days and separators', () => {
    const rows = [
      '2024-01-01 23:59:59',
      '2024-01-02 00:00:00',
      '2024-01-02T00:00:01Z',
      '2024-01-02T00:00:02',
      '2024-01-02 10:11:12',
    ];
    const s = parseSeriesCsv(`timestamp,value\n${rows.map((r) => `${r},1`).join('\n')}\n`);
    expect(Array.from(s.timestamps)).toEqual(rows.map(parseTimestamp));
    expect(() => parseSeriesCsv('timestamp,value\n2024-01-01 00:00:00,1\n2024-01-01 24:00:00,1\n')).toThrow('line 3');
  });
});
