import fs from 'node:fs';
import path from 'node:path';
import type { DistModule } from './harness/api';
import { ensureDist, REPO } from './harness/dist';
import { measureBandChartDraw, type DrawSummary } from './harness/drawBench';
import { startDemoService, type DtkService } from './harness/dtkService';
import { chromiumAvailable, CHROMIUM, openSession, type HarnessSession } from './harness/session';

/**
 * The built plugin (dist/) in Debian's Chromium, loaded the way Grafana loads plugins (AMD modules with the shared
 * libraries as externals), against a real `dtk serve` on the demo project (see harness/). Screenshots and the
 * draw timing go to tests/e2e/screenshots/ (git-ignored).
 */
const SHOTS = path.join(REPO, 'tests/e2e/screenshots');
const DAY = 86_400_000;

if (!chromiumAvailable()) {
  process.stderr.write(`\nSKIPPED browser tests: ${CHROMIUM} is absent (apt-get install chromium)\n`);
}
const describeIfChromium = chromiumAvailable() ? describe : describe.skip;

describeIfChromium(`plugin in Chromium (${CHROMIUM})`, () => {
  let dtk: DtkService;
  let s: HarnessSession;
  const to = Date.now();
  const from = to - 3 * DAY;

  beforeAll(async () => {
    ensureDist((line) => process.stderr.write(`${line}\n`));
    fs.mkdirSync(SHOTS, { recursive: true });
    dtk = await startDemoService(3);
    s = await openSession({ dtk: { url: dtk.url, token: dtk.token } });
  }, 600_000);

  afterAll(async () => {
    await s?.close();
    await dtk?.stop();
  });

  /** Every test ends with no console errors, page errors or failed requests. */
  afterEach(() => {
    const errors = s ? s.errors.splice(0) : [];
    expect(errors).toEqual([]);
  });

  test.each<[DistModule, string, string[]]>([
    ['module.js', 'AppPlugin', ['react', '@grafana/data', '@grafana/ui', '@grafana/runtime', 'module']],
    ['datasource/module.js', 'DataSourcePlugin', ['@grafana/data', '@grafana/runtime', 'module']],
    ['panels/bands/module.js', 'PanelPlugin', ['react', '@grafana/data', '@grafana/ui', 'module']],
  ])('dist/%s loads as Grafana loads it: a %s, its libraries as externals', async (file, type, deps) => {
    const m = await s.call('load', file);
    expect(m.exports).toContain('plugin');
    expect(m.pluginType).toBe(type);
    expect(m.dependencies).toEqual(expect.arrayContaining(deps));
    // uPlot is bundled (not a Grafana external), React is not.
    expect(m.dependencies).not.toContain('uplot');
  });

  test('the data source reaches the service through its proxy route: health, variables, anomaly events', async () => {
    const check = await s.call('checkDataSource', { metric: 'api_requests', from, to });
    // What the service itself lists, asked directly with the token.
    const direct = await fetch(`${dtk.url}/api/metrics`, { headers: { authorization: `Bearer ${dtk.token}` } });
    const names = ((await direct.json()) as { metrics: Array<{ name: string }> }).metrics.map((m) => m.name).sort();
    expect(names).toEqual(
      expect.arrayContaining(['api_latency_p95_ms', 'api_requests', 'error_rate_pct', 'queue_depth'])
    );
    expect(check.health).toEqual({ status: 'success', message: expect.stringMatching(/^dtk .+: ok, \d+ metrics$/) });
    expect(check.health.message).toContain(`ok, ${names.length} metrics`);
    expect(check.metrics).toEqual(names);
    expect(check.tags).toContain('demo');
    expect(check.anomalyEvents).toBeGreaterThan(0);
    // The page asked Grafana's data source proxy; the proxy (not the page) added the token the service requires.
    const viaDs = s.server.proxied.filter((r) => r.path.startsWith('/api/datasources/proxy/uid/'));
    expect(viaDs.map((r) => r.upstream)).toEqual(
      expect.arrayContaining([
        '/api/health',
        '/api/metrics',
        expect.stringMatching(/^\/api\/metrics\/api_requests\/detections\?/),
      ])
    );
    expect(viaDs.every((r) => r.status === 200)).toBe(true);
    const anonymous = await fetch(`${dtk.url}/api/metrics`);
    expect(anonymous.status).toBe(401);
  });

  test('the band panel draws real data: bands in their colours, anomaly markers, legend, tooltip', async () => {
    const info = await s.call('mountPanel', { metric: 'api_requests', from, to, width: 1200, height: 480 });
    expect(info.fields).toEqual(expect.arrayContaining(['time', 'api_requests']));
    expect(info.points).toBeGreaterThan(800);
    const chart = s.page.getByTestId('data-testid dtk-band-chart');
    await chart.waitFor();
    await s.page.waitForFunction("Number(document.querySelector('[data-markers]')?.getAttribute('data-markers')) > 0");
    const inspection = await s.call('inspectChart');
    expect(inspection.markers).toBeGreaterThan(0);
    expect(inspection.legend.join(' | ')).toMatch(/^api_requests \| MAD \(.*\)\d+ anomalies \| ZScore \(.*\)/);
    // Each band's colour is on the canvas, translucent (fill at 20 % and its edges).
    expect(inspection.bandPixels).toHaveLength(2);
    expect(Math.max(...inspection.bandPixels.map((b) => b.pixels))).toBeGreaterThan(500);

    // Hover in the middle of the plot: the tooltip shows time, value and each band's bounds.
    const plot = s.page.getByTestId('data-testid dtk-band-chart-plot');
    const box = (await plot.boundingBox())!;
    await s.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const tooltip = s.page.getByTestId('data-testid dtk-band-chart-tooltip');
    await tooltip.waitFor({ state: 'visible' });
    await expect(tooltip.textContent()).resolves.toMatch(
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d.*api_requests.*MADDetector.*–.*ZScoreDetector/
    );
    await s.page.getByTestId('harness-panel').screenshot({ path: path.join(SHOTS, 'band-panel.png') });

    // A drag across the plot asks the dashboard for that time range (as Grafana's time series panel does).
    await s.page.mouse.move(box.x + box.width * 0.25, box.y + box.height / 2);
    await s.page.mouse.down();
    await s.page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2, { steps: 5 });
    await s.page.mouse.up();
    const zoom = await s.call('lastTimeRangeChange');
    expect(zoom).not.toBeNull();
    expect(zoom!.from).toBeGreaterThan(from);
    expect(zoom!.to).toBeLessThan(to);
    expect(zoom!.to - zoom!.from).toBeGreaterThan(0.1 * (to - from));
  });

  // Speed is reported (here and by `npm run bench -- browser`), never asserted: the test checks that every draw happened.
  test('drawing 100k points with 3 bands: setData → draw is measured for every run', async () => {
    const summary: DrawSummary = await measureBandChartDraw(s, { points: 100_000, bands: 3, runs: 9 });
    fs.writeFileSync(path.join(SHOTS, 'band-chart-draw.json'), `${JSON.stringify(summary, null, 2)}\n`);
    process.stderr.write(
      `BandChart, 100k points × 3 bands: setData→draw median ${summary.setDataToDraw.median} ms ` +
        `(min ${summary.setDataToDraw.min}, max ${summary.setDataToDraw.max}); props→draw median ${summary.propsToDraw.median} ms\n`
    );
    expect(summary.setDataToDraw.all).toHaveLength(9);
    for (const ms of summary.setDataToDraw.all) {
      expect(Number.isFinite(ms) && ms > 0).toBe(true);
    }
  }, 180_000);

  // The app's pages come from another part of the plugin; they are screenshotted when they exist.
  const pages = [
    {
      name: 'metrics list',
      route: 'metrics',
      landmark: 'metrics-table',
      file: 'app-metrics.png',
      src: 'pages/Metrics',
    },
    {
      name: 'metric detail',
      route: 'metrics/api_requests',
      landmark: 'metric-detail-chart',
      file: 'app-metric-detail.png',
      src: 'pages/MetricDetail',
    },
    {
      name: 'editor with preview',
      route: 'new',
      landmark: 'editor-preview',
      file: 'app-editor.png',
      src: 'pages/MetricEditor',
    },
    // A new metric's template query reads a table the demo lacks; editing a demo metric previews real bands.
    {
      name: 'editor of a demo metric',
      route: 'metrics/api_requests/edit',
      landmark: 'editor-preview',
      file: 'app-editor-edit.png',
      src: 'pages/MetricEditor',
    },
  ];
  test.each(pages.filter((p) => fs.existsSync(path.join(REPO, 'src', p.src))))(
    'app page "$name" (/$route) renders through the app root',
    async ({ route, landmark, file }) => {
      await s.call('mountApp', route);
      await s.page.getByTestId(landmark).first().waitFor({ timeout: 30_000 });
      // Let the page's other requests settle before the picture.
      await s.page.waitForTimeout(1500);
      await s.page.screenshot({ path: path.join(SHOTS, file), fullPage: true });
      await s.call('unmount');
    },
    60_000
  );
});
