/**
 * The metric catalog of `dtk serve` (implements serve/contracts MetricCatalogView): metric files merged with
 * UI-managed definitions from `_dtk_metric_configs`, hot-reloaded, with versioned writes for the HTTP API.
 */
export { MetricCatalog, UI_ENV_PREFIX } from './catalog';
export type { CatalogEntry, MetricCatalogOptions, WriteOptions } from './catalog';
export { MetricConfigStore, sqlText } from './configStore';
export type { StoredConfig } from './configStore';
export { redactDefinition, restoreSecrets } from './secrets';
export { flatDefinition, uiRelPath } from './uiDefinition';
