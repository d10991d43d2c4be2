import uPlot from 'uplot';
import { colorManipulator } from '@grafana/data';
import type { BandModel } from './bandData';
import { drawMarkers } from './markers';

/** Theme-derived look; fixed for the life of one plot (a theme change makes a new plot). */
export interface PlotStyle {
  axisColor: string;
  gridColor: string;
  /** CSS font shorthand for axis labels. */
  font: string;
  markerFill: string;
}

/** Read on every draw, so changing them costs a redraw, not a new plot. */
export interface PlotState {
  /** The data last handed to the plot: same layout as the one the options were made from, newer values. */
  model: BandModel;
  /** Band fill opacity, 0–1. */
  bandOpacity: number;
  /** Anomaly marker diameter in CSS pixels; 0 hides markers. */
  markerSize: number;
  /** Legend keys switched off. */
  hidden: ReadonlySet<string>;
  /** Fixed x range (epoch ms), e.g. the dashboard's time range; the data's extent when absent. */
  timeRange?: { from: number; to: number };
}

export interface PlotHooks {
  /** After every draw, with the number of anomaly markers drawn. */
  onDraw: (u: uPlot, markers: number) => void;
  /** Cursor moved (idx null: it left the plot). */
  onCursor: (u: uPlot) => void;
  /** A drag selected [from, to] (epoch ms): the owner zooms (e.g. changes the dashboard time range). */
  onSelect?: (from: number, to: number) => void;
}

export interface PlotSetup {
  width: number;
  height: number;
  style: PlotStyle;
  state: () => PlotState;
  hooks: PlotHooks;
  /** Grafana time zone: `browser` (or empty) for the browser's, `utc`, or an IANA name. */
  timeZone?: string;
}

const BAND_EDGE_ALPHA = 0.45;

/**
 * uPlot options for a model's layout: x in epoch ms (`ms: 1`), one y scale, band fills between each detector's
 * bounds. Models with the same layout reuse these options through `setData`.
 */
export function plotOptions(model: BandModel, setup: PlotSetup): uPlot.Options {
  const { style, state, hooks } = setup;
  const valueIdx = new Set(model.metrics.map((m) => m.valueIdx));
  const series: uPlot.Series[] = [{}];
  const bands: uPlot.Band[] = [];
  for (const m of model.metrics) {
    for (const d of m.detectors) {
      const edge = {
        stroke: colorManipulator.alpha(d.color, BAND_EDGE_ALPHA),
        width: 1,
        points: { show: false },
        show: !state().hidden.has(d.key),
      };
      series[d.upperIdx] = { label: `${m.name} ${d.name} upper`, ...edge };
      series[d.lowerIdx] = { label: `${m.name} ${d.name} lower`, ...edge };
      bands.push({
        series: [d.upperIdx, d.lowerIdx],
        fill: () => colorManipulator.alpha(d.color, state().bandOpacity),
      });
    }
  }
  for (const m of model.metrics) {
    series[m.valueIdx] = { label: m.name, stroke: m.color, width: 1.5, show: !state().hidden.has(m.key) };
  }

  const axis = (side: 0 | 3): uPlot.Axis => ({
    side,
    stroke: style.axisColor,
    font: style.font,
    grid: { stroke: style.gridColor, width: 1 },
    ticks: { stroke: style.gridColor, width: 1 },
    ...(side === 3 ? { size: axisSize } : {}),
  });

  const tz = setup.timeZone;
  const ianaZone = tz === 'utc' ? 'Etc/UTC' : tz && tz !== 'browser' ? tz : undefined;

  return {
    width: setup.width,
    height: setup.height,
    ms: 1,
    ...(ianaZone ? { tzDate: (ts: number) => uPlot.tzDate(new Date(ts), ianaZone) } : {}),
    legend: { show: false },
    series,
    bands,
    scales: {
      x: {
        time: true,
        // uPlot asks on every x change. The data's extent means "fit" (setData, double click): the given time
        // range then; anything else is a drag zoom inside the chart, kept.
        range: (u, min, max) => {
          const r = state().timeRange;
          const x = u.data[0];
          const fit = x.length === 0 || (min === x[0] && max === x[x.length - 1]);
          return r && fit ? [r.from, r.to] : [min, max];
        },
      },
    },
    axes: [axis(0), axis(3)],
    cursor: {
      // Hover points on the value lines only: a dot on every band edge would hide the value.
      points: {
        show: (_u, si) => (valueIdx.has(si) ? document.createElement('div') : (null as unknown as HTMLElement)),
      },
      drag: { x: true, y: false, setScale: !hooks.onSelect },
    },
    hooks: {
      draw: [
        (u) => {
          const s = state();
          hooks.onDraw(u, drawMarkers(u, s.model, s.markerSize, style.markerFill, s.hidden));
        },
      ],
      setCursor: [(u) => hooks.onCursor(u)],
      setSelect: [
        (u) => {
          if (!hooks.onSelect || u.select.width < 2) {
            return;
          }
          const from = u.posToVal(u.select.left, 'x');
          const to = u.posToVal(u.select.left + u.select.width, 'x');
          u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
          hooks.onSelect(Math.round(from), Math.round(to));
        },
      ],
    },
  };
}

/** Width of the y axis from its longest label, so large values are not cut off. */
function axisSize(u: uPlot, values: string[] | null, axisIdx: number): number {
  if (!values || values.length === 0) {
    return 40;
  }
  const longest = values.reduce((a, b) => (b.length > a.length ? b : a), '');
  const font = u.axes[axisIdx]?.font;
  u.ctx.font = Array.isArray(font) ? String(font[0]) : String(font ?? '');
  return Math.ceil(u.ctx.measureText(longest).width / uPlot.pxRatio) + 16;
}
