export const testIds = {
  appConfig: {
    serviceToken: 'data-testid ac-service-token',
    serviceUrl: 'data-testid ac-service-url',
    submit: 'data-testid ac-submit-form',
    test: 'data-testid ac-test-connection',
  },
  overview: {
    container: 'data-testid overview-container',
    status: 'data-testid overview-status',
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
