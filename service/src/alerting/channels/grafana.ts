import type { AlertChannel } from './types';

/**
 * Nothing to push: Grafana's Alertmanager accepts no alerts from outside (grafana.md §0). The event row in
 * `_dtk_alerts` is what Grafana's rule reads, and it is written before delivery, so "sent" here only means
 * "recorded for Grafana"; whether Grafana notifies depends on the synced rule and its contact point.
 */
export function grafanaChannel(name: string): AlertChannel {
  return {
    name,
    type: 'grafana',
    send() {
      return Promise.resolve();
    },
    note: 'nothing pushed: Grafana evaluates the synced rule over the state in _dtk_alerts (test events are not state; use Grafana’s contact-point test)',
  };
}
