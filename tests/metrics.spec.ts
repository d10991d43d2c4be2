import { DEMO_METRICS, expect, TEST_IDS, test } from './fixtures';

test.describe('Metrics page', () => {
  test('lists the demo metrics', async ({ gotoPage, page }) => {
    await gotoPage('/metrics');
    const table = page.getByTestId(TEST_IDS.metricsTable);
    await expect(table).toBeVisible();
    for (const name of DEMO_METRICS) {
      await expect(table.getByText(name, { exact: true }).first()).toBeVisible();
    }
  });

  test('opens a metric from the list and shows its band chart', async ({ gotoPage, page }) => {
    await gotoPage('/metrics');
    const table = page.getByTestId(TEST_IDS.metricsTable);
    const entry = table
      .getByRole('link', { name: 'api_requests', exact: true })
      .or(table.getByText('api_requests', { exact: true }))
      .first();
    await entry.click();

    await expect(page).toHaveURL(/\/a\/detectkit-anomaly-app\/metrics\/api_requests(\?|$)/);
    const chart = page.getByTestId(TEST_IDS.metricDetailChart);
    await expect(chart).toBeVisible();
    // The band chart is drawn by uPlot on a canvas once the series arrived.
    await expect(chart.locator('canvas').first()).toBeVisible({ timeout: 20_000 });
  });

  test('a metric page opens from its own URL', async ({ gotoPage, page }) => {
    await gotoPage(`/metrics/${encodeURIComponent('error_rate_pct')}`);
    await expect(page.getByText('error_rate_pct').first()).toBeVisible();
    await expect(page.getByTestId(TEST_IDS.metricDetailChart).locator('canvas').first()).toBeVisible({
      timeout: 20_000,
    });
  });
});

test.describe('Alerts page', () => {
  test('shows the alert history table', async ({ gotoPage, page }) => {
    await gotoPage('/alerts');
    await expect(page.getByTestId(TEST_IDS.alertsTable)).toBeVisible();
  });
});
