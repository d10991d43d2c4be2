/** data-testid values of the band chart (browser and e2e tests select by these). */
export const chartTestIds = {
  chart: 'data-testid dtk-band-chart',
  plot: 'data-testid dtk-band-chart-plot',
  legend: 'data-testid dtk-band-chart-legend',
  legendItem: 'data-testid dtk-band-chart-legend-item',
  tooltip: 'data-testid dtk-band-chart-tooltip',
  empty: 'data-testid dtk-band-chart-empty',
};
