import { DEMO_METRICS, expect, OVERVIEW_DASHBOARD_FILE, TEST_IDS, test } from './fixtures';

test.describe('provisioned Anomaly overview dashboard', () => {
  test('the band panel draws every demo metric', async ({ gotoDashboardPage, readProvisionedDashboard }) => {
    const dashboard = await readProvisionedDashboard({ fileName: OVERVIEW_DASHBOARD_FILE });
    const dashboardPage = await gotoDashboardPage({ uid: dashboard.uid });

    // The band panel repeats per value of the `metric` variable (All by default); its title is the metric.
    for (const name of DEMO_METRICS) {
      const panel = dashboardPage.getPanelByTitle(name);
      await panel.scrollIntoView();
      await expect(panel.locator.getByTestId(TEST_IDS.bandsPanel)).toBeVisible({ timeout: 20_000 });
      await expect(panel.locator.locator('canvas').first()).toBeVisible();
    }
  });

  test("Grafana's time series panel shows the value with its band", async ({
    gotoDashboardPage,
    readProvisionedDashboard,
  }) => {
    const dashboard = await readProvisionedDashboard({ fileName: OVERVIEW_DASHBOARD_FILE });
    const dashboardPage = await gotoDashboardPage({ uid: dashboard.uid });
    const panel = dashboardPage.getPanelByTitle('api_requests (time series)');
    await panel.scrollIntoView();
    // Band fields are hidden from the legend by the data source; the value series is listed.
    await expect(panel.locator.getByText('api_requests', { exact: true }).first()).toBeVisible({ timeout: 20_000 });
    await expect(panel.getErrorIcon()).toHaveCount(0);
  });

  test('no panel reports an error', async ({ gotoDashboardPage, readProvisionedDashboard }) => {
    const dashboard = await readProvisionedDashboard({ fileName: OVERVIEW_DASHBOARD_FILE });
    const dashboardPage = await gotoDashboardPage({ uid: dashboard.uid });
    await dashboardPage.waitForPanelsQueriesToComplete({ scrollAll: true, timeout: 30_000 });
    await expect(dashboardPage).not.toHavePanelErrors();
  });
});
