import { SourceError } from './errors';
import {
  baseType,
  checkValueType,
  isNumericType,
  parseTextTimestamp,
  parseTimestampCell,
  parseValueCell,
  timestampKind,
} from './cells';

describe('timestamp cells', () => {
  it('unwraps Nullable and LowCardinality', () => {
    expect(baseType("Nullable(DateTime64(3, 'UTC'))")).toBe("DateTime64(3, 'UTC')");
    expect(baseType('LowCardinality(Nullable(String))')).toBe('String');
  });

  it('accepts every ClickHouse date/time type and text', () => {
    expect(timestampKind('ts', 'Date')).toBe('date');
    expect(timestampKind('ts', 'Date32')).toBe('date');
    expect(timestampKind('ts', 'DateTime')).toBe('datetime');
    expect(timestampKind('ts', "DateTime('Europe/Berlin')")).toBe('datetime');
    expect(timestampKind('ts', "Nullable(DateTime64(6, 'UTC'))")).toBe('datetime64');
    expect(timestampKind('ts', 'String')).toBe('string');
  });

  it('refuses numbers and other types, naming the column and its type', () => {
    expect(() => timestampKind('ts', 'UInt32')).toThrow(
      "Timestamp column 'ts' has type UInt32; expected Date, Date32, DateTime or DateTime64"
    );
    expect(() => timestampKind('bucket', 'Float64')).toThrow(SourceError);
  });

  it('reads unix-timestamp output exactly, whatever the timezone', () => {
    expect(parseTimestampCell('1704067800', 'datetime', 'ts', 0)).toBe(1704067800000);
    expect(parseTimestampCell('1704067800.500', 'datetime64', 'ts', 0)).toBe(1704067800500);
    expect(parseTimestampCell('1704067800.123456', 'datetime64', 'ts', 0)).toBe(1704067800123);
    expect(parseTimestampCell('-315619199.500', 'datetime64', 'ts', 0)).toBe(-315619199500);
    expect(parseTimestampCell(1704067800, 'datetime', 'ts', 0)).toBe(1704067800000);
    expect(parseTimestampCell('2024-01-02', 'date', 'ts', 0)).toBe(Date.UTC(2024, 0, 2));
  });

  it('reads text as naive UTC unless it carries an offset', () => {
    expect(parseTextTimestamp('2024-01-06 15:00:00')).toBe(Date.UTC(2024, 0, 6, 15));
    expect(parseTextTimestamp('2024-01-06T15:00:00.250Z')).toBe(Date.UTC(2024, 0, 6, 15, 0, 0, 250));
    expect(parseTextTimestamp('2024-01-06 17:00:00+02:00')).toBe(Date.UTC(2024, 0, 6, 15));
    expect(parseTextTimestamp('yesterday')).toBeNull();
  });

  it('refuses NULL and garbage with the row number', () => {
    expect(() => parseTimestampCell(null, 'datetime', 'ts', 4)).toThrow("Timestamp column 'ts' has NULL in row 5");
    expect(() => parseTimestampCell('soon', 'string', 'ts', 0)).toThrow('an unreadable value "soon" in row 1');
  });
});

describe('value cells', () => {
  it('accepts numeric types only', () => {
    for (const t of ['Float64', 'Nullable(Float32)', 'UInt64', 'Int8', 'Decimal(18, 2)', 'Bool', 'Nullable(Nothing)']) {
      expect(isNumericType(t)).toBe(true);
    }
    expect(() => checkValueType('value', 'String')).toThrow(
      "Value column 'value' has type String; expected a number (Int*, UInt*, Float*, Decimal*)"
    );
    expect(() => checkValueType('v', "DateTime('UTC')")).toThrow(SourceError);
  });

  it('reads NULL and NaN as missing, keeps infinities', () => {
    expect(parseValueCell(null, 'v', 0)).toBeNaN();
    expect(parseValueCell('nan', 'v', 0)).toBeNaN();
    expect(parseValueCell('-nan', 'v', 0)).toBeNaN();
    expect(parseValueCell('inf', 'v', 0)).toBe(Infinity);
    expect(parseValueCell('-inf', 'v', 0)).toBe(-Infinity);
    expect(parseValueCell(1.5, 'v', 0)).toBe(1.5);
    expect(parseValueCell('170141183460469231731687303715884105727', 'v', 0)).toBeCloseTo(1.7e38, -36);
    expect(parseValueCell(true, 'v', 0)).toBe(1);
  });

  it('refuses a non-numeric cell', () => {
    expect(() => parseValueCell('abc', 'v', 2)).toThrow('non-numeric value "abc" in row 3');
  });
});
