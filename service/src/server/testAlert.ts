import { randomUUID } from 'node:crypto';
import type { TestAlertResponse } from '../../../common/api/alerts';
import { createChannel } from '../alerting/channels';
import { eventMessage } from '../alerting/format';
import type { CatalogEntry, MetricCatalog } from '../catalog';
import { mockAlert } from '../cli/testAlertCommand';
import { DtkError, errorMessage } from '../errors';
import type { Logger } from '../logging/logger';
import type { ChannelDelivery, Store } from '../storage';

/**
 * `POST /api/metrics/:name/test-alert`: what `dtk test-alert` does (cli/testAlertCommand.ts), for any metric of the
 * catalog (files and UI) and with the service's open store: detectkit's checks, its mock alert marked as a test,
 * one send per channel, and a `test` event in `_dtk_alerts` (never retried, never changes the metric's state).
 * Channel failures are part of the answer (200 with `ok: false`): the test itself worked.
 */
export async function sendTestAlert(
  deps: { store: Store; catalog: MetricCatalog; logger: Logger; now: () => number },
  entry: CatalogEntry
): Promise<TestAlertResponse> {
  const metric = entry.loaded;
  if (!metric) {
    throw new DtkError(
      'config_invalid',
      `Metric '${entry.name}' has configuration errors: ${entry.error ?? 'invalid'}`
    );
  }
  const alerting = metric.config.alerting;
  if (!alerting?.enabled) {
    throw new DtkError(
      'config_invalid',
      `Alerting not enabled for metric '${metric.name}': add 'alerting: {enabled: true, channels: [...]}' to ${metric.relPath}`
    );
  }
  if (alerting.channels.length === 0) {
    throw new DtkError(
      'config_invalid',
      `No alert channels configured for metric '${metric.name}': list channel names from profiles.yml alert_channels in alerting.channels of ${metric.relPath}`
    );
  }
  const defined = deps.catalog.project.profiles?.alert_channels ?? {};
  const now = deps.now();
  const data = mockAlert(metric.name, alerting.timezone ?? null, now);
  const message = eventMessage('test', data, {
    templateSingle: alerting.template_single,
    templateConsecutive: alerting.template_consecutive,
  });
  const warnings = message.fallback ? [`${message.fallback}; the default message was used`] : [];
  const eventId = `test-${randomUUID()}`;
  const deliveries: Record<string, ChannelDelivery> = {};
  const channels: TestAlertResponse['channels'] = [];
  for (const name of alerting.channels) {
    const cfg = defined[name];
    if (!cfg) {
      channels.push({
        name,
        type: null,
        status: 'skipped',
        error: `channel '${name}' is not defined in profiles.yml alert_channels`,
      });
      continue;
    }
    try {
      const channel = createChannel(name, cfg);
      await channel.send({ eventId, kind: 'test', data, message: message.text, now });
      deliveries[name] = { type: cfg.type, status: 'sent', attempts: 1, sentAt: Date.now() };
      channels.push({ name, type: cfg.type, status: 'sent', ...(channel.note ? { note: channel.note } : {}) });
    } catch (e) {
      deliveries[name] = { type: cfg.type, status: 'failed', attempts: 1, error: errorMessage(e) };
      channels.push({ name, type: cfg.type, status: 'failed', error: errorMessage(e) });
    }
  }
  let recorded = true;
  try {
    await deps.store.alerts.write({
      metricName: metric.name,
      eventId,
      eventType: 'test',
      state: 'test',
      timestamp: data.timestamp,
      value: data.value,
      confidenceLower: data.confidenceLower,
      confidenceUpper: data.confidenceUpper,
      direction: data.direction,
      severity: data.severity,
      consecutiveCount: data.consecutiveCount,
      detectorIds: [],
      message: message.text,
      channels: deliveries,
      details: { test: true },
    });
  } catch (e) {
    recorded = false;
    deps.logger.warn({ metric: metric.name, err: errorMessage(e) }, 'test alert not recorded in _dtk_alerts');
    warnings.push(`the test was not recorded in _dtk_alerts: ${errorMessage(e)}`);
  }
  const usable = channels.filter((c) => c.status !== 'skipped');
  return {
    metric: metric.name,
    eventId,
    message: message.text,
    ok: usable.length > 0 && usable.every((c) => c.status === 'sent'),
    channels,
    recorded,
    warnings,
  };
}
