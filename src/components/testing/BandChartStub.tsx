import React from 'react';
import type { BandChartProps } from '../../charts/BandChart';

/**
 * Stands in for the uPlot band chart in page tests (jsdom has no canvas): it shows what the page passed, so a test
 * can check which series were read. The chart itself is tested in src/charts.
 */
export function BandChart({ data, detectors }: BandChartProps) {
  return (
    <div data-testid="band-chart-stub">
      {data.map((s) => `${s.metric}: ${s.timestamps.length} points`).join('; ')}
      {detectors ? ` (detectors ${detectors.join(',')})` : ''}
    </div>
  );
}
