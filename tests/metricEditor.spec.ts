import { expect, fillCode, TEST_IDS, test } from './fixtures';

/** A UI-created metric over the demo table the compose stack fills (demo.ops_metrics). */
const QUERY = `SELECT toStartOfInterval(ts, INTERVAL {{ interval_seconds }} SECOND) AS timestamp,
       sum(value) AS value
FROM demo.ops_metrics
WHERE m = 'api_requests'
  AND ts >= toDateTime('{{ dtk_start_time }}', 'UTC') AND ts < toDateTime('{{ dtk_end_time }}', 'UTC')
GROUP BY timestamp
ORDER BY timestamp`;

test.describe('metric editor', () => {
  test('creates a metric after a live preview of its bands', async ({ gotoPage, page, serviceApi }) => {
    test.slow(); // the preview loads and detects a week of points before it draws
    // A name of its own per run, removed at the end through the service API (UI metrics live in ClickHouse).
    const name = `e2e_ui_requests_${Date.now().toString(36)}`;
    try {
      await gotoPage('/new');
      await page.getByLabel(/^name/i).first().fill(name);
      const interval = page.getByLabel(/^interval/i).first();
      if (await interval.isVisible()) {
        await interval.fill('5min');
      }
      const queryField = page
        .getByRole('textbox', { name: /query|sql/i })
        .or(page.getByLabel(/query|sql/i))
        .or(page.locator('.monaco-editor textarea'))
        .first();
      await fillCode(page, queryField, QUERY);

      // The preview follows the form; a Preview button, when the editor has one, asks for it at once.
      const previewButton = page.getByRole('button', { name: /preview/i }).first();
      if (await previewButton.isVisible()) {
        await previewButton.click();
      }
      const preview = page.getByTestId(TEST_IDS.editorPreview);
      await expect(preview).toBeVisible();
      await expect(preview.locator('canvas').first()).toBeVisible({ timeout: 60_000 });

      const created = page.waitForResponse(
        (r) => /\/api\/metrics\/?$/.test(new URL(r.url()).pathname) && r.request().method() === 'POST'
      );
      await page
        .getByRole('button', { name: /^(save|create)/i })
        .first()
        .click();
      expect((await created).status()).toBe(201);

      // Stored by the service and listed by the app.
      expect((await serviceApi.get(`/metrics/${encodeURIComponent(name)}`)).ok()).toBe(true);
      await gotoPage('/metrics');
      await expect(page.getByTestId(TEST_IDS.metricsTable).getByText(name, { exact: true }).first()).toBeVisible();
    } finally {
      const res = await serviceApi.delete(`/metrics/${encodeURIComponent(name)}`);
      expect([200, 404]).toContain(res.status());
    }
  });
});
