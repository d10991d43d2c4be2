import type { AlertEvent } from '../../../common/api/alerts';
import type { CatalogDetector, DefinitionIssue, MetricDetail, MetricSummary } from '../../../common/api/metrics';
import { redactDefinition, type CatalogEntry } from '../catalog';
import type { ConfigIssue } from '../config';
import type { RunController } from '../serve/contracts';
import type { AlertEventRow } from '../storage';
import type { ListStats } from './reads';

/**
 * How the service's objects read over HTTP: plain JSON shaped by the common/api schemas, secrets redacted,
 * absolute host paths left out.
 */

/** `MADDetector:threshold=2.5,window_size=8640`: the class name and the non-default parameters (detectkit's alert spelling). */
export function detectorLabel(className: string, paramsJson: string): string {
  try {
    const params = JSON.parse(paramsJson) as Record<string, unknown>;
    const parts = Object.entries(params).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
    return parts.length ? `${className}:${parts.join(',')}` : className;
  } catch {
    return className;
  }
}

export function catalogDetectors(e: CatalogEntry): CatalogDetector[] {
  return (e.loaded?.detectors ?? []).map((d) => ({
    id: d.detector.identity.id,
    type: d.type,
    name: detectorLabel(d.detector.identity.className, d.detector.identity.paramsJson),
    position: d.position,
  }));
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

export function summarize(e: CatalogEntry, runs: RunController, stats: ListStats | null): MetricSummary {
  const cfg = e.loaded?.config;
  const def = e.definition ?? {};
  const status = runs.status(e.name);
  return {
    name: e.name,
    origin: e.origin,
    relPath: e.relPath,
    version: e.version,
    valid: e.loaded !== null,
    ...(e.error ? { error: e.error } : {}),
    description: cfg ? (cfg.description ?? null) : typeof def.description === 'string' ? def.description : null,
    intervalSeconds: e.loaded?.intervalSeconds ?? null,
    sourceType: cfg ? (cfg.source?.type ?? 'clickhouse') : null,
    detectors: catalogDetectors(e),
    tags: cfg ? (cfg.tags ?? []) : strings(def.tags),
    enabled: cfg ? cfg.enabled : def.enabled !== false,
    alerting: {
      enabled: Boolean(cfg?.alerting?.enabled),
      channels: cfg?.alerting?.enabled ? cfg.alerting.channels : [],
    },
    status: status
      ? { owned: status.owned, nextRunAt: status.nextRunAt, lastRun: status.lastRun, lagSeconds: status.lagSeconds }
      : null,
    lastPoint: stats?.lastPoint.get(e.name) ?? null,
    alertState: stats?.alertState.get(e.name) ?? null,
  };
}

function issue(i: ConfigIssue): DefinitionIssue {
  return {
    ...(i.path ? { path: i.path } : {}),
    message: i.message,
    severity: i.severity,
    ...(i.line !== undefined ? { line: i.line } : {}),
    ...(i.column !== undefined ? { column: i.column } : {}),
  };
}

export function detail(e: CatalogEntry, runs: RunController, stats: ListStats | null, series: string[]): MetricDetail {
  return {
    ...summarize(e, runs, stats),
    definition: e.definition ? redactDefinition(e.definition) : null,
    issues: e.issues.map(issue),
    series,
    updatedBy: e.author,
    updatedAt: e.updatedAt,
  };
}

const finite = (x: number | null) => (x === null || !Number.isFinite(x) ? null : x);

export function alertEvent(r: AlertEventRow): AlertEvent {
  return {
    metric: r.metricName,
    eventId: r.eventId,
    type: r.eventType,
    state: r.state,
    timestamp: r.timestamp,
    value: finite(r.value),
    lower: finite(r.confidenceLower),
    upper: finite(r.confidenceUpper),
    direction: r.direction,
    severity: finite(r.severity),
    consecutiveCount: r.consecutiveCount,
    detectorIds: r.detectorIds,
    message: r.message,
    channels: Object.fromEntries(
      Object.entries(r.channels).map(([name, d]) => [
        name,
        {
          type: String(d.type ?? ''),
          status: d.status,
          attempts: Number(d.attempts ?? 0),
          ...(d.error !== undefined ? { error: String(d.error) } : {}),
          ...(d.sentAt !== undefined ? { sentAt: d.sentAt } : {}),
          ...(d.nextAttemptAt !== undefined ? { nextAttemptAt: d.nextAttemptAt } : {}),
          ...(d.permanent !== undefined ? { permanent: d.permanent } : {}),
        },
      ])
    ),
    recordedAt: r.createdAt ?? null,
  };
}
