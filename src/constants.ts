import pluginJson from './plugin.json';

export const PLUGIN_ID = pluginJson.id;
export const PLUGIN_BASE_URL = `/a/${pluginJson.id}`;

/** The app's proxy route to the dtk service (plugin.json `routes`): Grafana adds the token. */
export const SERVICE_PROXY_URL = `/api/plugin-proxy/${pluginJson.id}/api`;

/** The app's configuration page (service URL and token): where every connection error points. */
export const CONFIG_PAGE_URL = `/plugins/${pluginJson.id}`;

/** Route patterns below PLUGIN_BASE_URL (react-router v6, relative to the app's root). */
export enum ROUTES {
  /** The metric list: the default page. */
  Metrics = 'metrics',
  /** Older name of the default page, kept so existing links and bookmarks still land on the list. */
  Overview = 'overview',
  MetricDetail = 'metrics/:name',
  MetricEdit = 'metrics/:name/edit',
  NewMetric = 'new',
  Alerts = 'alerts',
}

/** Links to the app's pages. Metric names are URL-encoded: fan-out series are named like `cpu{instance="a"}`. */
export const urls = {
  metrics: () => `${PLUGIN_BASE_URL}/${ROUTES.Metrics}`,
  metric: (name: string) => `${PLUGIN_BASE_URL}/${ROUTES.Metrics}/${encodeURIComponent(name)}`,
  editMetric: (name: string) => `${PLUGIN_BASE_URL}/${ROUTES.Metrics}/${encodeURIComponent(name)}/edit`,
  newMetric: () => `${PLUGIN_BASE_URL}/${ROUTES.NewMetric}`,
  alerts: (metric?: string) =>
    `${PLUGIN_BASE_URL}/${ROUTES.Alerts}${metric ? `?metric=${encodeURIComponent(metric)}` : ''}`,
};
