import type { AlertChannelConfig } from '../../../../common/config/profiles';
import { alertmanagerChannel } from './alertmanager';
import { emailChannel } from './email';
import { grafanaChannel } from './grafana';
import { slackLikeChannel } from './slackLike';
import { telegramChannel } from './telegram';
import type { AlertChannel } from './types';

export { ChannelError } from './types';
export type { AlertChannel, OutgoingAlert } from './types';

/**
 * A channel from its validated `profiles.yml` entry. The `grafana` type does not send: Grafana's Alertmanager
 * accepts no pushed alerts, so Grafana evaluates a rule (kept by service/src/grafana syncAlertRules) over the
 * state this event writes to `_dtk_alerts` (grafana.md §0).
 */
export function createChannel(name: string, cfg: AlertChannelConfig): AlertChannel {
  switch (cfg.type) {
    case 'webhook':
    case 'slack':
    case 'mattermost':
      return slackLikeChannel(name, cfg);
    case 'telegram':
      return telegramChannel(name, cfg);
    case 'email':
      return emailChannel(name, cfg);
    case 'alertmanager':
      return alertmanagerChannel(name, cfg);
    case 'grafana':
      return grafanaChannel(name);
  }
}

/** Channels by the metric's names; unknown names and broken entries become errors, the rest still deliver. */
export function resolveChannels(
  names: readonly string[],
  defined: Readonly<Record<string, AlertChannelConfig>>
): { channels: AlertChannel[]; errors: Array<{ name: string; error: string }> } {
  const channels: AlertChannel[] = [];
  const errors: Array<{ name: string; error: string }> = [];
  for (const name of names) {
    const cfg = defined[name];
    if (!cfg) {
      const known = Object.keys(defined);
      errors.push({
        name,
        error: `channel '${name}' is not defined in profiles.yml alert_channels${known.length ? ` (defined: ${known.join(', ')})` : ''}`,
      });
      continue;
    }
    try {
      channels.push(createChannel(name, cfg));
    } catch (e) {
      errors.push({ name, error: (e as Error).message });
    }
  }
  return { channels, errors };
}
