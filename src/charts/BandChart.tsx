import React, { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { css } from '@emotion/css';
import { dateTimeFormat, type GrafanaTheme2 } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import type { SeriesResponse } from '../../common/api/series';
import { buildBandModel, type BandModel } from './bandData';
import { BandLegend } from './BandLegend';
import { CREATE_MEASURE, DRAW_MEASURE } from './measures';
import { plotOptions, type PlotState } from './plotOptions';
import { chartTestIds } from './testIds';
import { tooltipContent } from './tooltipContent';
import { followCursor, renderTooltip } from './tooltipElement';

export interface BandChartProps {
  data: SeriesResponse[];
  width: number;
  height: number;
  /** Band fill opacity, 0–1. @default 0.2 */
  bandOpacity?: number;
  /** Anomaly marker diameter in CSS pixels; 0 hides the markers. @default 7 */
  markerSize?: number;
  /** Detector ids whose bands and markers are shown; all when absent. */
  detectors?: string[];
  /** Grafana time zone: `browser` (default), `utc` or an IANA name. */
  timeZone?: string;
  /** The x range in epoch ms (e.g. the dashboard's time range); the data's extent when absent. */
  timeRange?: { from: number; to: number };
  /** When set, a drag across the plot reports the range here instead of zooming inside the chart. */
  onZoom?: (range: { from: number; to: number }) => void;
}

const MIN_PLOT_HEIGHT = 60;

/**
 * Values of several series, each detector's confidence band, anomaly markers, a tooltip and a legend, drawn by
 * uPlot (bundled; not @grafana/ui's deprecated TimeSeries). React renders the frame and the legend; everything
 * per point stays in uPlot: new data with the same layout goes through `setData`, a size change through `setSize`,
 * opacity, marker size and legend toggles through a redraw, and hovering only touches the tooltip element.
 */
export function BandChart({
  data,
  width,
  height,
  bandOpacity = 0.2,
  markerSize = 7,
  detectors,
  timeZone,
  timeRange,
  onZoom,
}: BandChartProps) {
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  const colors = useMemo(() => theme.visualization.palette.map((c) => theme.visualization.getColorByName(c)), [theme]);
  // Callers often pass a fresh array each render: the model is rebuilt only when the selection changes.
  const detectorKey = detectors ? JSON.stringify(detectors) : null;
  const model = useMemo(
    () => buildBandModel(data, { colors, detectors: detectorKey ? (JSON.parse(detectorKey) as string[]) : undefined }),
    [data, detectorKey, colors]
  );
  const [hidden, setHidden] = useState<ReadonlySet<string>>(() => new Set());
  const [legendHeight, setLegendHeight] = useState(0);
  const plotHeight = Math.max(height - legendHeight, MIN_PLOT_HEIGHT);
  const empty = model.x.length === 0;

  const rootRef = useRef<HTMLDivElement>(null);
  const plotRef = useRef<HTMLDivElement>(null);
  const legendRef = useRef<HTMLDivElement>(null);
  const tooltipRef = useRef<HTMLDivElement>(null);
  const uRef = useRef<uPlot | null>(null);
  /** The model whose data the plot holds, and the time range it was scaled to. */
  const plotted = useRef<{ model: BandModel; range: string } | null>(null);
  /** performance.now() of the last setData (or creation) not drawn yet, and which it was. */
  const pending = useRef<{ start: number; measure: string } | null>(null);
  const lastIdx = useRef<number | null>(null);
  const state = useRef<PlotState>({ model, bandOpacity, markerSize, hidden, timeRange });
  const size = useRef({ width, height: plotHeight });
  const zoom = useRef(onZoom);

  // Everything the plot reads while it draws or hovers, current before any effect below runs.
  useLayoutEffect(() => {
    state.current = { model, bandOpacity, markerSize, hidden, timeRange };
    size.current = { width, height: plotHeight };
    zoom.current = onZoom;
  });

  const formatTime = useCallback(
    (ms: number) => dateTimeFormat(ms, { timeZone, format: 'YYYY-MM-DD HH:mm:ss' }),
    [timeZone]
  );

  // The legend's height comes off the plot's.
  useLayoutEffect(() => {
    const el = legendRef.current;
    if (!el) {
      return undefined;
    }
    setLegendHeight(el.offsetHeight);
    if (typeof ResizeObserver === 'undefined') {
      return undefined;
    }
    const ro = new ResizeObserver(() => setLegendHeight(el.offsetHeight));
    ro.observe(el);
    return () => ro.disconnect();
  }, [empty]);

  const hasZoom = Boolean(onZoom);
  // A new plot only when the layout (series, colours), the theme or the time zone changes.
  useEffect(() => {
    const el = plotRef.current;
    if (!el || empty) {
      return undefined;
    }
    const current = state.current.model;
    const opts = plotOptions(current, {
      ...size.current,
      timeZone,
      style: {
        axisColor: theme.colors.text.secondary,
        gridColor: theme.colors.border.weak,
        // Canvas text wants pixels; 12px is what Grafana's own uPlot axes use.
        font: `12px ${theme.typography.fontFamily}`,
        markerFill: theme.colors.error.main,
      },
      state: () => state.current,
      hooks: {
        onDraw: (u, markers) => {
          rootRef.current?.setAttribute('data-markers', String(markers));
          const p = pending.current;
          if (p) {
            pending.current = null;
            recordMeasure(p.measure, p.start, u.data[0].length);
          }
        },
        onCursor: (u) => {
          const tip = tooltipRef.current;
          if (tip) {
            followCursor(u, tip, size.current, lastIdx, (idx) =>
              renderTooltip(tip, tooltipContent(state.current.model, idx, state.current.hidden), styles.tip, formatTime)
            );
          }
        },
        ...(hasZoom ? { onSelect: (from: number, to: number) => zoom.current?.({ from, to }) } : {}),
      },
    });
    pending.current = { start: performance.now(), measure: CREATE_MEASURE };
    const u = new uPlot(opts, current.data, el);
    uRef.current = u;
    plotted.current = { model: current, range: rangeKeyOf(state.current.timeRange) };
    return () => {
      u.destroy();
      uRef.current = null;
      plotted.current = null;
    };
    // The model is read from state.current: only its layout (in the deps) shapes the plot.
  }, [model.layout, empty, theme, timeZone, hasZoom, styles, formatTime]);

  // New values with the same layout (or a new time range): setData, no new plot.
  const rangeKey = rangeKeyOf(timeRange);
  useEffect(() => {
    const u = uRef.current;
    if (!u || (plotted.current?.model === model && plotted.current.range === rangeKey)) {
      return;
    }
    plotted.current = { model, range: rangeKey };
    lastIdx.current = null;
    pending.current = { start: performance.now(), measure: DRAW_MEASURE };
    u.setData(model.data);
  }, [model, rangeKey]);

  useEffect(() => {
    uRef.current?.setSize({ width, height: plotHeight });
  }, [width, plotHeight]);

  useEffect(() => {
    uRef.current?.redraw(false, false);
  }, [bandOpacity, markerSize]);

  useEffect(() => {
    const u = uRef.current;
    if (!u) {
      return;
    }
    const show = (idx: number, on: boolean) => u.series[idx]?.show !== on && u.setSeries(idx, { show: on });
    for (const m of state.current.model.metrics) {
      show(m.valueIdx, !hidden.has(m.key));
      for (const d of m.detectors) {
        show(d.upperIdx, !hidden.has(d.key));
        show(d.lowerIdx, !hidden.has(d.key));
      }
    }
    u.redraw(false, false);
  }, [hidden]);

  const onToggle = useCallback(
    (key: string) =>
      setHidden((prev) => {
        const next = new Set(prev);
        if (!next.delete(key)) {
          next.add(key);
        }
        return next;
      }),
    []
  );

  if (empty) {
    return (
      <div className={styles.empty} style={{ width, height }} data-testid={chartTestIds.empty}>
        No data in the selected time range
      </div>
    );
  }
  return (
    <div
      ref={rootRef}
      className={styles.root}
      style={{ width, height }}
      data-testid={chartTestIds.chart}
      data-points={model.x.length}
      data-anomalies={model.anomalyCount}
    >
      <div className={styles.plot} ref={plotRef} data-testid={chartTestIds.plot}>
        <div ref={tooltipRef} className={styles.tooltip} data-testid={chartTestIds.tooltip} />
      </div>
      <div ref={legendRef}>
        <BandLegend model={model} hidden={hidden} onToggle={onToggle} />
      </div>
    </div>
  );
}

const rangeKeyOf = (r: { from: number; to: number } | undefined) => (r ? `${r.from}:${r.to}` : '');

/**
 * A User Timing measure (visible in the browser's performance panel, read by the browser test and the bench).
 * Environments without User Timing options (old jsdom) just go without it: it is a diagnostic, not a feature.
 */
function recordMeasure(name: string, start: number, points: number) {
  try {
    performance.measure(name, { start, end: performance.now(), detail: { points } });
  } catch {
    // see above
  }
}

const getStyles = (theme: GrafanaTheme2) => ({
  root: css({ position: 'relative', display: 'flex', flexDirection: 'column', overflow: 'hidden' }),
  plot: css({ position: 'relative', flex: 'none' }),
  empty: css({
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'center',
    color: theme.colors.text.secondary,
  }),
  tooltip: css({
    display: 'none',
    position: 'absolute',
    top: 0,
    left: 0,
    zIndex: theme.zIndex.tooltip,
    pointerEvents: 'none',
    maxWidth: 440,
    padding: theme.spacing(1),
    background: theme.colors.background.elevated,
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    boxShadow: theme.shadows.z3,
    fontSize: theme.typography.bodySmall.fontSize,
    color: theme.colors.text.primary,
  }),
  tip: {
    time: css({ fontWeight: theme.typography.fontWeightMedium, marginBottom: theme.spacing(0.5) }),
    metric: css({ display: 'flex', alignItems: 'center', gap: theme.spacing(1), marginTop: theme.spacing(0.5) }),
    band: css({
      display: 'flex',
      alignItems: 'center',
      gap: theme.spacing(1),
      paddingLeft: theme.spacing(2),
      color: theme.colors.text.secondary,
    }),
    swatch: css({ width: 10, height: 10, borderRadius: 2, flexShrink: 0 }),
    name: css({ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap', minWidth: 0, flex: '0 1 auto' }),
    value: css({ marginLeft: 'auto', whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }),
    anomaly: css({ color: theme.colors.error.text, fontWeight: theme.typography.fontWeightMedium }),
  },
});
