export { GrafanaClient } from './client';
export type { AlertRuleGroup, AlertRuleInput, GrafanaClientOptions, ProvisionedAlertRule } from './client';
export {
  RULE_UID_PREFIX,
  desiredRule,
  grafanaTargets,
  metricsUsing,
  ruleMatches,
  ruleUid,
  stateSql,
  syncAlertRules,
} from './sync';
export type { GrafanaSyncMetric, GrafanaSyncResult, GrafanaSyncTarget } from './sync';
