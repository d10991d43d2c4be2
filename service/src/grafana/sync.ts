import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { GrafanaChannelConfig } from '../../../common/config/channels';
import { DtkError } from '../errors';
import type { PipelineMetric } from '../pipeline/types';
import type { StoreLocation } from '../storage/connect';
import { GrafanaClient, type AlertQuery, type AlertRuleInput, type ProvisionedAlertRule } from './client';

/**
 * Keeps one Grafana-managed alert rule per metric that alerts through a `grafana` channel (DESIGN §9). Grafana's
 * Alertmanager accepts no pushed alerts (grafana.md §0), so the rule reads the state the orchestrator wrote to
 * `_dtk_alerts` and fires while it is `firing`; Grafana then routes to the contact point.
 */

/** Prefix of every rule uid we own: deletions never touch anything else. */
export const RULE_UID_PREFIX = 'dtk-';
/** Grafana evaluates rule groups on multiples of its base interval (10s by default). */
const BASE_INTERVAL_SECONDS = 10;
const EXPR_UID = '__expr__';

/** What sync needs of a metric; a PipelineMetric fits. */
export type GrafanaSyncMetric = Pick<PipelineMetric, 'name' | 'intervalSeconds' | 'alertingEnabled' | 'alerting'>;

export interface GrafanaSyncTarget {
  /** The channel's name in `profiles.yml: alert_channels`. */
  name: string;
  config: GrafanaChannelConfig;
}

export interface GrafanaSyncResult {
  created: string[];
  updated: string[];
  unchanged: string[];
  deleted: string[];
  /** Set when the rule group's evaluation interval was changed. */
  groupInterval?: number;
}

/** Stable, ≤ 40 chars (Grafana's uid limit), independent of the metric's position or config. */
export function ruleUid(metricName: string): string {
  return RULE_UID_PREFIX + createHash('sha256').update(metricName).digest('hex').slice(0, 24);
}

/** A ClickHouse string literal: backslash and quote escaped, so any metric name stays data. */
export function sqlString(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function sqlIdent(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `\`${name.replace(/\\/g, '\\\\').replace(/`/g, '\\`')}\``;
}

/**
 * 1 while the metric's latest state-changing event is `firing`, else 0; always exactly one row (an aggregate
 * without GROUP BY), so the rule never sees "no data" for a metric that has not alerted yet. Same ordering as
 * AlertStore.currentState: test events are not state changes.
 */
export function stateSql(database: string, metricName: string): string {
  return (
    `SELECT if(argMax(state, (timestamp, created_at)) = 'firing', 1, 0) AS value ` +
    `FROM ${sqlIdent(database)}._dtk_alerts FINAL ` +
    `WHERE metric_name = ${sqlString(metricName)} AND event_type != 'test'`
  );
}

/** The rule the service wants for one metric. */
export function desiredRule(target: GrafanaSyncTarget, database: string, metricName: string): AlertRuleInput {
  const cfg = target.config;
  const exprDs = { type: '__expr__', uid: EXPR_UID };
  // intervalMs/maxDataPoints are the defaults Grafana adds on save; sending them keeps re-sync comparisons equal.
  const data: AlertQuery[] = [
    {
      refId: 'A',
      queryType: '',
      relativeTimeRange: { from: 600, to: 0 },
      datasourceUid: cfg.datasource_uid,
      model: {
        refId: 'A',
        datasource: { type: 'grafana-clickhouse-datasource', uid: cfg.datasource_uid },
        editorType: 'sql',
        queryType: 'table',
        format: 1,
        rawSql: stateSql(database, metricName),
        intervalMs: 1000,
        maxDataPoints: 43200,
      },
    },
    {
      refId: 'B',
      queryType: '',
      relativeTimeRange: { from: 0, to: 0 },
      datasourceUid: EXPR_UID,
      model: {
        refId: 'B',
        datasource: exprDs,
        type: 'reduce',
        expression: 'A',
        reducer: 'last',
        intervalMs: 1000,
        maxDataPoints: 43200,
      },
    },
    {
      refId: 'C',
      queryType: '',
      relativeTimeRange: { from: 0, to: 0 },
      datasourceUid: EXPR_UID,
      model: {
        refId: 'C',
        datasource: exprDs,
        type: 'threshold',
        expression: 'B',
        conditions: [{ evaluator: { type: 'gt', params: [0.5] } }],
        intervalMs: 1000,
        maxDataPoints: 43200,
      },
    },
  ];
  return {
    uid: ruleUid(metricName),
    title: `dtk: ${metricName}`,
    folderUID: cfg.folder_uid,
    ruleGroup: cfg.group,
    condition: 'C',
    data,
    // The orchestrator already applied consecutive anomalies and cooldown: fire on the first evaluation.
    for: '0s',
    // The query always returns one row, so no data means something is off: Grafana's own NoData alert says so
    // without pretending the metric fired.
    noDataState: 'NoData',
    execErrState: 'Error',
    isPaused: false,
    labels: { dtk: 'true', metric: metricName, dtk_channel: target.name },
    annotations: {
      summary: `detectkit: ${metricName} is firing`,
      description: `Rule kept in sync by detectkit; it fires while the latest state-changing event of ${metricName} in ${database}._dtk_alerts is 'firing'. Edit the metric, not this rule.`,
    },
    notification_settings: { receiver: cfg.contact_point },
  };
}

/** Every key we send is present and equal in Grafana's copy; keys Grafana adds to a model are not ours to judge. */
function modelCovers(have: Record<string, unknown>, want: Record<string, unknown>): boolean {
  return Object.entries(want).every(([k, v]) => isDeepStrictEqual(have[k], v));
}

export function ruleMatches(have: ProvisionedAlertRule, want: AlertRuleInput): boolean {
  if (
    have.title !== want.title ||
    have.folderUID !== want.folderUID ||
    have.ruleGroup !== want.ruleGroup ||
    have.condition !== want.condition ||
    have.for !== want.for ||
    have.noDataState !== want.noDataState ||
    have.execErrState !== want.execErrState ||
    (have.isPaused ?? false) !== want.isPaused ||
    have.notification_settings?.receiver !== want.notification_settings.receiver ||
    !isDeepStrictEqual(have.labels ?? {}, want.labels) ||
    !isDeepStrictEqual(have.annotations ?? {}, want.annotations) ||
    have.data.length !== want.data.length
  ) {
    return false;
  }
  return want.data.every((q, i) => {
    const h = have.data[i];
    return (
      h !== undefined &&
      h.refId === q.refId &&
      h.datasourceUid === q.datasourceUid &&
      isDeepStrictEqual(h.relativeTimeRange, q.relativeTimeRange) &&
      modelCovers(h.model, q.model)
    );
  });
}

/** Metrics whose enabled alerting names this channel. */
export function metricsUsing(target: GrafanaSyncTarget, metrics: readonly GrafanaSyncMetric[]): GrafanaSyncMetric[] {
  return metrics.filter(
    (m) =>
      m.alertingEnabled &&
      m.alerting?.config.enabled === true &&
      m.alerting.config.channels.includes(target.name) &&
      m.alerting.channels[target.name]?.type === 'grafana'
  );
}

/** The distinct `grafana` channels the metrics alert through: call syncAlertRules once per entry. */
export function grafanaTargets(metrics: readonly GrafanaSyncMetric[]): GrafanaSyncTarget[] {
  const out = new Map<string, GrafanaSyncTarget>();
  for (const m of metrics) {
    if (!m.alertingEnabled || !m.alerting?.config.enabled) {
      continue;
    }
    for (const name of m.alerting.config.channels) {
      const cfg = m.alerting.channels[name];
      if (cfg?.type === 'grafana' && !out.has(name)) {
        out.set(name, { name, config: cfg });
      }
    }
  }
  return [...out.values()];
}

/**
 * Brings Grafana's rules for one `grafana` channel in line with the metrics: POST missing rules, PUT differing
 * ones, leave equal ones alone (a re-sync writes nothing), DELETE rules of this channel whose metric no longer
 * alerts through it. Throws a DtkError on the first Grafana error (nothing is half-hidden).
 */
export async function syncAlertRules(args: {
  grafana: GrafanaSyncTarget;
  metrics: readonly GrafanaSyncMetric[];
  store: { readonly location: StoreLocation };
  client?: GrafanaClient;
  /**
   * Delete rules of metrics that no longer alert through this channel (default true). Off when `metrics` is only
   * part of the project (a `dtk run -s` subset): an unselected metric's rule must not be taken for a stale one.
   */
  prune?: boolean;
}): Promise<GrafanaSyncResult> {
  const { grafana, store } = args;
  if (store.location.kind === 'embedded') {
    throw new DtkError(
      'config_invalid',
      `grafana channel '${grafana.name}': Grafana cannot read the embedded store; use a ClickHouse server profile (storage type clickhouse, reachable from Grafana's ClickHouse data source)`
    );
  }
  const cfg = grafana.config;
  const client = args.client ?? new GrafanaClient({ url: cfg.url, token: cfg.token, timeoutSeconds: cfg.timeout });
  const wanted = metricsUsing(grafana, args.metrics);
  const desired = new Map(wanted.map((m) => [ruleUid(m.name), desiredRule(grafana, store.location.database, m.name)]));

  const existing = await client.listRules();
  const ours = existing.filter(
    (r) => r.uid.startsWith(RULE_UID_PREFIX) && r.labels?.dtk === 'true' && r.labels.dtk_channel === grafana.name
  );
  const byUid = new Map(existing.map((r) => [r.uid, r]));
  const result: GrafanaSyncResult = { created: [], updated: [], unchanged: [], deleted: [] };

  for (const [uid, rule] of desired) {
    const have = byUid.get(uid);
    if (!have) {
      await client.createRule(rule);
      result.created.push(uid);
    } else if (ruleMatches(have, rule)) {
      result.unchanged.push(uid);
    } else {
      await client.updateRule(rule);
      result.updated.push(uid);
    }
  }
  for (const r of args.prune === false ? [] : ours) {
    if (!desired.has(r.uid)) {
      await client.deleteRule(r.uid);
      result.deleted.push(r.uid);
    }
  }

  // One interval per group: the shortest metric interval, so no metric is evaluated later than it changes.
  if (wanted.length > 0) {
    const shortest = Math.min(...wanted.map((m) => m.intervalSeconds));
    const interval = Math.max(
      BASE_INTERVAL_SECONDS,
      Math.ceil(shortest / BASE_INTERVAL_SECONDS) * BASE_INTERVAL_SECONDS
    );
    const group = await client.getRuleGroup(cfg.folder_uid, cfg.group);
    if (group && group.interval !== interval) {
      await client.putRuleGroup({ ...group, interval });
      result.groupInterval = interval;
    }
  }
  return result;
}
