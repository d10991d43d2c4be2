import { alertsResponseSchema, type AlertsResponse } from '../../common/api/alerts';
import { detectionsResponseSchema, type DetectionsResponse } from '../../common/api/detections';
import { detectorsResponseSchema, type DetectorsResponse } from '../../common/api/detectors';
import {
  deleteMetricResponseSchema,
  metricDetailSchema,
  metricListResponseSchema,
  type CreateMetricRequest,
  type DeleteMetricResponse,
  type MetricDetail,
  type MetricListResponse,
  type UpdateMetricRequest,
} from '../../common/api/metrics';
import { previewResponseSchema, type PreviewRequest, type PreviewResponse } from '../../common/api/preview';
import { runListResponseSchema, type RunListResponse } from '../../common/api/runList';
import { runInfoSchema, type RunInfo } from '../../common/api/runs';
import { seriesResponseSchema, type SeriesResponse } from '../../common/api/series';
import { serviceRequest } from './serviceClient';

/**
 * The dtk service API (docs/serve.md, GET /api/openapi.json) as typed functions. Metric names go into paths
 * URL-encoded: a fan-out series is named like `cpu{instance="a"}`.
 */

const metricPath = (name: string) => `/metrics/${encodeURIComponent(name)}`;

export interface TimeRangeMs {
  from: number;
  to: number;
}

export function listMetrics(): Promise<MetricListResponse> {
  return serviceRequest('/metrics', metricListResponseSchema);
}

export function getMetric(name: string): Promise<MetricDetail> {
  return serviceRequest(metricPath(name), metricDetailSchema);
}

export function getSeries(name: string, range: TimeRangeMs): Promise<SeriesResponse> {
  return serviceRequest(`${metricPath(name)}/series`, seriesResponseSchema, {
    params: { from: Math.floor(range.from), to: Math.ceil(range.to) },
  });
}

export function getDetections(
  name: string,
  q: { from?: number; to?: number; anomalies: boolean; limit?: number }
): Promise<DetectionsResponse> {
  return serviceRequest(`${metricPath(name)}/detections`, detectionsResponseSchema, {
    params: {
      from: q.from === undefined ? undefined : Math.floor(q.from),
      to: q.to === undefined ? undefined : Math.ceil(q.to),
      anomalies: q.anomalies,
      limit: q.limit,
    },
  });
}

export function getAlerts(q: { metric?: string; limit?: number } = {}): Promise<AlertsResponse> {
  return serviceRequest('/alerts', alertsResponseSchema, { params: { metric: q.metric || undefined, limit: q.limit } });
}

export function listRuns(q: { metric?: string; limit?: number } = {}): Promise<RunListResponse> {
  return serviceRequest('/runs', runListResponseSchema, { params: { metric: q.metric, limit: q.limit } });
}

export function getRun(id: string): Promise<RunInfo> {
  return serviceRequest(`/runs/${encodeURIComponent(id)}`, runInfoSchema);
}

/** Run now (no body), or backfill / fully refresh `[from, to)`. */
export function startRun(
  name: string,
  body: { from?: number; to?: number; fullRefresh?: boolean } = {}
): Promise<RunInfo> {
  return serviceRequest(`${metricPath(name)}/runs`, runInfoSchema, { method: 'POST', data: body });
}

export function listDetectors(): Promise<DetectorsResponse> {
  return serviceRequest('/detectors', detectorsResponseSchema);
}

export function preview(req: PreviewRequest): Promise<PreviewResponse> {
  return serviceRequest('/preview', previewResponseSchema, { method: 'POST', data: req });
}

export function createMetric(req: CreateMetricRequest): Promise<MetricDetail> {
  return serviceRequest('/metrics', metricDetailSchema, { method: 'POST', data: req });
}

export function updateMetric(name: string, req: UpdateMetricRequest): Promise<MetricDetail> {
  return serviceRequest(metricPath(name), metricDetailSchema, { method: 'PUT', data: req });
}

export function deleteMetric(name: string, expectedVersion?: number): Promise<DeleteMetricResponse> {
  return serviceRequest(metricPath(name), deleteMetricResponseSchema, {
    method: 'DELETE',
    params: { expectedVersion },
  });
}

/** Runs that have not finished: the pages poll while one exists. */
export const isActiveRun = (r: Pick<RunInfo, 'status'>) => r.status === 'queued' || r.status === 'running';
