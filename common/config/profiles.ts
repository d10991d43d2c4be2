import { z } from 'zod';
import { isRecord, renameAliases, shown } from './aliases';
import { alertmanagerChannelSchema, grafanaChannelSchema } from './channels';
import { clickhouseProfileSchema, embeddedProfileSchema } from './profile';

/**
 * `profiles.yml` (reference §2.3, §2.7): database profiles, `default_profile` and `alert_channels`.
 * Database profiles reuse profile.ts; here they are strict so unknown keys are reported.
 */

export const ALERT_CHANNEL_TYPES = ['alertmanager', 'email', 'grafana', 'mattermost', 'slack', 'telegram', 'webhook'];

const required = (name: string, owner: string) =>
  z
    .string({ error: `${name} is required for ${owner}` })
    .refine((s) => s.trim().length > 0, { error: `${name} is required for ${owner}` });

const digitsToNumber = (v: unknown): unknown => (typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : v);
const boolWords = (v: unknown): unknown =>
  typeof v === 'string' && /^(true|false)$/i.test(v.trim()) ? v.trim().toLowerCase() === 'true' : v;

const timeout = z.preprocess(
  digitsToNumber,
  z.number({ error: 'timeout must be a number of seconds' }).positive({ error: 'timeout must be positive' })
);

/** Keys shared by the Slack-compatible channels (detectkit's WebhookChannel and its subclasses). */
const slackLike = (type: 'webhook' | 'mattermost' | 'slack') => ({
  type: z.literal(type),
  webhook_url: z
    .string({ error: 'webhook_url is required' })
    .refine((s) => s.trim().length > 0, { error: 'webhook_url is required' }),
  // detectkit's code default is the typo `detectk`; its docs say `detectkit`, which is what we send.
  username: z.string().default('detectkit'),
  icon_emoji: z.string().default(':warning:'),
  channel: z.string().nullish(),
  timeout: timeout.default(10),
});

export const webhookChannelSchema = z.strictObject({
  ...slackLike('webhook'),
  extra_headers: z
    .record(z.string(), z.string(), { error: 'extra_headers must map header names to strings' })
    .default({}),
  // The docs' `method`: detectkit only ever POSTs, so POST is the only value that means anything.
  method: z
    .string()
    .refine((m) => m.toUpperCase() === 'POST', { error: 'method: only POST is supported; remove the key' })
    .optional(),
});

export const mattermostChannelSchema = z.strictObject({
  ...slackLike('mattermost'),
  /** Our addition (the scaffold and QUICKSTART use it; detectkit refused it). Sent as Mattermost's icon_url. */
  icon_url: z.string().optional(),
});

export const slackChannelSchema = z.strictObject({ ...slackLike('slack'), icon_url: z.string().optional() });

export const telegramChannelSchema = z.strictObject({
  type: z.literal('telegram'),
  bot_token: required('bot_token', 'TelegramChannel'),
  chat_id: z
    .union([z.string(), z.number()], { error: 'chat_id is required for TelegramChannel' })
    .transform(String)
    .refine((s) => s.trim().length > 0, { error: 'chat_id is required for TelegramChannel' }),
  parse_mode: z.string().default('Markdown'),
  /** Bot API base URL; a local Bot API server or a test double. */
  api_url: z.string().default('https://api.telegram.org'),
  disable_notification: z.preprocess(boolWords, z.boolean()).default(false),
  template: z.string().nullish(),
  timeout: timeout.default(10),
});

export const emailChannelSchema = z.strictObject({
  type: z.literal('email'),
  smtp_host: required('smtp_host', 'EmailChannel'),
  smtp_port: z.preprocess(
    digitsToNumber,
    z.number({ error: 'smtp_port is required for EmailChannel' }).int().min(1).max(65535)
  ),
  from_email: required('from_email', 'EmailChannel'),
  to_emails: z
    .union([z.string().transform((s) => [s]), z.array(z.string()).min(1)], {
      error: 'to_emails is required for EmailChannel (a list of addresses)',
    })
    .pipe(z.array(z.string()).min(1, { error: 'to_emails is required for EmailChannel' })),
  smtp_username: z.string().nullish(),
  smtp_password: z.string().nullish(),
  use_tls: z.preprocess(boolWords, z.boolean()).default(true),
  /** PEM file of the CA that signed the SMTP server's certificate (private/corporate CAs); relative to the project. */
  tls_ca_file: z.string().nullish(),
  subject_template: z.string().default('Anomaly Alert: {metric_name}'),
  template: z.string().nullish(),
  timeout: timeout.default(10),
});

function normalizeChannel(v: unknown): unknown {
  if (!isRecord(v)) {
    return v;
  }
  const type = typeof v.type === 'string' ? v.type.trim().toLowerCase() : v.type;
  const aliases: Record<string, string> =
    type === 'webhook'
      ? { url: 'webhook_url', headers: 'extra_headers' }
      : type === 'email'
        ? { smtp_user: 'smtp_username' }
        : {};
  return { ...(renameAliases(v, aliases) as Record<string, unknown>), type };
}

export const alertChannelSchema = z.preprocess(
  normalizeChannel,
  z.discriminatedUnion(
    'type',
    [
      webhookChannelSchema,
      mattermostChannelSchema,
      slackChannelSchema,
      telegramChannelSchema,
      emailChannelSchema,
      alertmanagerChannelSchema,
      grafanaChannelSchema,
    ],
    {
      error: (iss) => {
        if (iss.code !== 'invalid_union') {
          return iss.code === 'invalid_type' ? 'an alert channel must be a mapping with a `type:` key' : undefined;
        }
        const t = (iss.input as { type?: unknown } | undefined)?.type;
        return t === undefined
          ? `type is required. Available types: ${ALERT_CHANNEL_TYPES.join(', ')}`
          : `Unknown channel type: ${shown(t)}. Available types: ${ALERT_CHANNEL_TYPES.join(', ')}`;
      },
    }
  )
);

export type AlertChannelConfig = z.output<typeof alertChannelSchema>;

export const DATABASE_TYPES = ['clickhouse', 'embedded', 'mysql', 'postgres'];

/** detectkit accepts these types in profiles.yml and fails only when one is used; so do we. */
export const UNSUPPORTED_DATABASE_TYPES = ['postgres', 'mysql'];
const unsupportedProfileSchema = (t: 'postgres' | 'mysql') => z.looseObject({ type: z.literal(t) });

/** The scaffold's (and Postgres/MySQL docs') `database:` names both databases unless they are given. */
function normalizeProfile(v: unknown): unknown {
  if (!isRecord(v) || !('database' in v) || v.type === 'postgres' || v.type === 'mysql') {
    return v;
  }
  const { database, ...rest } = v;
  return { internal_database: database, data_database: database, ...rest };
}

export const profileEntrySchema = z.preprocess(
  normalizeProfile,
  z.discriminatedUnion(
    'type',
    [
      embeddedProfileSchema.strict(),
      clickhouseProfileSchema.strict(),
      unsupportedProfileSchema('postgres'),
      unsupportedProfileSchema('mysql'),
    ],
    {
      error: (iss) => {
        if (iss.code !== 'invalid_union') {
          return iss.code === 'invalid_type' ? 'a profile must be a mapping with a `type:` key' : undefined;
        }
        const t = (iss.input as { type?: unknown } | undefined)?.type;
        return `Invalid database type: ${shown(t)}. Allowed types: ${DATABASE_TYPES.join(', ')}`;
      },
    }
  )
);

const TOP_KEYS = ['profiles', 'default_profile', 'alert_channels'];

/**
 * detectkit requires `profiles:`; its QUICKSTART and `dtk init` put profiles at the top level. Without a
 * `profiles:` key, every other top-level mapping with a `type:` is taken as a profile.
 */
function normalizeProfilesFile(v: unknown): unknown {
  if (!isRecord(v) || 'profiles' in v) {
    return v;
  }
  const profiles: Record<string, unknown> = {};
  const out: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(v)) {
    if (!TOP_KEYS.includes(k) && isRecord(val) && 'type' in val) {
      profiles[k] = val;
    } else {
      out[k] = val;
    }
  }
  return Object.keys(profiles).length ? { ...out, profiles } : v;
}

export const profilesConfigSchema = z.preprocess(
  normalizeProfilesFile,
  z
    .strictObject(
      {
        profiles: z.record(z.string(), profileEntrySchema, {
          error: 'profiles is required: a mapping of profile name → database settings (type, host, port, …)',
        }),
        default_profile: z.string().nullish(),
        alert_channels: z
          .record(z.string(), alertChannelSchema, { error: 'alert_channels must map channel names to settings' })
          .nullish()
          .transform((v) => v ?? {}),
      },
      { error: (iss) => (iss.code === 'invalid_type' ? 'profiles.yml must be a mapping of keys' : undefined) }
    )
    .superRefine(
      (cfg, ctx) => {
        const names = Object.keys(cfg.profiles);
        if (typeof cfg.default_profile === 'string' && !names.includes(cfg.default_profile)) {
          ctx.addIssue({
            code: 'custom',
            path: ['default_profile'],
            message: `default_profile '${cfg.default_profile}' not found in profiles. Available profiles: ${names.sort().join(', ')}`,
          });
        }
      },
      { when: (payload) => isRecord(payload.value) && isRecord(payload.value.profiles) }
    )
);

export type ProfilesConfig = z.output<typeof profilesConfigSchema>;
export type ProfileEntry = z.output<typeof profileEntrySchema>;
