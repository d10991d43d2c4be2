import React, { useEffect, useMemo, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { PanelProps } from '@grafana/data';
import { useTheme2 } from '@grafana/ui';
import { testIds } from '../../../components/testIds';
import { frameToPlotData } from '../series';
import type { BandsPanelOptions } from '../types';

type Props = PanelProps<BandsPanelOptions>;

/** Draws the query's numeric fields as lines on a uPlot chart (bundled; not Grafana's deprecated TimeSeries). */
export function BandsPanel({ data, width, height, options }: Props) {
  const theme = useTheme2();
  const ref = useRef<HTMLDivElement>(null);
  const plot = useMemo(() => frameToPlotData(data.series), [data.series]);

  useEffect(() => {
    if (!ref.current || !plot) {
      return undefined;
    }
    const palette = theme.visualization.palette;
    const u = new uPlot(
      {
        width,
        height,
        legend: { show: false },
        axes: [
          { stroke: theme.colors.text.secondary, grid: { stroke: theme.colors.border.weak } },
          { stroke: theme.colors.text.secondary, grid: { stroke: theme.colors.border.weak } },
        ],
        series: [
          {},
          ...plot.names.map((name, i) => ({
            label: name,
            stroke: theme.visualization.getColorByName(palette[i % palette.length] ?? 'green'),
            width: options.lineWidth,
          })),
        ],
      },
      plot.data,
      ref.current
    );
    return () => u.destroy();
  }, [plot, width, height, theme, options.lineWidth]);

  if (!plot) {
    return <div data-testid={testIds.bandsPanel.empty}>No time series in the query result</div>;
  }
  return <div data-testid={testIds.bandsPanel.container} ref={ref} />;
}
