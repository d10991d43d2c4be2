// Test helper: opens the embedded store in the directory given in argv and prints a JSON digest of
// every deduplicated datapoint and detection row (counts and an order-independent hash of all columns).
import { connect } from '../src/storage/connect';
import { silentLogger } from '../src/logging/logger';

async function main(): Promise<void> {
  const dir = process.argv[2]!;
  const db = process.argv[3] ?? 'dtk';
  const conn = await connect(
    { type: 'embedded', path: dir, internal_database: db, data_database: 'default', settings: {} },
    { baseDir: '/', logger: silentLogger }
  );
  try {
    const [dp] = await conn.json<Record<string, string>>(
      `SELECT count() AS rows, countIf(value IS NULL) AS nulls, toString(min(timestamp)) AS first, toString(max(timestamp)) AS last,
              toString(groupBitXor(cityHash64(toString(tuple(metric_name, timestamp, value, seasonality_data, interval_seconds))))) AS hash
       FROM ${db}._dtk_datapoints FINAL`
    );
    const [det] = await conn.json<Record<string, string>>(
      `SELECT count() AS rows, countIf(is_anomaly) AS anomalies, uniqExact(detector_id) AS detectors,
              toString(groupBitXor(cityHash64(toString(tuple(metric_name, detector_id, timestamp, is_anomaly, confidence_lower,
                confidence_upper, value, processed_value, detector_params, detection_metadata))))) AS hash
       FROM ${db}._dtk_detections FINAL`
    );
    // Rows as written, before FINAL collapses rewrites: equal to the deduplicated count when nothing was written twice.
    const [raw] = await conn.json<Record<string, string>>(
      `SELECT (SELECT count() FROM ${db}._dtk_datapoints) AS datapoints, (SELECT count() FROM ${db}._dtk_detections) AS detections`
    );
    process.stdout.write(`${JSON.stringify({ datapoints: dp, detections: det, raw })}\n`);
  } finally {
    await conn.close();
  }
}

void main();
