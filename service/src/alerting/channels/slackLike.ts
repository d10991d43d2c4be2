import type { z } from 'zod';
import type {
  mattermostChannelSchema,
  slackChannelSchema,
  webhookChannelSchema,
} from '../../../../common/config/profiles';
import { postJson } from './http';
import type { AlertChannel, OutgoingAlert } from './types';

type SlackLikeConfig =
  | z.output<typeof webhookChannelSchema>
  | z.output<typeof mattermostChannelSchema>
  | z.output<typeof slackChannelSchema>;

/** detectkit's payload (§5.5): `{text, username, icon_emoji[, channel]}`; Slack/Mattermost also take icon_url. */
export function slackPayload(cfg: SlackLikeConfig, message: string): Record<string, string> {
  const body: Record<string, string> = { text: message, username: cfg.username, icon_emoji: cfg.icon_emoji };
  if (cfg.channel) {
    body.channel = cfg.channel;
  }
  if ('icon_url' in cfg && cfg.icon_url) {
    body.icon_url = cfg.icon_url;
  }
  return body;
}

/** webhook, slack and mattermost: one POST of the payload; extra_headers for the generic webhook only. */
export function slackLikeChannel(name: string, cfg: SlackLikeConfig): AlertChannel {
  const headers = 'extra_headers' in cfg ? cfg.extra_headers : {};
  return {
    name,
    type: cfg.type,
    async send(a: OutgoingAlert) {
      await postJson(cfg.webhook_url, slackPayload(cfg, a.message), {
        headers,
        timeoutSeconds: cfg.timeout,
        what: `${cfg.type} channel '${name}'`,
      });
    },
  };
}
