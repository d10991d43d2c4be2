import { lastValueFrom } from 'rxjs';
import type { z } from 'zod';
import { getBackendSrv } from '@grafana/runtime';
import { alertsResponseSchema, type AlertEvent } from '../../common/api/alerts';
import { detectionsResponseSchema, type DetectionsResponse } from '../../common/api/detections';
import { healthResponseSchema, type HealthResponse } from '../../common/api/health';
import {
  metricDetailSchema,
  metricListResponseSchema,
  type MetricDetail,
  type MetricSummary,
} from '../../common/api/metrics';
import { seriesResponseSchema, type SeriesResponse } from '../../common/api/series';
import { describeError } from '../api/serviceClient';

type Params = Record<string, string | number | boolean | undefined>;

/**
 * The data source's only way to the dtk service: GETs through the data source proxy (plugin.json `routes` adds
 * the token), every answer parsed with its schema from common/api so a version mismatch fails with a message.
 */
export class DtkClient {
  constructor(private readonly baseUrl: string) {}

  health(): Promise<HealthResponse> {
    return this.get('/health', healthResponseSchema);
  }

  async metrics(): Promise<MetricSummary[]> {
    return (await this.get('/metrics', metricListResponseSchema)).metrics;
  }

  metric(name: string): Promise<MetricDetail> {
    return this.get(`/metrics/${encodeURIComponent(name)}`, metricDetailSchema);
  }

  series(name: string, from: number, to: number): Promise<SeriesResponse> {
    return this.get(`/metrics/${encodeURIComponent(name)}/series`, seriesResponseSchema, { from, to });
  }

  detections(name: string, q: { from: number; to: number; detector?: string }): Promise<DetectionsResponse> {
    return this.get(`/metrics/${encodeURIComponent(name)}/detections`, detectionsResponseSchema, {
      ...q,
      anomalies: true,
      limit: 10_000,
    });
  }

  async alerts(q: { metric?: string }): Promise<AlertEvent[]> {
    return (await this.get('/alerts', alertsResponseSchema, { metric: q.metric || undefined, limit: 1000 })).alerts;
  }

  private async get<S extends z.ZodType>(path: string, schema: S, params?: Params): Promise<z.infer<S>> {
    const clean = params && Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined));
    let data: unknown;
    try {
      const res = await lastValueFrom(
        getBackendSrv().fetch<unknown>({
          url: `${this.baseUrl}${path}`,
          params: clean,
          method: 'GET',
          showErrorAlert: false,
        })
      );
      data = res.data;
    } catch (e) {
      throw new Error(describeError(e));
    }
    const parsed = schema.safeParse(data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(
        `unexpected answer from the dtk service for ${path} (${issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'invalid'}); are the plugin and the service the same version?`
      );
    }
    return parsed.data;
  }
}
