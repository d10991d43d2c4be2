import type { AlertmanagerChannelConfig } from '../../../../common/config/channels';
import { pyFloatRepr } from '../../detectors/pyRepr';
import type { AlertData } from '../types';
import { postJson } from './http';
import type { AlertChannel, OutgoingAlert } from './types';

export const ALERTNAME = 'DetectkitAnomaly';
const NO_DATA_ALERTNAME = 'DetectkitNoData';

const num = (x: number | null) => (x === null ? 'null' : pyFloatRepr(x));

/**
 * Labels identify the alert in Alertmanager: a resolve must repeat the firing alert's labels exactly, so they
 * carry only what is stable for one firing (metric, detector, direction), never the value.
 */
export function alertLabels(cfg: AlertmanagerChannelConfig, a: AlertData, noData = false): Record<string, string> {
  return {
    ...cfg.labels,
    alertname: noData ? NO_DATA_ALERTNAME : ALERTNAME,
    metric: a.metricName,
    detector: noData ? 'none' : a.detectorName,
    severity: cfg.severity,
    direction: noData ? 'none' : a.direction,
  };
}

/** One Alertmanager v2 `postableAlert`. */
export function postableAlert(cfg: AlertmanagerChannelConfig, a: OutgoingAlert): Record<string, unknown> {
  const iso = (ms: number) => new Date(ms).toISOString();
  const identity = a.kind === 'resolved' && a.resolves ? a.resolves : a.data;
  const noData = a.kind === 'no_data' || (a.kind === 'resolved' && identity.detectorIds.length === 0);
  const labels = alertLabels(cfg, identity, noData);
  if (a.kind === 'test') {
    labels.alertname = `${ALERTNAME}Test`;
  }
  const annotations: Record<string, string> = {
    ...cfg.annotations,
    summary: a.message.split('\n')[0] ?? '',
    description: a.message,
    value: num(a.data.value),
    confidence_lower: num(a.data.confidenceLower),
    confidence_upper: num(a.data.confidenceUpper),
    severity_score: pyFloatRepr(a.data.severity),
    consecutive_count: String(a.data.consecutiveCount),
    event_id: a.eventId,
  };
  if (cfg.link) {
    annotations.link = cfg.link;
  }
  const startsAt = identity.timestamp;
  const endsAt = a.kind === 'resolved' ? Math.max(a.now, startsAt + 1) : (a.expiresAt ?? a.now + 3_600_000);
  return {
    labels,
    annotations,
    startsAt: iso(startsAt),
    endsAt: iso(endsAt),
    ...(cfg.link ? { generatorURL: cfg.link } : {}),
  };
}

/** `POST /api/v2/alerts`: firing alerts carry an endsAt in the future and are re-sent while firing. */
export function alertmanagerChannel(name: string, cfg: AlertmanagerChannelConfig): AlertChannel {
  const url = `${cfg.url.replace(/\/+$/, '')}/api/v2/alerts`;
  return {
    name,
    type: 'alertmanager',
    resendWhileFiring: true,
    async send(a: OutgoingAlert) {
      await postJson(url, [postableAlert(cfg, a)], {
        headers: cfg.extra_headers,
        timeoutSeconds: cfg.timeout,
        what: `alertmanager channel '${name}'`,
      });
    },
  };
}
