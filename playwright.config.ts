import type { PluginOptions } from '@grafana/plugin-e2e';
import { defineConfig, devices } from '@playwright/test';
import { dirname } from 'node:path';

const pluginE2eAuth = `${dirname(require.resolve('@grafana/plugin-e2e'))}/auth`;

/**
 * Browser tests against a running Grafana with the plugin and the dtk service (docker-compose.yaml; see
 * docs/deploy.md): `GRAFANA_URL=http://localhost:3000 npm run e2e`. Without GRAFANA_URL every test is
 * skipped (tests/fixtures.ts) and no login is attempted, so `npm run e2e` passes on machines without Grafana.
 * `npm test` never runs these files (Jest only matches *.test.ts).
 */
const grafanaUrl = process.env.GRAFANA_URL;

/** A browser other than Playwright's download, e.g. Debian's: PLAYWRIGHT_CHROMIUM_EXECUTABLE=/usr/bin/chromium. */
const executablePath = process.env.PLAYWRIGHT_CHROMIUM_EXECUTABLE;
const chrome = {
  ...devices['Desktop Chrome'],
  ...(executablePath ? { launchOptions: { executablePath } } : {}),
};

export default defineConfig<PluginOptions>({
  testDir: './tests',
  testMatch: /.*\.spec\.ts$/,
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 2 : 0,
  reporter: [['list'], ['html', { open: 'never' }]],
  use: {
    baseURL: grafanaUrl || 'http://localhost:3000',
    trace: 'on-first-retry',
  },
  projects: grafanaUrl
    ? [
        // 1. Log in to Grafana and store the cookie for the other tests.
        { name: 'auth', testDir: pluginE2eAuth, testMatch: [/.*\.js/] },
        // 2. Every test starts authenticated as the admin user.
        {
          name: 'chromium',
          use: { ...chrome, storageState: 'playwright/.auth/admin.json' },
          dependencies: ['auth'],
        },
      ]
    : [{ name: 'chromium', use: chrome }],
});
