import type { APIResponse, Locator, Page } from '@playwright/test';
import { AppConfigPage, AppPage, test as base } from '@grafana/plugin-e2e';
import pluginJson from '../src/plugin.json';

/**
 * Shared setup of the browser tests (tests/*.spec.ts). They need a Grafana with the plugin, its provisioning
 * and a dtk service behind it (docker compose up; docs/deploy.md) at GRAFANA_URL; without GRAFANA_URL every
 * test is skipped.
 */

export const PLUGIN_ID = pluginJson.id;

/** docker-compose.yaml's development default for DTK_API_TOKEN (tests/provisioning.test.ts keeps them equal). */
export const DEV_API_TOKEN = 'dev-only-token-change-me';

/** The token dtk serve runs with: the same DTK_API_TOKEN the stack was started with. */
export const SERVICE_TOKEN = process.env.DTK_API_TOKEN || DEV_API_TOKEN;

/** How Grafana's server reaches the service (the compose service name). */
export const SERVICE_URL = process.env.DTK_SERVICE_URL || 'http://dtk:8080';

/** The demo project's metrics (provisioning/detectkit/metrics/*.yml `name:`). */
export const DEMO_METRICS = [
  'api_requests',
  'api_latency_p95_ms',
  'error_rate_pct',
  'queue_depth',
  'api_requests_custom',
] as const;

/** The provisioned dashboard, relative to provisioning/dashboards. */
export const OVERVIEW_DASHBOARD_FILE = 'detectkit/anomaly-overview.json';

/** data-testid landmarks of the app's pages. */
export const TEST_IDS = {
  metricsTable: 'metrics-table',
  metricDetailChart: 'metric-detail-chart',
  editorPreview: 'editor-preview',
  alertsTable: 'alerts-table',
  /** src/components/testIds.ts `bandsPanel.container` (Grafana's `data-testid <name>` convention). */
  bandsPanel: 'data-testid bands-panel',
} as const;

/** The dtk API through the app's proxy route, as the logged-in browser user (Grafana adds the token). */
export interface ServiceApi {
  get(path: string): Promise<APIResponse>;
  delete(path: string): Promise<APIResponse>;
}

type AppTestFixture = {
  appConfigPage: AppConfigPage;
  gotoPage: (path?: string) => Promise<AppPage>;
  serviceApi: ServiceApi;
  requiresGrafana: void;
};

export const test = base.extend<AppTestFixture>({
  // Auto fixture: runs first for every test and skips it when no Grafana is configured.
  requiresGrafana: [
    async ({}, use, testInfo) => {
      testInfo.skip(!process.env.GRAFANA_URL, 'GRAFANA_URL is not set: no Grafana to test against');
      await use();
    },
    { auto: true },
  ],
  appConfigPage: async ({ gotoAppConfigPage }, use) => {
    await use(await gotoAppConfigPage({ pluginId: PLUGIN_ID }));
  },
  gotoPage: async ({ gotoAppPage }, use) => {
    await use((path) => gotoAppPage({ path, pluginId: PLUGIN_ID }));
  },
  serviceApi: async ({ page }, use) => {
    const url = (path: string) => `/api/plugin-proxy/${PLUGIN_ID}/api${path}`;
    await use({
      get: (path) => page.request.get(url(path)),
      delete: (path) => page.request.delete(url(path)),
    });
  },
});

/**
 * Types into a code field: a plain input/textarea is filled; a code editor (Monaco) is focused, emptied and
 * given the text as one insertion (typing key by key would trigger its auto-closing of quotes and brackets).
 */
export async function fillCode(page: Page, field: Locator, text: string): Promise<void> {
  const tag = await field.evaluate((el) => el.tagName.toLowerCase());
  if (tag === 'textarea' || tag === 'input') {
    await field.fill(text);
    return;
  }
  await field.click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

export { expect } from '@grafana/plugin-e2e';
