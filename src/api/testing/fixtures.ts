import { z } from 'zod';
import type { AlertEvent } from '../../../common/api/alerts';
import type { Detection, DetectionsResponse } from '../../../common/api/detections';
import type { DetectorInfo, DetectorsResponse } from '../../../common/api/detectors';
import type { MetricDetail, MetricListResponse, MetricSummary } from '../../../common/api/metrics';
import type { PreviewResponse } from '../../../common/api/preview';
import type { RunInfo } from '../../../common/api/runs';
import type { SeriesResponse } from '../../../common/api/series';
import { DETECTOR_PARAM_SCHEMAS } from '../../../common/detectors';

/**
 * Service answers for component tests, typed with the common/api types (and parsed by the client with the same
 * schemas), so a test cannot pass on a shape the service never sends.
 */

export const NOW = Date.UTC(2024, 4, 10, 12, 0, 0);
const MIN = 60_000;

export function metricSummary(over: Partial<MetricSummary> = {}): MetricSummary {
  return {
    name: 'api_requests',
    origin: 'file',
    relPath: 'metrics/api_requests.yml',
    version: 0,
    valid: true,
    description: 'Requests per 5 minutes',
    intervalSeconds: 300,
    sourceType: 'clickhouse',
    detectors: [{ id: '0123456789abcdef', type: 'mad', name: 'MADDetector:threshold=5.0', position: 1 }],
    tags: ['demo', 'api'],
    enabled: true,
    alerting: { enabled: true, channels: [] },
    status: {
      owned: true,
      nextRunAt: NOW + 5 * MIN,
      lastRun: runInfo({ id: 'r-last', status: 'success', kind: 'scheduled' }),
      lagSeconds: 12,
    },
    lastPoint: NOW - 5 * MIN,
    alertState: 'ok',
    ...over,
  };
}

export const metricList = (metrics: MetricSummary[]): MetricListResponse => ({ metrics });

export function metricDetail(over: Partial<MetricDetail> = {}): MetricDetail {
  const summary = metricSummary(over);
  return {
    ...summary,
    definition: {
      name: summary.name,
      description: summary.description,
      tags: summary.tags,
      interval: '5min',
      query: 'SELECT 1',
      detectors: [{ type: 'mad', params: { threshold: 5.0 } }],
      alerting: { enabled: true, channels: [], direction: 'up', consecutive_anomalies: 3 },
    },
    issues: [],
    series: [],
    updatedBy: null,
    updatedAt: null,
    ...over,
  };
}

export function runInfo(over: Partial<RunInfo> = {}): RunInfo {
  return {
    id: 'run-1',
    metric: 'api_requests',
    kind: 'manual',
    status: 'success',
    queuedAt: NOW - 2 * MIN,
    startedAt: NOW - 2 * MIN,
    finishedAt: NOW - MIN,
    tick: null,
    progress: { step: null, done: 0, total: 0 },
    datapointsLoaded: 12,
    anomaliesDetected: 1,
    alertsSent: 0,
    ...over,
  };
}

/** A series of `values` every 5 minutes ending now; `anomalous` marks points flagged by the detector. */
export function series(name: string, values: Array<number | null>, anomalous: number[] = []): SeriesResponse {
  const start = NOW - values.length * 5 * MIN;
  return {
    metric: name,
    timestamps: values.map((_, i) => start + i * 5 * MIN),
    values,
    detectors: [
      {
        detectorId: '0123456789abcdef',
        detectorName: 'MADDetector:threshold=5.0',
        lower: values.map((v) => (v === null ? null : v - 10)),
        upper: values.map((v) => (v === null ? null : v + 10)),
        anomaly: values.map((_, i) => anomalous.includes(i)),
        // The band is value ± 10: every point sits at its centre.
        score: values.map((v) => (v === null ? null : 0)),
      },
    ],
  };
}

export function detection(over: Partial<Detection> = {}): Detection {
  return {
    detectorId: '0123456789abcdef',
    detectorName: 'MADDetector:threshold=5.0',
    timestamp: NOW - 10 * MIN,
    isAnomaly: true,
    value: 150,
    lower: 80,
    upper: 120,
    processedValue: 150,
    score: 2.5,
    metadata: { direction: 'above', severity: 1.5 },
    ...over,
  };
}

export const detections = (metric: string, list: Detection[], truncated = false): DetectionsResponse => ({
  metric,
  detections: list,
  truncated,
});

export function alertEvent(over: Partial<AlertEvent> = {}): AlertEvent {
  return {
    metric: 'api_requests',
    eventId: 'e1',
    type: 'firing',
    state: 'firing',
    timestamp: NOW - 10 * MIN,
    value: 150,
    lower: 80,
    upper: 120,
    direction: 'up',
    severity: 1.5,
    consecutiveCount: 3,
    detectorIds: ['0123456789abcdef'],
    message: 'api_requests is above its band',
    channels: { team: { type: 'webhook', status: 'sent', attempts: 1, sentAt: NOW - 9 * MIN } },
    recordedAt: NOW - 9 * MIN,
    ...over,
  };
}

/** The detector catalog exactly as the service builds it: zod's JSON Schema of the shared parameter schemas. */
export function detectorCatalog(): DetectorsResponse {
  const entry = (
    type: 'mad' | 'zscore' | 'iqr' | 'manual_bounds' | 'robust',
    title: string,
    className: string
  ): DetectorInfo => ({
    type,
    className,
    title,
    description: `${title} detector`,
    aliases: type === 'manual_bounds' ? ['manual'] : [],
    params: z.toJSONSchema(DETECTOR_PARAM_SCHEMAS[type], { io: 'input', unrepresentable: 'any' }) as Record<
      string,
      unknown
    >,
  });
  return {
    detectors: [
      entry('mad', 'MAD', 'MADDetector'),
      entry('robust', 'Robust (recommended)', 'RobustDetector'),
      entry('zscore', 'Z-score', 'ZScoreDetector'),
      entry('iqr', 'IQR', 'IQRDetector'),
      entry('manual_bounds', 'Manual bounds', 'ManualBoundsDetector'),
    ],
  };
}

export function previewResponse(over: Partial<PreviewResponse> = {}): PreviewResponse {
  const s = series('preview', [100, 101, 99, 180, 100], [3]);
  return {
    from: s.timestamps[0] ?? NOW,
    to: NOW,
    intervalSeconds: 300,
    series: [s],
    warnings: [],
    ...over,
  };
}
