/**
 * data-testid values. The four page landmarks (`metrics-table`, `metric-detail-chart`, `editor-preview`,
 * `alerts-table`) are spelled exactly so: the browser tests look them up by these strings.
 */
export const testIds = {
  appConfig: {
    serviceToken: 'data-testid ac-service-token',
    serviceUrl: 'data-testid ac-service-url',
    submit: 'data-testid ac-submit-form',
    test: 'data-testid ac-test-connection',
  },
  metrics: {
    table: 'metrics-table',
    row: 'metrics-row',
    search: 'metrics-search',
    newButton: 'metrics-new',
    sparkline: 'metrics-sparkline',
  },
  detail: {
    chart: 'metric-detail-chart',
    detectionsTable: 'metric-detail-detections',
    alertsTable: 'metric-detail-alerts',
    runsTable: 'metric-detail-runs',
  },
  runs: {
    progress: 'run-progress',
  },
  editor: {
    preview: 'editor-preview',
    save: 'editor-save',
    form: 'editor-form',
  },
  alerts: {
    table: 'alerts-table',
    row: 'alerts-row',
  },
  datasourceConfig: {
    serviceUrl: 'data-testid ds-service-url',
    serviceToken: 'data-testid ds-service-token',
  },
  bandsPanel: {
    container: 'data-testid bands-panel',
    empty: 'data-testid bands-panel-empty',
  },
};
