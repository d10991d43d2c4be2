import { z } from 'zod';
import { DtkError } from '../errors';

/**
 * Grafana's alerting provisioning API for alert rules (reference grafana.md §B2, Grafana's
 * `docs/sources/developers/http_api/alerting_provisioning.md`). The only module that talks to Grafana, so a later
 * move to the `/apis/rules.alerting.grafana.app` endpoints touches one file.
 */

const relativeTimeRangeSchema = z.object({ from: z.number(), to: z.number() });

export const alertQuerySchema = z.looseObject({
  refId: z.string(),
  queryType: z.string().optional(),
  relativeTimeRange: relativeTimeRangeSchema.optional(),
  datasourceUid: z.string(),
  model: z.record(z.string(), z.unknown()),
});

/** `ProvisionedAlertRule` as Grafana returns it; unknown fields (id, updated, provenance …) are kept, not checked. */
export const provisionedAlertRuleSchema = z.looseObject({
  uid: z.string(),
  title: z.string(),
  folderUID: z.string(),
  ruleGroup: z.string(),
  condition: z.string(),
  data: z.array(alertQuerySchema),
  noDataState: z.string().optional(),
  execErrState: z.string().optional(),
  for: z.string().optional(),
  labels: z.record(z.string(), z.string()).nullish(),
  annotations: z.record(z.string(), z.string()).nullish(),
  isPaused: z.boolean().optional(),
  notification_settings: z.looseObject({ receiver: z.string() }).nullish(),
});

export const alertRuleGroupSchema = z.looseObject({
  title: z.string(),
  folderUid: z.string(),
  /** Seconds. */
  interval: z.number(),
  rules: z.array(provisionedAlertRuleSchema).nullish(),
});

export type AlertQuery = z.output<typeof alertQuerySchema>;
export type ProvisionedAlertRule = z.output<typeof provisionedAlertRuleSchema>;
export type AlertRuleGroup = z.output<typeof alertRuleGroupSchema>;

/** What the service writes: Grafana fills in id, orgID, updated, provenance. */
export interface AlertRuleInput {
  uid: string;
  title: string;
  folderUID: string;
  ruleGroup: string;
  condition: string;
  data: AlertQuery[];
  noDataState: string;
  execErrState: string;
  for: string;
  isPaused: boolean;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  notification_settings: { receiver: string };
}

export interface GrafanaClientOptions {
  /** Base URL, e.g. http://grafana:3000 or https://example.com/grafana (sub-path kept). */
  url: string;
  /** Service-account token; sent as a Bearer header, never put in messages. */
  token: string;
  timeoutSeconds: number;
}

const errorBodySchema = z.looseObject({ message: z.string() });

export class GrafanaClient {
  private readonly base: string;
  /** `scheme://host[:port]/path` without credentials: safe for messages. */
  private readonly where: string;

  constructor(private readonly opts: GrafanaClientOptions) {
    let u: URL;
    try {
      u = new URL(opts.url);
    } catch {
      throw new DtkError('config_invalid', `grafana url '${opts.url}' is not a URL (e.g. http://grafana:3000)`);
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') {
      throw new DtkError('config_invalid', `grafana url must be http(s), got ${u.protocol}`);
    }
    this.base = opts.url.replace(/\/+$/, '');
    this.where = `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '')}`;
  }

  async listRules(): Promise<ProvisionedAlertRule[]> {
    const body = await this.request('GET', '/api/v1/provisioning/alert-rules');
    return this.parse(z.array(provisionedAlertRuleSchema).nullable(), body, 'the alert-rule list') ?? [];
  }

  /** The rule, or null when Grafana has no rule with that uid (404). */
  async getRule(uid: string): Promise<ProvisionedAlertRule | null> {
    const body = await this.request('GET', `/api/v1/provisioning/alert-rules/${encodeURIComponent(uid)}`, {
      allow404: true,
    });
    return body === NOT_FOUND ? null : this.parse(provisionedAlertRuleSchema, body, `alert rule ${uid}`);
  }

  async createRule(rule: AlertRuleInput): Promise<ProvisionedAlertRule> {
    const body = await this.request('POST', '/api/v1/provisioning/alert-rules', { body: rule });
    return this.parse(provisionedAlertRuleSchema, body, `created alert rule ${rule.uid}`);
  }

  async updateRule(rule: AlertRuleInput): Promise<ProvisionedAlertRule> {
    const body = await this.request('PUT', `/api/v1/provisioning/alert-rules/${encodeURIComponent(rule.uid)}`, {
      body: rule,
    });
    return this.parse(provisionedAlertRuleSchema, body, `updated alert rule ${rule.uid}`);
  }

  /** Deleting a rule that is already gone is success: the goal (no such rule) holds. */
  async deleteRule(uid: string): Promise<void> {
    await this.request('DELETE', `/api/v1/provisioning/alert-rules/${encodeURIComponent(uid)}`, { allow404: true });
  }

  async getRuleGroup(folderUid: string, group: string): Promise<AlertRuleGroup | null> {
    const body = await this.request('GET', groupPath(folderUid, group), { allow404: true });
    return body === NOT_FOUND ? null : this.parse(alertRuleGroupSchema, body, `rule group ${folderUid}/${group}`);
  }

  async putRuleGroup(group: AlertRuleGroup): Promise<AlertRuleGroup> {
    const body = await this.request('PUT', groupPath(group.folderUid, group.title), { body: group });
    return this.parse(alertRuleGroupSchema, body, `rule group ${group.folderUid}/${group.title}`);
  }

  private parse<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
    const r = schema.safeParse(body);
    if (!r.success) {
      const issue = r.error.issues[0];
      throw new DtkError(
        'grafana_unreachable',
        `Grafana at ${this.where} answered ${what} with an unexpected shape (${issue ? `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}` : 'invalid'}); is this Grafana's provisioning API?`
      );
    }
    return r.data;
  }

  private async request(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    opts: { body?: unknown; allow404?: boolean } = {}
  ): Promise<unknown> {
    const headers: Record<string, string> = { Accept: 'application/json', Authorization: `Bearer ${this.opts.token}` };
    if (method !== 'GET') {
      // Without it, rules written through the API are locked in Grafana's UI (grafana.md §B2).
      headers['X-Disable-Provenance'] = 'true';
    }
    if (opts.body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    const what = `${method} ${path}`;
    let res: Response;
    try {
      res = await fetch(this.base + path, {
        method,
        headers,
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
        signal: AbortSignal.timeout(this.opts.timeoutSeconds * 1000),
      });
    } catch (e) {
      const err = e as Error & { cause?: { code?: string; message?: string } };
      const why =
        err.name === 'TimeoutError'
          ? `no answer within ${this.opts.timeoutSeconds}s`
          : (err.cause?.code ?? err.cause?.message ?? err.message);
      throw new DtkError('grafana_unreachable', `Grafana at ${this.where} is unreachable (${what}: ${why})`, {
        cause: e,
      });
    }
    const text = await res.text().catch(() => '');
    if (res.status === 404 && opts.allow404) {
      return NOT_FOUND;
    }
    if (!res.ok) {
      throw this.httpError(res.status, text, what);
    }
    if (text.trim() === '') {
      return null;
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new DtkError('grafana_unreachable', `Grafana at ${this.where} answered ${what} with non-JSON text`);
    }
  }

  /** Grafana's errors are `{"message": …}`; that message is what the user needs (e.g. "folder not found"). */
  private httpError(status: number, text: string, what: string): DtkError {
    let message: string | undefined;
    try {
      const parsed = errorBodySchema.safeParse(JSON.parse(text));
      message = parsed.success ? parsed.data.message : undefined;
    } catch {
      message = undefined;
    }
    const detail = message ?? text.replace(/\s+/g, ' ').trim().slice(0, 200);
    const auth = status === 401 || status === 403;
    const hint = auth
      ? status === 401
        ? '; check the grafana channel token (a service-account token, glsa_…)'
        : '; the service account needs the alert rule writer role (alert.rules:read/write)'
      : '';
    return new DtkError(
      auth ? 'grafana_auth' : status >= 500 ? 'grafana_unreachable' : 'grafana_request',
      `Grafana at ${this.where} refused ${what} with HTTP ${status}${detail ? `: ${detail}` : ''}${hint}`,
      { details: { status, ...(message === undefined ? {} : { grafanaMessage: message }) } }
    );
  }
}

const NOT_FOUND = Symbol('not found');

function groupPath(folderUid: string, group: string): string {
  return `/api/v1/provisioning/folder/${encodeURIComponent(folderUid)}/rule-groups/${encodeURIComponent(group)}`;
}
