import fs from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { HarnessApi } from './api';
import { buildHarnessBundle } from './bundle';
import { DIST } from './dist';
import { startHarnessServer, type HarnessServer } from './server';

export const CHROMIUM = '/usr/bin/chromium';

export const chromiumAvailable = () => fs.existsSync(CHROMIUM);

type Method = keyof HarnessApi;

export interface HarnessSession {
  page: Page;
  server: HarnessServer;
  /** Console errors, uncaught page errors, failed requests and HTTP errors, as they happen. */
  errors: string[];
  /**
   * Error answers of the dtk service (HTTP 4xx through the proxy routes), which pages handle and show inline (a
   * definition the preview refuses, say). Chromium logs each as a console error; they are kept apart here.
   */
  serviceAnswers: string[];
  call<K extends Method>(name: K, ...args: Parameters<HarnessApi[K]>): Promise<Awaited<ReturnType<HarnessApi[K]>>>;
  chromiumVersion: string;
  close(): Promise<void>;
}

/**
 * Chromium (Debian's, through playwright-core) on the harness page, served with dist/ and, when given, a dtk
 * service behind the proxy routes.
 */
export async function openSession(
  opts: { dtk?: { url: string; token: string }; viewport?: { width: number; height: number } } = {}
): Promise<HarnessSession> {
  const bundle = await buildHarnessBundle();
  const server = await startHarnessServer({ distDir: DIST, bundle, dtk: opts.dtk });
  let browser: Browser | null = null;
  try {
    // --no-sandbox: CI containers run as root, where Chromium's sandbox refuses to start.
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    const page = await browser.newPage({
      viewport: opts.viewport ?? { width: 1400, height: 900 },
      deviceScaleFactor: 1,
    });
    const errors: string[] = [];
    const serviceAnswers: string[] = [];
    const handledByPage = (url: string, status: number) =>
      status >= 400 && status < 500 && /\/api\/(plugin-proxy|datasources\/proxy)\//.test(new URL(url).pathname);
    page.on('console', (m) => {
      if (m.type() !== 'error') {
        return;
      }
      const status = /status of (\d{3})/.exec(m.text());
      if (!(status && handledByPage(m.location().url, Number(status[1])))) {
        errors.push(`console: ${m.text()} (${m.location().url})`);
      }
    });
    page.on('pageerror', (e) => errors.push(`page error: ${e.stack ?? e.message}`));
    page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()} (${r.failure()?.errorText})`));
    page.on('response', (r) => {
      if (handledByPage(r.url(), r.status())) {
        serviceAnswers.push(`HTTP ${r.status()}: ${r.request().method()} ${r.url()}`);
      } else if (r.status() >= 400) {
        errors.push(`HTTP ${r.status()}: ${r.url()}`);
      }
    });
    await page.goto(server.url);
    await page.waitForFunction(() => 'dtkHarness' in globalThis, undefined, { timeout: 30_000 });
    const b = browser;
    return {
      page,
      server,
      errors,
      serviceAnswers,
      chromiumVersion: b.version(),
      call: (name, ...args) =>
        page.evaluate(
          ([n, a]) =>
            (globalThis as unknown as { dtkHarness: Record<string, (...x: unknown[]) => unknown> }).dtkHarness[n]!(
              ...a
            ),
          [name, args] as [string, unknown[]]
        ) as never,
      close: async () => {
        await b.close();
        await server.close();
      },
    };
  } catch (e) {
    await browser?.close();
    await server.close();
    throw e;
  }
}
