import { createHash } from 'node:crypto';
import { parseInterval } from '../../../common/config/interval';
import { errorMessage } from '../errors';
import type { Logger } from '../logging/logger';
import type { Reporter } from '../pipeline/reporter';
import type { PipelineMetric } from '../pipeline/types';
import type { AlertEventRow, ChannelDelivery, RecentDetectionRow, Store } from '../storage';
import { resolveChannels, type AlertChannel } from './channels';
import { DEFAULT_DELIVERY, deliverEvent, outgoingFromRow, type ChannelOutcome, type DeliveryOptions } from './deliver';
import { eventMessage } from './format';
import { decide, lastCompletePoint } from './orchestrator';
import type { AlertData, AlertEventType, CurrentAlertState, DetectionRecord } from './types';

export interface AlertStepDeps {
  store: Store;
  reporter: Reporter;
  logger: Logger;
  now: () => number;
  delivery?: Partial<DeliveryOptions>;
}

/** Stable id of an event: a retried evaluation of the same point yields the same id. */
export function eventId(metric: string, type: AlertEventType, timestamp: number): string {
  return createHash('sha256').update(`${metric}\u0000${type}\u0000${timestamp}`).digest('hex').slice(0, 24);
}

function severityOf(metadata: string): number | undefined {
  try {
    const md = JSON.parse(metadata) as { severity?: unknown };
    return typeof md.severity === 'number' ? md.severity : undefined;
  } catch {
    return undefined; // detectkit writes Python-ish JSON for inf/nan: fall back to the bound excess
  }
}

export function toRecord(r: RecentDetectionRow): DetectionRecord {
  return {
    timestamp: r.timestamp,
    detectorId: r.detectorId,
    detectorName: r.detectorName,
    detectorParams: r.detectorParams,
    value: r.value,
    comparedValue: r.processedValue ?? r.value,
    isAnomaly: r.isAnomaly,
    lower: r.lower,
    upper: r.upper,
    severity: severityOf(r.metadata),
  };
}

const STATE_AFTER: Record<AlertEventType, string> = {
  firing: 'firing',
  resolved: 'ok',
  no_data: 'no_data',
  test: 'test',
};
/** How long Alertmanager keeps a firing alert without a re-send: a few intervals, at least 5 minutes. */
const expiry = (now: number, intervalSeconds: number) => now + Math.max(3 * intervalSeconds * 1000, 300_000);

/**
 * The ALERT step: evaluate the metric (orchestrator), record the event in `_dtk_alerts`, deliver it and any
 * earlier undelivered events. Returns whether it evaluated and the number of successful channel deliveries. Channel failures are
 * reported and recorded, never thrown: the metric's run does not fail because a receiver is down.
 */
export async function runAlertStep(
  deps: AlertStepDeps,
  m: PipelineMetric
): Promise<{ evaluated: boolean; sent: number }> {
  const r = deps.reporter;
  const opts: DeliveryOptions = { ...DEFAULT_DELIVERY, now: deps.now, ...deps.delivery };
  r.line();
  r.line('  ┌─ ALERT');
  const cfg = m.alerting?.config;
  if (!m.alertingEnabled || !cfg || !cfg.enabled) {
    r.line('  └─ Alerting not enabled');
    return { evaluated: false, sent: 0 };
  }
  if (cfg.channels.length === 0) {
    r.line('  └─ No alert channels configured');
    return { evaluated: false, sent: 0 };
  }
  const { channels, errors } = resolveChannels(cfg.channels, m.alerting?.channels ?? {});
  for (const e of errors) {
    r.line(`  │   ✗ ${e.name}: ${e.error}`, 'red');
  }
  const byName = new Map<string, AlertChannel>(channels.map((c) => [c.name, c]));
  const alerts = deps.store.alerts;
  const now = deps.now();
  const I = m.intervalSeconds;
  const n = cfg.consecutive_anomalies;
  const lcp = lastCompletePoint(now, I);
  const ids = m.detectors.map((d) => d.detector.identity.id);
  // A detection lagging behind the clock (a delayed source) is still evaluated: look back a few windows.
  const rows = await alerts.recentDetections(m.name, ids, lcp - (n + Math.max(n, 10)) * I * 1000, lcp);
  const latestT = rows[0]?.timestamp;
  const records = latestT === undefined ? [] : rows.filter((x) => x.timestamp > latestT - n * I * 1000).map(toRecord);
  const stored = await alerts.currentState(m.name);
  const state: CurrentAlertState | null = stored
    ? { ...stored, state: stored.state as CurrentAlertState['state'] }
    : null;
  const cooldown =
    cfg.alert_cooldown === null || cfg.alert_cooldown === undefined ? null : parseInterval(cfg.alert_cooldown);
  const decision = decide({
    metricName: m.name,
    intervalSeconds: I,
    conditions: { minDetectors: cfg.min_detectors, direction: cfg.direction, consecutiveAnomalies: n },
    timezone: cfg.timezone ?? null,
    cooldownSeconds: cooldown?.ok ? cooldown.seconds : null,
    resetOnRecovery: cfg.cooldown_reset_on_recovery,
    noDataAlert: cfg.no_data_alert,
    records,
    state,
    now,
    lastValuedAt: cfg.no_data_alert ? await alerts.lastValuedDatapoint(m.name, lcp) : (latestT ?? null),
  });
  let newEventId: string | undefined;
  if (decision.action !== 'none') {
    const type: AlertEventType =
      decision.action === 'fire' ? 'firing' : decision.action === 'resolve' ? 'resolved' : 'no_data';
    const msg = eventMessage(type, decision.data, {
      templateSingle: cfg.template_single,
      templateConsecutive: cfg.template_consecutive,
    });
    if (msg.fallback) {
      r.line(`  │   ⚠ ${msg.fallback}; the default message was used`, 'yellow');
    }
    let resolves: AlertData | undefined;
    if (type === 'resolved' && state?.lastFiringEventId) {
      const [firing] = await alerts.events({ metricName: m.name, eventId: state.lastFiringEventId, limit: 1 });
      resolves = (firing?.details as { alert?: AlertData } | undefined)?.alert;
    }
    const delivery: Record<string, ChannelDelivery> = {};
    for (const c of channels) {
      delivery[c.name] = { type: c.type, status: 'pending', attempts: 0 };
    }
    for (const e of errors) {
      delivery[e.name] = { type: 'unknown', status: 'failed', attempts: 0, error: e.error, permanent: true };
    }
    const d = decision.data;
    const row: AlertEventRow = {
      metricName: m.name,
      eventId: eventId(m.name, type, decision.timestamp),
      eventType: type,
      state: STATE_AFTER[type],
      timestamp: decision.timestamp,
      value: d.value,
      confidenceLower: d.confidenceLower,
      confidenceUpper: d.confidenceUpper,
      direction: d.direction,
      severity: d.severity,
      consecutiveCount: d.consecutiveCount,
      detectorIds: d.detectorIds,
      message: msg.text,
      channels: delivery,
      details: {
        alert: d,
        reason: decision.reason,
        ...(resolves ? { resolves } : {}),
        ...(type === 'firing' ? { expiresAt: expiry(now, I) } : {}),
        ...(msg.fallback ? { warnings: [msg.fallback] } : {}),
      },
    };
    await alerts.write(row);
    newEventId = row.eventId;
    r.line(
      `  │ ${type === 'firing' ? '⚠ Alert triggered' : type === 'resolved' ? '✓ Resolved' : '⚠ No data'}: ${decision.reason}`,
      type === 'resolved' ? 'green' : 'yellow'
    );
  } else {
    r.line(`  │ ${decision.reason}`);
  }
  const outcomes: ChannelOutcome[] = [];
  // The outbox: this event and any earlier one a channel still owes (bounded per run).
  for (const ev of await alerts.undelivered(m.name, 50)) {
    outcomes.push(...(await deliverEvent(alerts, ev, byName, opts, ev.eventId === newEventId)));
  }
  // Alertmanager forgets a firing alert at endsAt: re-send it while the metric keeps firing.
  if (decision.action === 'none' && state?.state === 'firing' && state.lastFiringEventId) {
    const resend = channels.filter((c) => c.resendWhileFiring);
    if (resend.length) {
      const [firing] = await alerts.events({ metricName: m.name, eventId: state.lastFiringEventId, limit: 1 });
      if (firing) {
        const out = { ...outgoingFromRow(firing, now), expiresAt: expiry(now, I) };
        for (const c of resend) {
          try {
            await c.send(out);
            r.line(`  │   ↻ ${c.name} (${c.type}): still firing, re-sent`);
          } catch (e) {
            r.line(`  │   ✗ ${c.name} (${c.type}): re-send failed: ${errorMessage(e)}`, 'red');
            deps.logger.warn({ metric: m.name, channel: c.name, err: errorMessage(e) }, 'alert re-send failed');
          }
        }
      }
    }
  }
  for (const o of outcomes) {
    const label = `${o.channel} (${o.type}) ${o.eventType}`;
    if (o.ok) {
      r.line(`  │   ✓ ${label}${o.attempts > 1 ? ` after ${o.attempts} attempts` : ''}`, 'green');
    } else {
      r.line(`  │   ✗ ${label}: ${o.error ?? 'failed'}`, 'red');
      deps.logger.warn({ metric: m.name, channel: o.channel, event: o.eventId, err: o.error }, 'alert delivery failed');
    }
  }
  const sent = outcomes.filter((o) => o.ok).length;
  r.line(outcomes.length ? `  └─ Sent ${sent}/${outcomes.length} notification(s)` : '  └─ No notification to send');
  return { evaluated: true, sent };
}
