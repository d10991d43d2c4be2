import { expect, SERVICE_TOKEN, SERVICE_URL, test } from './fixtures';

test.describe('app configuration', () => {
  test('saves the service URL and token, and Test connection reaches dtk', async ({ appConfigPage, page }) => {
    const token = page.getByLabel('Service token');

    // Provisioning (provisioning/plugins/apps.yaml) already stored a token: reset it to type a new one.
    const reset = page.getByRole('button', { name: 'Reset' });
    if (await reset.isVisible()) {
      await reset.click();
    }
    await page.getByLabel('Service URL').fill(SERVICE_URL);
    await token.fill(SERVICE_TOKEN);

    const saved = appConfigPage.waitForSettingsResponse();
    await page.getByRole('button', { name: /save/i }).click();
    await expect(saved).toBeOK();

    // Saving reloads the page; the token is stored but never shown again.
    await expect(page.getByLabel('Service URL')).toHaveValue(SERVICE_URL);
    await expect(page.getByRole('button', { name: 'Reset' })).toBeVisible();

    await page.getByRole('button', { name: 'Test connection' }).click();
    const result = page.getByRole('status', { name: 'Connected' });
    await expect(result).toBeVisible({ timeout: 15_000 });
    await expect(result).toContainText(/dtk \d+\.\d+\.\d+\S*: ok/);
  });

  test('the service health answers through the app proxy with the stored token', async ({ serviceApi }) => {
    const health = await serviceApi.get('/health');
    expect(health.ok()).toBe(true);
    expect(await health.json()).toMatchObject({ status: 'ok', storage: { kind: 'clickhouse', ok: true } });

    // A token-protected endpoint: 200 means Grafana's proxy route sent the right token.
    const metrics = await serviceApi.get('/metrics');
    expect(metrics.status()).toBe(200);
  });
});
