import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export interface HarnessServerOptions {
  distDir: string;
  bundle: { js: string; css: string | null };
  /** The dtk service behind the proxy routes, and the token the proxy adds; absent: proxy routes answer 502. */
  dtk?: { url: string; token: string };
}

export interface ProxiedRequest {
  method: string;
  /** The path the page asked for (a Grafana proxy URL). */
  path: string;
  /** The service path it was forwarded to. */
  upstream: string;
  status: number;
}

export interface HarnessServer {
  url: string;
  proxied: ProxiedRequest[];
  close(): Promise<void>;
}

const APP_ID = 'detectkit-anomaly-app';
/** Grafana's proxies for this plugin: the app's `api` route and the data source's (by uid). */
const PROXY = [
  new RegExp(`^/api/plugin-proxy/${APP_ID}/api(/.*)$`),
  /^\/api\/datasources\/proxy\/uid\/[^/]+\/api(\/.*)$/,
];

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.map': 'application/json',
  '.md': 'text/markdown',
};

/**
 * Grafana's part, as far as the plugin sees it: a user (Editor, dark theme) in the boot data, the plugin's files
 * under /dist, and the two proxy routes, which forward to `dtk serve` and add `Authorization: Bearer <token>`
 * server-side, as Grafana's plugin proxy does. Of Grafana's own API only the contact point list is answered
 * (empty: no Grafana here); anything else is a 404 the page would report.
 */
function page(css: boolean): string {
  const boot = {
    settings: { appSubUrl: '', buildInfo: { version: '13.1.0', env: 'production' } },
    user: {
      id: 1,
      login: 'harness',
      name: 'Harness',
      orgId: 1,
      orgRole: 'Editor',
      isSignedIn: true,
      theme: 'dark',
      timezone: 'utc',
    },
    navTree: [],
  };
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>dtk plugin harness</title>
${css ? '<link rel="stylesheet" href="/harness.css">' : ''}
<script>window.grafanaBootData = ${JSON.stringify(boot)};</script>
</head><body><div id="root"></div><script src="/harness.js"></script></body></html>`;
}

const GRAFANA_ICONS = path.dirname(require.resolve('@grafana/ui/package.json'));
/**
 * Grafana's web fonts (Inter, Roboto Mono) ship with Grafana, not with any npm package: Debian's DejaVu fonts
 * stand in for them (Chromium depends on them), so the global styles' @font-face rules resolve.
 */
const FONT_STAND_INS: Array<[RegExp, string]> = [
  [/^\/public\/fonts\/roboto\//, '/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf'],
  [/^\/public\/fonts\/inter\/Inter-Medium/, '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf'],
  [/^\/public\/fonts\//, '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf'],
];

const SPINNER =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M12 2a10 10 0 1 0 10 10h-2a8 8 0 1 1-8-8z"/></svg>';

export async function startHarnessServer(opts: HarnessServerOptions): Promise<HarnessServer> {
  const proxied: ProxiedRequest[] = [];
  const dist = path.resolve(opts.distDir);

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e: Error) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(e.stack ?? e.message);
    });
  });

  const send = (res: http.ServerResponse, status: number, type: string, body: string | Buffer) => {
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
    res.end(body);
  };

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://harness');
    const p = url.pathname;
    if (p === '/') {
      return send(res, 200, 'text/html; charset=utf-8', page(opts.bundle.css !== null));
    }
    if (p === '/harness.js') {
      return send(res, 200, TYPES['.js']!, fs.readFileSync(opts.bundle.js));
    }
    if (p === '/harness.css' && opts.bundle.css) {
      return send(res, 200, TYPES['.css']!, fs.readFileSync(opts.bundle.css));
    }
    if (p.startsWith('/public/build/img/icons/')) {
      // @grafana/ui's icons, where Grafana serves them.
      const icons = path.join(GRAFANA_ICONS, 'dist/public/img/icons');
      const file = path.resolve(icons, `.${decodeURIComponent(p.slice('/public/build/img/icons'.length))}`);
      if (file.startsWith(`${icons}${path.sep}`) && fs.existsSync(file)) {
        return send(res, 200, TYPES['.svg']!, fs.readFileSync(file));
      }
      if (p.endsWith('/unicons/spinner.svg')) {
        // Grafana ships its loading spinner itself; @grafana/ui's package has no copy.
        return send(res, 200, TYPES['.svg']!, SPINNER);
      }
      return send(res, 404, 'text/plain', `no such icon: ${p}`);
    }
    const font = FONT_STAND_INS.find(([re]) => re.test(p))?.[1];
    if (font && fs.existsSync(font)) {
      return send(res, 200, 'font/ttf', fs.readFileSync(font));
    }
    if (p === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    if (p.startsWith('/dist/')) {
      const file = path.resolve(dist, `.${decodeURIComponent(p.slice('/dist'.length))}`);
      if (!file.startsWith(`${dist}${path.sep}`) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
        return send(res, 404, 'text/plain', `not in dist: ${p}`);
      }
      return send(res, 200, TYPES[path.extname(file)] ?? 'application/octet-stream', fs.readFileSync(file));
    }
    const route = PROXY.map((r) => r.exec(p)).find(Boolean);
    if (route) {
      return proxy(req, res, `/api${route[1]}${url.search}`);
    }
    if (p === '/api/v1/provisioning/contact-points') {
      return send(res, 200, 'application/json', '[]');
    }
    return send(res, 404, 'application/json', JSON.stringify({ message: `${p} is not provided by the test harness` }));
  }

  async function proxy(req: http.IncomingMessage, res: http.ServerResponse, upstream: string): Promise<void> {
    const entry: ProxiedRequest = { method: req.method ?? 'GET', path: req.url ?? '', upstream, status: 502 };
    proxied.push(entry);
    if (!opts.dtk) {
      return send(res, 502, 'application/json', JSON.stringify({ message: 'no dtk service behind the harness' }));
    }
    const chunks: Buffer[] = [];
    for await (const c of req) {
      chunks.push(c as Buffer);
    }
    const method = req.method ?? 'GET';
    const r = await fetch(`${opts.dtk.url}${upstream}`, {
      method,
      headers: {
        authorization: `Bearer ${opts.dtk.token}`,
        ...(req.headers['content-type'] ? { 'content-type': req.headers['content-type'] } : {}),
      },
      body: method === 'GET' || method === 'HEAD' || chunks.length === 0 ? undefined : Buffer.concat(chunks),
    }).catch(() => null);
    if (!r) {
      return send(res, 502, 'application/json', JSON.stringify({ message: 'dtk serve is not reachable' }));
    }
    entry.status = r.status;
    return send(res, r.status, r.headers.get('content-type') ?? 'application/json', Buffer.from(await r.arrayBuffer()));
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    proxied,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
