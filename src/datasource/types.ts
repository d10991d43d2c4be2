import type { DataSourceJsonData } from '@grafana/data';
import type { DataQuery } from '@grafana/schema';

/** `series`: values and bands (a time series); `anomalies` and `alerts`: events, e.g. for annotations. */
export type AnomalyQueryType = 'series' | 'anomalies' | 'alerts';

/** Which fields a series query returns. */
export type SeriesField = 'value' | 'bands' | 'anomalies';

export const SERIES_FIELDS: SeriesField[] = ['value', 'bands', 'anomalies'];

export interface AnomalyQuery extends DataQuery {
  /** @default 'series' */
  queryType?: AnomalyQueryType;
  /**
   * Metric name as defined in the dtk project (or the UI), one series of a fan-out metric (`name{label="v"}`), or a
   * template variable (multi-value variables query each metric). Optional for `alerts`: all metrics.
   */
  metric: string;
  /** Detector ids; all of the metric's detectors when empty or absent. */
  detectors?: string[];
  /** Series queries: the fields returned. @default all */
  fields?: SeriesField[];
}

export const DEFAULT_QUERY: Partial<AnomalyQuery> = { queryType: 'series', metric: '', fields: SERIES_FIELDS };

export interface AnomalyDataSourceOptions extends DataSourceJsonData {
  /** Base URL of the dtk service, as Grafana's server reaches it. */
  serviceUrl?: string;
}

/** Stored in secureJsonData: sent to the service by the proxy route, never to the browser. */
export interface AnomalySecureJsonData {
  serviceToken?: string;
}
