import React from 'react';
import { MemoryRouter } from 'react-router-dom';
import { AppRootProps, PluginType } from '@grafana/data';
import { render, screen, within } from '@testing-library/react';
import { createMockBackend } from '../../api/testing/mockBackend';
import { alertEvent, detections, metricDetail, metricList, metricSummary, series } from '../../api/testing/fixtures';
import { installCanvasStub } from '../testing/canvasStub';
import { testIds } from '../testIds';
import App from './App';

const mockBackend = createMockBackend();
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({ fetch: (o: never) => mockBackend.fetch(o) }),
  PluginPage: ({ children }: { children: React.ReactNode }) => <div>{children}</div>,
}));
jest.mock('../../charts/BandChart', () => jest.requireActual('../testing/BandChartStub'));
// jsdom resolves yaml's `browser` build (ES modules, not transformed by this jest setup): load its CommonJS build.
jest.mock('yaml', () => jest.requireActual(`${process.cwd()}/node_modules/yaml/dist/index.js`));

describe('Components/App', () => {
  // The pages are lazy-loaded: on a busy machine their first import can take seconds.
  jest.setTimeout(60_000);
  const LAZY = { timeout: 20_000 };
  const props = {
    basename: 'a/detectkit-anomaly-app',
    meta: { id: 'detectkit-anomaly-app', name: 'Anomaly', type: PluginType.app, enabled: true, jsonData: {} },
    query: {},
    path: '',
    onNavChanged: jest.fn(),
  } as unknown as AppRootProps;
  const renderAt = (url: string) =>
    render(
      <MemoryRouter initialEntries={[url]} future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
        <App {...props} />
      </MemoryRouter>
    );

  beforeAll(installCanvasStub);
  beforeEach(() => {
    mockBackend.reset();
    mockBackend.get('/metrics', () => metricList([metricSummary()]));
    mockBackend.get(/\/series$/, (req) => series(decodeURIComponent(req.path.split('/')[2]!), [1, 2]));
    mockBackend.get(/\/detections$/, () => detections('x', []));
    mockBackend.get('/alerts', () => ({ alerts: [alertEvent({ timestamp: Date.now() - 60_000 })] }));
  });

  test.each(['/metrics', '/overview', '/'])('%s shows the metric list through the proxy route', async (url) => {
    renderAt(url);
    const table = await screen.findByTestId(testIds.metrics.table, undefined, LAZY);
    expect(within(table).getByText('api_requests')).toBeInTheDocument();
    expect(mockBackend.fetch).toHaveBeenCalledWith(
      expect.objectContaining({ url: '/api/plugin-proxy/detectkit-anomaly-app/api/metrics' })
    );
  });

  test('metrics/:name opens the detail page with the name decoded', async () => {
    const name = 'cpu{instance="a"}';
    mockBackend.get(`/metrics/${encodeURIComponent(name)}`, () => metricDetail({ name, sourceType: 'prometheus' }));
    renderAt(`/metrics/${encodeURIComponent(name)}`);
    expect(await screen.findByTestId(testIds.detail.chart, undefined, LAZY)).toBeInTheDocument();
    expect(await screen.findByTestId('band-chart-stub', undefined, LAZY)).toHaveTextContent(`${name}: 2 points`);
  });

  test('alerts shows the history', async () => {
    renderAt('/alerts');
    expect(await screen.findByTestId(testIds.alerts.table, undefined, LAZY)).toBeInTheDocument();
  });

  test('an unreachable service is said plainly, with where to fix it', async () => {
    mockBackend.get('/metrics', () => ({ status: 502, data: { message: 'Bad Gateway' } }));
    renderAt('/metrics');
    expect(await screen.findByText('Could not load the metrics', undefined, LAZY)).toBeInTheDocument();
    expect(screen.getByText(/not reachable through Grafana \(HTTP 502\)/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Configuration page' })).toHaveAttribute(
      'href',
      '/plugins/detectkit-anomaly-app'
    );
  });
});
