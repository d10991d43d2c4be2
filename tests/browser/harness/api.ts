/**
 * What the harness page (page.tsx, in Chromium) offers the tests (in Node) through `window.dtkHarness`. Plain
 * data only: it crosses the page boundary as JSON.
 */

/** A dist module as Grafana would load it: `module.js`, `datasource/module.js`, `panels/bands/module.js`. */
export type DistModule = 'module.js' | 'datasource/module.js' | 'panels/bands/module.js';

export interface LoadedModule {
  path: DistModule;
  /** Names the module exported (`plugin`). */
  exports: string[];
  /** Class of `plugin`: AppPlugin, DataSourcePlugin or PanelPlugin. */
  pluginType: string;
  /** The externals the module asked for (its AMD dependencies). */
  dependencies: string[];
}

export interface PanelMount {
  /** Query through the data source plugin (`series` query of this metric) over [from, to] (epoch ms)... */
  metric?: string;
  /** ...or synthetic frames: one metric with this many points and bands (the draw benchmark). */
  synthetic?: { points: number; bands: number };
  from: number;
  to: number;
  width: number;
  height: number;
  options?: { bandOpacity?: number; markerSize?: number; detectors?: string[] };
}

export interface PanelInfo {
  /** Field names of the frames the panel was given. */
  fields: string[];
  points: number;
}

export interface DrawTiming {
  /** setData → uPlot's draw hook, per run (ms): BandChart's User Timing measure. */
  setDataToDraw: number[];
  /** New panel props (frames → series → model → setData) → draw hook, per run (ms). */
  propsToDraw: number[];
  points: number;
  bands: number;
}

export interface DataSourceCheck {
  health: { status: string; message: string };
  /** metricFindQuery('metrics()'). */
  metrics: string[];
  /** metricFindQuery('tags()'). */
  tags: string[];
  /** Rows of an anomalies query (annotation events) for the metric over the range. */
  anomalyEvents: number;
}

export interface ChartInspection {
  /** Anomaly markers drawn (BandChart's `data-markers`). */
  markers: number;
  points: number;
  legend: string[];
  /** Per legend band colour: canvas pixels of that colour drawn translucent (the band fill and its edges). */
  bandPixels: Array<{ color: string; pixels: number }>;
  /** Canvas size in pixels. */
  canvas: { width: number; height: number };
}

export interface HarnessApi {
  load(path: DistModule): Promise<LoadedModule>;
  /** Renders the band panel (replacing what was mounted). */
  mountPanel(m: PanelMount): Promise<PanelInfo>;
  /** Re-renders a synthetic panel `runs` times with new values of the same shape and times each draw. */
  measureDraw(m: PanelMount & { runs: number }): Promise<DrawTiming>;
  checkDataSource(q: { metric: string; from: number; to: number }): Promise<DataSourceCheck>;
  /** Renders the app plugin's root page at `/a/<app id>/<route>` in a memory router. */
  mountApp(route: string): Promise<void>;
  /** The last range the panel asked the dashboard to zoom to (a drag across the plot), if any. */
  lastTimeRangeChange(): { from: number; to: number } | null;
  /** What the mounted band chart shows. */
  inspectChart(): ChartInspection;
  unmount(): void;
}
