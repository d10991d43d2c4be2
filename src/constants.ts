import pluginJson from './plugin.json';

export const PLUGIN_ID = pluginJson.id;
export const PLUGIN_BASE_URL = `/a/${pluginJson.id}`;

/** The app's proxy route to the dtk service (plugin.json `routes`): Grafana adds the token. */
export const SERVICE_PROXY_URL = `/api/plugin-proxy/${pluginJson.id}/api`;

export enum ROUTES {
  Overview = 'overview',
}
