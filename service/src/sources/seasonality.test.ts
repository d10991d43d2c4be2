import { cellJson, checkTimeFeatures, objectJson, timeSeasonality } from './seasonality';

const at = (iso: string) => Float64Array.from([Date.parse(`${iso}Z`)]);

describe('timestamp seasonality (detectkit test_metric_loader.py, reference §10.11 / §6.3)', () => {
  it('extracts the hour', () => {
    const s = timeSeasonality(['hour'], Float64Array.from([Date.UTC(2024, 0, 1, 10), Date.UTC(2024, 0, 1, 15)]));
    expect(s).toEqual(['{"hour":10}', '{"hour":15}']);
  });

  it('extracts the day of week, Monday = 0', () => {
    expect(timeSeasonality(['day_of_week'], at('2024-01-01T00:00:00'))).toEqual(['{"day_of_week":0}']);
    expect(timeSeasonality(['day_of_week'], at('2024-01-07T00:00:00'))).toEqual(['{"day_of_week":6}']);
  });

  it('combines columns with sorted keys, booleans as true/false', () => {
    expect(timeSeasonality(['hour', 'day_of_week', 'month', 'is_weekend'], at('2024-01-06T15:00:00'))).toEqual([
      '{"day_of_week":5,"hour":15,"is_weekend":true,"month":1}',
    ]);
    expect(timeSeasonality(['day_of_month', 'is_holiday'], at('2024-02-29T23:59:00'))).toEqual([
      '{"day_of_month":29,"is_holiday":false}',
    ]);
  });

  it('is right on both sides of hour and day boundaries, before 1970 too', () => {
    const ts = Float64Array.from([
      Date.UTC(2024, 0, 7, 23, 50),
      Date.UTC(2024, 0, 8, 0, 0),
      Date.UTC(2024, 0, 8, 0, 10),
      Date.UTC(1969, 11, 31, 23, 59),
    ]);
    expect(timeSeasonality(['hour', 'day_of_week'], ts)).toEqual([
      '{"day_of_week":6,"hour":23}',
      '{"day_of_week":0,"hour":0}',
      '{"day_of_week":0,"hour":0}',
      '{"day_of_week":2,"hour":23}',
    ]);
  });

  it('gives {} without columns', () => {
    expect(timeSeasonality([], at('2024-01-06T15:00:00'))).toEqual(['{}']);
  });

  it('validates the columns with detectkit messages', () => {
    expect(() => checkTimeFeatures(['hour', 'weekday'])).toThrow(
      "Invalid seasonality column: 'weekday'. Allowed: day_of_month, day_of_week, hour, is_holiday, is_weekend, month"
    );
    expect(() => checkTimeFeatures(['hour', 'hour'])).toThrow('Duplicate seasonality columns not allowed');
  });
});

describe('query seasonality cells', () => {
  it('encodes as orjson would encode the driver values', () => {
    expect(cellJson(1, 'UInt8')).toBe('1');
    expect(cellJson(1, 'Float64')).toBe('1.0');
    expect(cellJson('nan', 'Float64')).toBe('null');
    expect(cellJson(true, 'Bool')).toBe('true');
    expect(cellJson(null, 'Nullable(String)')).toBe('null');
    expect(cellJson('eu"west', 'LowCardinality(String)')).toBe('"eu\\"west"');
    expect(cellJson('170141183460469231731687303715884105727', 'Int128')).toBe(
      '170141183460469231731687303715884105727'
    );
  });

  it('sorts keys by code point', () => {
    expect(
      objectJson([
        ['b', '1'],
        ['B', '2'],
        ['a', '3'],
      ])
    ).toBe('{"B":2,"a":3,"b":1}');
    expect(objectJson([])).toBe('{}');
  });
});
