import { z } from 'zod';

/**
 * Database profiles (`profiles.yml: profiles.<name>`), detectkit 0.3.5 compatible.
 * detectkit accepts `clickhouse | postgres | mysql`; we add `embedded` (the ClickHouse engine in
 * process) and, for servers, `http_port`, `secure` and `cluster`.
 */

/** Env interpolation yields strings (`port: "${CH_PORT}"`), so a string of digits is read as the number. */
const digitsToNumber = (v: unknown): unknown => (typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : v);

const portSchema = z.preprocess(
  digitsToNumber,
  z
    .number({ error: 'port must be a number between 1 and 65535' })
    .int()
    .refine((p) => p >= 1 && p <= 65535, {
      error: (iss) => `Port must be between 1 and 65535, got ${String(iss.input)}`,
    })
);

/** ClickHouse settings passed verbatim to every query (e.g. max_execution_time). */
const settingsSchema = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({});

/** SQL identifier used for database and cluster names: we interpolate these into DDL. */
export const identifierSchema = z
  .string()
  .regex(
    /^[A-Za-z_][A-Za-z0-9_]*$/,
    'must be a plain identifier: letters, digits and underscores, not starting with a digit'
  );

export const embeddedProfileSchema = z.object({
  type: z.literal('embedded'),
  /** Data directory of the in-process engine, relative to the project root. */
  path: z.string().min(1).default('.dtk/data'),
  internal_database: identifierSchema.default('dtk'),
  data_database: identifierSchema.default('default'),
  settings: settingsSchema,
});

export const clickhouseProfileSchema = z.object({
  type: z.literal('clickhouse'),
  host: z.string().min(1).default('localhost'),
  /**
   * detectkit profiles name the native TCP port (9000/9440). We speak HTTP: a native port is mapped
   * to 8123/8443 unless `http_port` says otherwise.
   */
  port: portSchema.optional(),
  http_port: portSchema.optional(),
  secure: z.boolean().default(false),
  user: z.string().default('default'),
  password: z.string().default(''),
  internal_database: identifierSchema.optional(),
  data_database: identifierSchema.optional(),
  /** Creates tables ON CLUSTER with Replicated engines and Distributed tables. */
  cluster: identifierSchema.optional(),
  settings: settingsSchema,
  /** Request timeout in seconds. */
  timeout: z.number().positive().default(300),
});

export const databaseProfileSchema = z.discriminatedUnion('type', [embeddedProfileSchema, clickhouseProfileSchema], {
  error: (iss) =>
    iss.code === 'invalid_union'
      ? `Invalid database type: ${JSON.stringify((iss.input as { type?: unknown })?.type)}. Allowed types: embedded, clickhouse (postgres and mysql are not supported)`
      : undefined,
});

export type EmbeddedProfile = z.infer<typeof embeddedProfileSchema>;
export type ClickHouseProfile = z.infer<typeof clickhouseProfileSchema>;
export type DatabaseProfile = z.infer<typeof databaseProfileSchema>;

/** The profile used when a project has no profiles.yml. */
export const DEFAULT_PROFILE: EmbeddedProfile = embeddedProfileSchema.parse({ type: 'embedded' });
