import type { z } from 'zod';
import type { telegramChannelSchema } from '../../../../common/config/profiles';
import { postJson } from './http';
import type { AlertChannel, OutgoingAlert } from './types';

type TelegramConfig = z.output<typeof telegramChannelSchema>;

/**
 * Escapes plain text for Telegram's parse modes, so metric names like `cpu_usage` do not break the message
 * (detectkit sent them raw under Markdown and Telegram rejected the entity).
 */
export function escapeTelegram(text: string, parseMode: string): string {
  switch (parseMode.toLowerCase()) {
    case 'markdown':
      return text.replace(/([_*`[])/g, '\\$1');
    case 'markdownv2':
      return text.replace(/([_*[\]()~`>#+\-=|{}.!\\])/g, '\\$1');
    case 'html':
      return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    default:
      return text;
  }
}

/** Bot API sendMessage (§5.5 intended behaviour, working). The token is in the URL path: never printed. */
export function telegramChannel(name: string, cfg: TelegramConfig): AlertChannel {
  return {
    name,
    type: 'telegram',
    async send(a: OutgoingAlert) {
      const body: Record<string, unknown> = {
        chat_id: cfg.chat_id,
        text: escapeTelegram(a.message, cfg.parse_mode),
        disable_notification: cfg.disable_notification,
      };
      if (cfg.parse_mode) {
        body.parse_mode = cfg.parse_mode;
      }
      const base = cfg.api_url.replace(/\/+$/, '');
      await postJson(`${base}/bot${cfg.bot_token}/sendMessage`, body, {
        timeoutSeconds: cfg.timeout,
        what: `telegram channel '${name}'`,
      });
    },
  };
}
