/**
 * The page side of the browser harness, bundled for Chromium with esbuild (see bundle.ts). It plays the part of
 * Grafana's frontend for the built plugin in dist/:
 *
 * - the shared libraries Grafana hands to plugins (the webpack externals of .config/bundler/externals.ts) are the
 *   real packages from node_modules, imported below;
 * - dist modules are loaded as Grafana's SystemJS does: a script whose AMD `define(deps, factory)` gets those
 *   externals, and `module` (whose uri sets webpack's public path for lazy chunks);
 * - `getBackendSrv()` is a small fetch() wrapper. Requests go to this page's own server, which stands in for
 *   Grafana's plugin and data source proxies: it forwards `/api/plugin-proxy/<app>/api/*` and
 *   `/api/datasources/proxy/uid/<uid>/api/*` to a running `dtk serve` and adds the bearer token, so the token
 *   never reaches the page, as in Grafana.
 */
import React from 'react';
import * as ReactAll from 'react';
import * as ReactDOM from 'react-dom';
import { createRoot, type Root } from 'react-dom/client';
import { flushSync } from 'react-dom';
import * as jsxRuntime from 'react/jsx-runtime';
import * as ReactRouter from 'react-router';
import { MemoryRouter, Route, Routes } from 'react-router';
import * as rxjs from 'rxjs';
import { Observable, from as fromAny, lastValueFrom } from 'rxjs';
import * as lodash from 'lodash';
import * as moment from 'moment';
import * as i18next from 'i18next';
import * as emotionCss from '@emotion/css';
import * as emotionReact from '@emotion/react';
import * as grafanaData from '@grafana/data';
import {
  EventBusSrv,
  FieldType,
  LoadingState,
  ThemeContext,
  createDataFrame,
  dateTime,
  type AppPlugin,
  type AppRootProps,
  type DataFrame,
  type DataQueryRequest,
  type DataQueryResponse,
  type DataSourceApi,
  type DataSourceInstanceSettings,
  type DataSourcePlugin,
  type PanelPlugin,
  type PanelProps,
  type TimeRange,
} from '@grafana/data';
import * as grafanaUi from '@grafana/ui';
import { GlobalStyles } from '@grafana/ui';
import * as grafanaRuntime from '@grafana/runtime';
import {
  config,
  setAppEvents,
  setBackendSrv,
  setTemplateSrv,
  type BackendSrv,
  type BackendSrvRequest,
  type FetchResponse,
  type TemplateSrv,
} from '@grafana/runtime';
import type {
  ChartInspection,
  DataSourceCheck,
  DistModule,
  DrawTiming,
  HarnessApi,
  LoadedModule,
  PanelInfo,
  PanelMount,
} from './api';
import { DRAW_MEASURE } from '../../../src/charts/measures';
import { chartTestIds } from '../../../src/charts/testIds';

const APP_ID = 'detectkit-anomaly-app';
const DS_UID = 'dtk-harness';

/** What `define` hands to a plugin module, by the names its AMD dependencies use. */
const EXTERNALS: Record<string, unknown> = {
  react: ReactAll,
  'react-dom': ReactDOM,
  'react/jsx-runtime': jsxRuntime,
  'react-router': ReactRouter,
  rxjs,
  lodash,
  moment,
  i18next,
  '@emotion/css': emotionCss,
  '@emotion/react': emotionReact,
  '@grafana/data': grafanaData,
  '@grafana/ui': grafanaUi,
  '@grafana/runtime': grafanaRuntime,
};

type Factory = (...deps: unknown[]) => Record<string, unknown>;
type AmdWindow = Window & {
  define?: ((deps: string[], factory: Factory) => void) & { amd?: object };
  dtkHarness?: HarnessApi;
};
const win = window as AmdWindow;

// --- AMD loading, one script at a time (a script's define() runs while it loads) -------------------------------

let defining: ((d: { deps: string[]; factory: Factory }) => void) | null = null;
win.define = Object.assign(
  (deps: string[], factory: Factory) => {
    if (!defining) {
      throw new Error('define() called outside a harness load');
    }
    defining({ deps, factory });
  },
  { amd: {} }
);

const loaded = new Map<DistModule, Promise<{ exports: Record<string, unknown>; deps: string[] }>>();
/** Scripts load one after another: the define() a script calls belongs to the script being loaded. */
let queue: Promise<unknown> = Promise.resolve();

function loadDist(path: DistModule) {
  let p = loaded.get(path);
  if (!p) {
    p = queue.then(() => loadScript(path));
    queue = p.catch(() => undefined);
    loaded.set(path, p);
  }
  return p;
}

async function loadScript(path: DistModule): Promise<{ exports: Record<string, unknown>; deps: string[] }> {
  const uri = `/dist/${path}`;
  const defined = new Promise<{ deps: string[]; factory: Factory }>((resolve, reject) => {
    defining = resolve;
    const s = document.createElement('script');
    s.src = uri;
    s.onerror = () => reject(new Error(`could not load ${uri}`));
    s.onload = () => setTimeout(() => reject(new Error(`${uri} loaded but did not call define()`)), 0);
    document.head.appendChild(s);
  });
  const { deps, factory } = await defined.finally(() => (defining = null));
  const args = deps.map((d) => {
    if (d === 'module') {
      return { id: uri, uri };
    }
    if (!(d in EXTERNALS)) {
      throw new Error(`${uri} needs "${d}", which the harness does not provide (see EXTERNALS in page.tsx)`);
    }
    return EXTERNALS[d];
  });
  return { exports: factory(...args), deps };
}

// --- Grafana services --------------------------------------------------------------------------------------------

function toQuery(params: BackendSrvRequest['params']): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries((params ?? {}) as Record<string, unknown>)) {
    for (const one of Array.isArray(v) ? v : [v]) {
      if (one !== undefined && one !== null) {
        q.append(k, String(one));
      }
    }
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

function fetchObservable<T>(options: BackendSrvRequest): Observable<FetchResponse<T>> {
  return new Observable<FetchResponse<T>>((subscriber) => {
    const ctrl = new AbortController();
    const url = `${options.url}${toQuery(options.params)}`;
    fetch(url, {
      method: options.method ?? 'GET',
      headers: { 'content-type': 'application/json', ...(options.headers ?? {}) },
      body: options.data === undefined ? undefined : JSON.stringify(options.data),
      signal: ctrl.signal,
    })
      .then(async (res) => {
        const text = await res.text();
        let data: unknown = text;
        try {
          data = text ? JSON.parse(text) : undefined;
        } catch {
          // not JSON: keep the text
        }
        if (!res.ok) {
          // The shape of Grafana's FetchError (isFetchError checks status and data).
          subscriber.error({ status: res.status, statusText: res.statusText, data, config: options });
          return;
        }
        subscriber.next({
          data: data as T,
          status: res.status,
          statusText: res.statusText,
          ok: res.ok,
          headers: res.headers,
          redirected: res.redirected,
          type: res.type,
          url: res.url,
          config: options,
        });
        subscriber.complete();
      })
      .catch((e: Error) => {
        if (!ctrl.signal.aborted) {
          // What Grafana's proxy answers when it cannot reach the upstream.
          subscriber.error({ status: 502, statusText: 'Bad Gateway', data: { message: e.message }, config: options });
        }
      });
    return () => ctrl.abort();
  });
}

const request = <T,>(options: BackendSrvRequest) => lastValueFrom(fetchObservable<T>(options)).then((r) => r.data);

const backendSrv = {
  fetch: fetchObservable,
  request,
  datasourceRequest: <T,>(options: BackendSrvRequest) => lastValueFrom(fetchObservable<T>(options)),
  get: <T,>(url: string, params?: BackendSrvRequest['params']) => request<T>({ url, params, method: 'GET' }),
  delete: <T,>(url: string, data?: unknown) => request<T>({ url, data, method: 'DELETE' }),
  post: <T,>(url: string, data?: unknown) => request<T>({ url, data, method: 'POST' }),
  patch: <T,>(url: string, data?: unknown) => request<T>({ url, data, method: 'PATCH' }),
  put: <T,>(url: string, data?: unknown) => request<T>({ url, data, method: 'PUT' }),
  resolveCancelerIfExists: () => undefined,
} as unknown as BackendSrv;

/** No dashboard here, so no variables: text passes through unchanged. */
const templateSrv = {
  getVariables: () => [],
  replace: (target?: string) => target ?? '',
  containsTemplate: () => false,
  updateTimeRange: () => undefined,
} as unknown as TemplateSrv;

setBackendSrv(backendSrv);
setTemplateSrv(templateSrv);
setAppEvents(new EventBusSrv());

// --- Rendering ---------------------------------------------------------------------------------------------------

const container = document.getElementById('root')!;
let root: Root | null = null;

function show(node: React.ReactNode, sync = false) {
  root = root ?? createRoot(container);
  const tree = (
    <ThemeContext.Provider value={config.theme2}>
      <GlobalStyles />
      {node}
    </ThemeContext.Provider>
  );
  if (sync) {
    flushSync(() => root!.render(tree));
  } else {
    root.render(tree);
  }
}

function unmount() {
  root?.unmount();
  root = null;
}

function pluginOf<T>(m: { exports: Record<string, unknown> }, path: string): T {
  const plugin = m.exports.plugin;
  if (!plugin) {
    throw new Error(`${path} exports no plugin`);
  }
  return plugin as T;
}

async function dataSource(): Promise<DataSourceApi> {
  const m = await loadDist('datasource/module.js');
  const plugin = pluginOf<DataSourcePlugin<DataSourceApi>>(m, 'datasource/module.js');
  const settings = {
    id: 1,
    uid: DS_UID,
    type: 'detectkit-anomaly-datasource',
    name: 'detectkit',
    url: `/api/datasources/proxy/uid/${DS_UID}`,
    access: 'proxy',
    jsonData: {},
    meta: plugin.meta,
    readOnly: false,
  } as unknown as DataSourceInstanceSettings;
  return new plugin.DataSourceClass(settings);
}

function timeRange(from: number, to: number): TimeRange {
  return { from: dateTime(from), to: dateTime(to), raw: { from: dateTime(from), to: dateTime(to) } };
}

async function runQuery(ds: DataSourceApi, target: Record<string, unknown>, from: number, to: number) {
  const req = {
    requestId: 'harness',
    interval: '1m',
    intervalMs: 60_000,
    range: timeRange(from, to),
    scopedVars: {},
    targets: [{ refId: 'A', ...target }],
    timezone: 'utc',
    app: 'dashboard',
    startTime: Date.now(),
  } as unknown as DataQueryRequest;
  const res = (await lastValueFrom(fromAny(ds.query(req)))) as DataQueryResponse;
  return res.data as DataFrame[];
}

/** One metric with `bands` detectors, values in the DS's own field naming (see src/datasource/frames.ts). */
function syntheticFrames(points: number, bands: number, phase: number, to: number): DataFrame[] {
  const step = 60_000;
  const time = new Array<number>(points);
  const value = new Array<number>(points);
  for (let i = 0; i < points; i++) {
    time[i] = to - (points - i) * step;
    value[i] = 100 + 20 * Math.sin((i + phase) / 500) + 5 * Math.sin((i * 7 + phase) / 13) + (i % 997 === 0 ? 60 : 0);
  }
  const fields: Array<{
    name: string;
    type: FieldType;
    values: Array<number | null>;
    labels?: Record<string, string>;
    config?: { custom: Record<string, unknown> };
  }> = [
    { name: 'time', type: FieldType.time, values: time },
    { name: 'synthetic', type: FieldType.number, values: value },
  ];
  for (let b = 0; b < bands; b++) {
    const w = 10 + b * 8;
    const name = `synthetic D${b}`;
    const labels = { detector: `Detector${b}`, detector_id: `d${b}` };
    fields.push(
      {
        name: `${name} lower`,
        type: FieldType.number,
        values: value.map((v, i) => v - w - 3 * Math.sin(i / 50)),
        labels,
      },
      {
        name: `${name} upper`,
        type: FieldType.number,
        values: value.map((v, i) => v + w + 3 * Math.sin(i / 50)),
        labels,
        config: { custom: { fillBelowTo: `${name} lower` } },
      },
      {
        name: `${name} anomaly`,
        type: FieldType.number,
        values: value.map((v, i) => (i % 997 === 0 ? v : null)),
        labels,
        config: { custom: { drawStyle: 'points' } },
      }
    );
  }
  return [createDataFrame({ refId: 'A', name: 'synthetic', fields })];
}

let lastRangeChange: { from: number; to: number } | null = null;

async function panelElement(m: PanelMount, frames: DataFrame[]) {
  const plugin = pluginOf<PanelPlugin>(await loadDist('panels/bands/module.js'), 'panels/bands/module.js');
  const Panel = plugin.panel!;
  const range = timeRange(m.from, m.to);
  const props = {
    id: 1,
    data: { series: frames, state: LoadingState.Done, timeRange: range },
    timeRange: range,
    timeZone: 'utc',
    options: { bandOpacity: 20, markerSize: 7, detectors: [], ...m.options },
    transparent: false,
    width: m.width,
    height: m.height,
    fieldConfig: { defaults: {}, overrides: [] },
    renderCounter: 0,
    title: 'Confidence bands',
    eventBus: new EventBusSrv(),
    onOptionsChange: () => undefined,
    onFieldConfigChange: () => undefined,
    replaceVariables: (s: string) => s,
    onChangeTimeRange: (r: { from: number; to: number }) => (lastRangeChange = { from: r.from, to: r.to }),
  } as unknown as PanelProps;
  return (
    <div style={{ width: m.width, height: m.height, padding: 0 }} data-testid="harness-panel">
      <Panel {...props} />
    </div>
  );
}

async function framesFor(m: PanelMount, phase = 0): Promise<DataFrame[]> {
  if (m.synthetic) {
    return syntheticFrames(m.synthetic.points, m.synthetic.bands, phase, m.to);
  }
  return runQuery(await dataSource(), { metric: m.metric ?? '' }, m.from, m.to);
}

const drawMeasures = () => performance.getEntriesByName(DRAW_MEASURE, 'measure') as PerformanceMeasure[];

async function waitFor<T>(what: string, check: () => T | null | undefined, ms = 10_000): Promise<T> {
  const deadline = performance.now() + ms;
  for (;;) {
    const v = check();
    if (v !== null && v !== undefined) {
      return v;
    }
    if (performance.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((r) => requestAnimationFrame(r));
  }
}

const harness: HarnessApi = {
  async load(path) {
    const m = await loadDist(path);
    const plugin = m.exports.plugin as { constructor?: { name?: string } } | undefined;
    const info: LoadedModule = {
      path,
      exports: Object.keys(m.exports),
      // Class names do not survive minification; recognise the plugin by what it carries.
      pluginType: !plugin
        ? 'none'
        : 'root' in plugin && typeof (plugin as AppPlugin).root === 'function'
          ? 'AppPlugin'
          : 'DataSourceClass' in plugin
            ? 'DataSourcePlugin'
            : 'panel' in plugin
              ? 'PanelPlugin'
              : 'unknown',
      dependencies: m.deps,
    };
    return info;
  },

  async mountPanel(m) {
    const frames = await framesFor(m);
    show(await panelElement(m, frames));
    const info: PanelInfo = {
      fields: frames.flatMap((f) => f.fields.map((x) => x.name)),
      points: frames.reduce((n, f) => n + f.length, 0),
    };
    return info;
  },

  async measureDraw(m) {
    const setDataToDraw: number[] = [];
    const propsToDraw: number[] = [];
    show(await panelElement(m, await framesFor(m, 0)), true);
    await waitFor('the first draw', () => document.querySelector('[data-markers]'));
    for (let run = 1; run <= m.runs; run++) {
      // Same layout, new values: the chart must take the setData path, not build a new plot.
      const element = await panelElement(m, await framesFor(m, run * 37));
      const before = drawMeasures().length;
      const started = performance.now();
      show(element, true);
      const measure = await waitFor('a draw after setData', () => drawMeasures()[before]);
      setDataToDraw.push(measure.duration);
      propsToDraw.push(measure.startTime + measure.duration - started);
      await new Promise((r) => setTimeout(r, 50));
    }
    const timing: DrawTiming = {
      setDataToDraw,
      propsToDraw,
      points: m.synthetic?.points ?? 0,
      bands: m.synthetic?.bands ?? 0,
    };
    return timing;
  },

  async checkDataSource(q) {
    const ds = await dataSource();
    const health = (await ds.testDatasource()) as { status: string; message: string };
    const values = async (query: string) =>
      (await ds.metricFindQuery!(query, {})).map((v: { text: string }) => String(v.text));
    const events = await runQuery(ds, { metric: q.metric, queryType: 'anomalies' }, q.from, q.to);
    const check: DataSourceCheck = {
      health: { status: health.status, message: health.message },
      metrics: await values('metrics()'),
      tags: await values('tags()'),
      anomalyEvents: events.reduce((n, f) => n + f.length, 0),
    };
    return check;
  },

  async mountApp(route) {
    const app = pluginOf<AppPlugin>(await loadDist('module.js'), 'module.js');
    const Root = app.root as React.ComponentType<AppRootProps>;
    const base = `/a/${APP_ID}`;
    const props = {
      meta: { id: APP_ID, name: 'Anomaly detection (detectkit)', type: 'app', enabled: true, jsonData: {} },
      basename: base,
      path: base,
      query: {},
      onNavChanged: () => undefined,
    } as unknown as AppRootProps;
    unmount();
    // Grafana mounts an app's root under a `/a/<id>/*` route; the app's own routes are relative to it.
    show(
      <div style={{ padding: 16 }}>
        <MemoryRouter initialEntries={[`${base}/${route}`]}>
          <Routes>
            <Route path={`${base}/*`} element={<Root {...props} />} />
          </Routes>
        </MemoryRouter>
      </div>
    );
  },

  lastTimeRangeChange: () => lastRangeChange,

  inspectChart() {
    const chart = document.querySelector<HTMLElement>(`[data-testid="${chartTestIds.chart}"]`);
    const canvas = chart?.querySelector('canvas');
    if (!chart || !canvas) {
      throw new Error('no band chart is mounted');
    }
    const legendItems = [...chart.querySelectorAll<HTMLElement>(`[data-testid="${chartTestIds.legendItem}"]`)];
    const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    const bandPixels = legendItems
      .filter((e) => e.dataset.kind === 'band')
      .map((e) => {
        const color = e.dataset.color ?? '';
        const [r, g, b] = rgb(color);
        let n = 0;
        for (let i = 0; i < pixels.length; i += 4) {
          const a = pixels[i + 3]!;
          // Band fill (opacity 0.2) and edges (0.45) over nothing: the band's colour, translucent.
          if (a >= 20 && a <= 140 && near(pixels[i]!, r) && near(pixels[i + 1]!, g) && near(pixels[i + 2]!, b)) {
            n++;
          }
        }
        return { color, pixels: n };
      });
    const inspection: ChartInspection = {
      markers: Number(chart.dataset.markers ?? -1),
      points: Number(chart.dataset.points ?? 0),
      legend: legendItems.map((e) => e.textContent ?? ''),
      bandPixels,
      canvas: { width: canvas.width, height: canvas.height },
    };
    return inspection;
  },

  unmount,
};

const near = (a: number, b: number) => Math.abs(a - b) <= 16;

/** `#rrggbb` or `rgb(r, g, b)` → [r, g, b]. */
function rgb(color: string): [number, number, number] {
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})/i.exec(color);
  if (hex) {
    return [parseInt(hex[1]!, 16), parseInt(hex[2]!, 16), parseInt(hex[3]!, 16)];
  }
  const m = color.match(/\d+(\.\d+)?/g)?.map(Number) ?? [];
  return [m[0] ?? -1, m[1] ?? -1, m[2] ?? -1];
}

win.dtkHarness = harness;
