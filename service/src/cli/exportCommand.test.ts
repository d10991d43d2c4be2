import type { StoredDetection } from '../storage';
import { exportRows, similarNames, writeExportCsv, writeExportJson, type ExportRow } from './exportCommand';

const T0 = Date.UTC(2024, 0, 1);
const H = 3_600_000;

const det = (
  detectorId: string,
  h: number,
  isAnomaly = false,
  extra: Partial<StoredDetection> = {}
): StoredDetection => ({
  detectorId,
  detectorName: detectorId === 'b' ? 'MADDetector' : 'ZScoreDetector',
  timestamp: T0 + h * H,
  isAnomaly,
  lower: 1,
  upper: 2,
  value: 10 + h,
  processedValue: 10 + h,
  ...extra,
});

function rows(): ExportRow[] {
  return exportRows(
    { timestamps: new Float64Array([T0, T0 + H, T0 + 2 * H]), values: new Float64Array([10, NaN, 12]) },
    [
      det('b', 0),
      det('b', 2, true, { lower: null }),
      det('a', 0),
      // Its datapoint is gone: kept, with the value the detector saw.
      det('a', 3),
    ]
  );
}

const text = (fn: (w: (s: string) => void) => void): string => {
  let out = '';
  fn((s) => (out += s));
  return out;
};

describe('dtk export rows', () => {
  it('one row per timestamp and detector (by detector_id), empty detector columns when none judged a point', () => {
    expect(text((w) => writeExportCsv(rows(), w)).split('\n')).toEqual([
      'timestamp,value,processed_value,is_anomaly,confidence_lower,confidence_upper,score,detector_id,detector_name',
      // score: |10 − 1.5| / 0.5; none for a one-sided band.
      '2024-01-01T00:00:00.000Z,10,10,false,1,2,17,a,ZScoreDetector',
      '2024-01-01T00:00:00.000Z,10,10,false,1,2,17,b,MADDetector',
      '2024-01-01T01:00:00.000Z,,,,,,,,',
      '2024-01-01T02:00:00.000Z,12,12,true,,2,,b,MADDetector',
      '2024-01-01T03:00:00.000Z,13,13,false,1,2,23,a,ZScoreDetector',
      '',
    ]);
  });

  it('JSON: the same rows, nulls for missing values', () => {
    const parsed = JSON.parse(text((w) => writeExportJson(rows(), w))) as Array<Record<string, unknown>>;
    expect(parsed).toHaveLength(5);
    expect(parsed[2]).toEqual({
      timestamp: '2024-01-01T01:00:00.000Z',
      value: null,
      processed_value: null,
      is_anomaly: null,
      confidence_lower: null,
      confidence_upper: null,
      score: null,
      detector_id: null,
      detector_name: null,
    });
    expect(parsed[3]).toMatchObject({
      is_anomaly: true,
      confidence_lower: null,
      confidence_upper: 2,
      detector_id: 'b',
    });
    expect(text((w) => writeExportJson([], w))).toBe('[\n]\n');
  });

  it('quotes detector names holding commas or quotes', () => {
    const r = exportRows({ timestamps: new Float64Array([T0]), values: new Float64Array([1]) }, [
      det('a', 0, false, { detectorName: 'MADDetector:threshold=3.0,window_size="8"' }),
    ]);
    expect(text((w) => writeExportCsv(r, w))).toContain(',a,"MADDetector:threshold=3.0,window_size=""8"""\n');
  });
});

describe('similar metric names', () => {
  it('suggests close names and names containing the input', () => {
    const names = ['cpu_usage', 'cpu_usage_p95', 'memory_usage', 'api_latency'];
    expect(similarNames('cpu_usag', names)).toEqual(['cpu_usage', 'cpu_usage_p95']);
    expect(similarNames('memory', names)).toEqual(['memory_usage']);
    expect(similarNames('zzz', names)).toEqual([]);
  });
});
