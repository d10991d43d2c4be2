import type { DataSourceJsonData } from '@grafana/data';
import type { DataQuery } from '@grafana/schema';

export interface AnomalyQuery extends DataQuery {
  /** Metric name as defined in the dtk project (or the UI). */
  metric: string;
}

export const DEFAULT_QUERY: Partial<AnomalyQuery> = { metric: '' };

export interface AnomalyDataSourceOptions extends DataSourceJsonData {
  /** Base URL of the dtk service, as Grafana's server reaches it. */
  serviceUrl?: string;
}

/** Stored in secureJsonData: sent to the service by the proxy route, never to the browser. */
export interface AnomalySecureJsonData {
  serviceToken?: string;
}
