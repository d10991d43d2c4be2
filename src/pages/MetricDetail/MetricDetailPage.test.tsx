import React from 'react';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { OrgRole } from '@grafana/data';
import { config } from '@grafana/runtime';
import type { RunInfo } from '../../../common/api/runs';
import { createMockBackend, serviceError } from '../../api/testing/mockBackend';
import { alertEvent, detection, detections, metricDetail, runInfo, series } from '../../api/testing/fixtures';
import { installCanvasStub } from '../../components/testing/canvasStub';
import { renderRoute } from '../../components/testing/renderRoute';
import { testIds } from '../../components/testIds';
import MetricDetailPage from './MetricDetailPage';

const mockBackend = createMockBackend();
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({ fetch: (o: never) => mockBackend.fetch(o) }),
  PluginPage: ({ children, actions }: { children: React.ReactNode; actions?: React.ReactNode }) => (
    <div>
      {actions}
      {children}
    </div>
  ),
}));
jest.mock('../../charts/BandChart', () => jest.requireActual('../../components/testing/BandChartStub'));
// jsdom resolves yaml's `browser` build (ES modules, not transformed by this jest setup): load its CommonJS build.
jest.mock('yaml', () => jest.requireActual(`${process.cwd()}/node_modules/yaml/dist/index.js`));

const renderDetail = (name: string, query = '') =>
  renderRoute(<MetricDetailPage />, `/metrics/${encodeURIComponent(name)}${query}`, 'metrics/:name');

beforeAll(installCanvasStub);

beforeEach(() => {
  mockBackend.reset();
  config.bootData.user.orgRole = OrgRole.Editor;
  mockBackend.get('/metrics/api_requests', () => metricDetail());
  mockBackend.get('/metrics/api_requests/series', () => series('api_requests', [100, 110, 300, 105], [2]));
  mockBackend.get('/metrics/api_requests/detections', () =>
    detections('api_requests', [detection(), detection({ timestamp: detection().timestamp - 300_000 })])
  );
  mockBackend.get('/alerts', () => ({ alerts: [alertEvent()] }));
  mockBackend.get('/runs', () => ({ runs: [runInfo({ kind: 'scheduled' })] }));
});

test('draws the band chart over the chosen range and lists the anomalies', async () => {
  renderDetail('api_requests', '?from=now-7d&to=now');
  const chart = await screen.findByTestId(testIds.detail.chart);
  expect(await within(chart).findByTestId('band-chart-stub')).toHaveTextContent('api_requests: 4 points');

  const read = mockBackend.calls('GET', '/metrics/api_requests/series')[0]!;
  const { from, to } = read.params as { from: number; to: number };
  expect(to - from).toBeCloseTo(7 * 24 * 3600 * 1000, -4);

  const table = await screen.findByTestId(testIds.detail.detectionsTable);
  expect(within(table).getAllByText('anomaly')).toHaveLength(2);
  expect(within(table).getAllByText('above')).toHaveLength(2);
  expect(mockBackend.calls('GET', '/metrics/api_requests/detections')[0]!.params).toMatchObject({
    anomalies: true,
    from,
    to,
  });

  // All detections, not only anomalies.
  fireEvent.click(screen.getByLabelText('Anomalies only'));
  await waitFor(() =>
    expect(mockBackend.calls('GET', '/metrics/api_requests/detections').at(-1)!.params).toMatchObject({
      anomalies: false,
    })
  );
});

test('a provisioned metric offers Copy as YAML and no edit button', async () => {
  renderDetail('api_requests');
  expect(await screen.findByRole('button', { name: /copy as yaml/i })).toBeInTheDocument();
  expect(screen.queryByRole('link', { name: /edit/i })).not.toBeInTheDocument();
});

test('a UI metric can be edited by editors', async () => {
  mockBackend.get('/metrics/api_requests', () =>
    metricDetail({ origin: 'ui', relPath: 'ui:api_requests', version: 3 })
  );
  renderDetail('api_requests');
  expect(await screen.findByRole('link', { name: /edit/i })).toHaveAttribute(
    'href',
    '/a/detectkit-anomaly-app/metrics/api_requests/edit'
  );
});

test('the alert history tab reads the metric’s alerts', async () => {
  renderDetail('api_requests', '?tab=alerts');
  const table = await screen.findByTestId(testIds.detail.alertsTable);
  expect(within(table).getByText('api_requests is above its band')).toBeInTheDocument();
  expect(within(table).getByText('team: sent')).toBeInTheDocument();
  expect(mockBackend.calls('GET', '/alerts')[0]!.params).toMatchObject({ metric: 'api_requests' });
});

test('Run now asks for confirmation, then follows the run to its end', async () => {
  const running: RunInfo = runInfo({
    id: 'run-9',
    status: 'running',
    finishedAt: null,
    progress: { step: 'load', done: 1, total: 4 },
  });
  mockBackend.post('/metrics/api_requests/runs', () => ({ status: 202, data: running }));
  let polls = 0;
  mockBackend.get('/runs/run-9', () => {
    polls++;
    return polls === 1
      ? { ...running, progress: { step: 'detect', done: 3, total: 4 } }
      : runInfo({ id: 'run-9', datapointsLoaded: 288, anomaliesDetected: 2 });
  });
  renderDetail('api_requests', '?tab=runs');

  fireEvent.click(await screen.findByRole('button', { name: 'Run now' }));
  const dialog = await screen.findByRole('dialog');
  expect(within(dialog).getByText(/loads what is missing/i)).toBeInTheDocument();
  fireEvent.click(within(dialog).getByRole('button', { name: 'Run now' }));

  const progress = await screen.findByTestId(testIds.runs.progress);
  expect(progress).toHaveAttribute('aria-valuenow', '25');
  await waitFor(() => expect(screen.getByTestId(testIds.runs.progress)).toHaveAttribute('aria-valuenow', '75'), {
    timeout: 3000,
  });
  expect(await screen.findByText(/288 points loaded, 2 anomalies/, undefined, { timeout: 3000 })).toBeInTheDocument();
  expect(mockBackend.calls('POST', '/metrics/api_requests/runs')[0]!.data).toEqual({});
  // The chart reads the new data.
  await waitFor(() => expect(mockBackend.calls('GET', '/metrics/api_requests/series').length).toBeGreaterThan(1));
}, 15_000);

test('Backfill sends the chosen range and shows a conflict inline', async () => {
  mockBackend.post('/metrics/api_requests/runs', () =>
    serviceError(409, 'conflict', "metric 'api_requests' is already running (run r-1)")
  );
  renderDetail('api_requests', '?tab=runs');
  fireEvent.click(await screen.findByRole('button', { name: 'Backfill' }));
  const dialog = await screen.findByRole('dialog');
  fireEvent.change(within(dialog).getByLabelText('From'), { target: { value: 'now-30d' } });
  fireEvent.click(within(dialog).getByRole('button', { name: 'Start backfill' }));

  expect(await screen.findByText(/already running/)).toBeInTheDocument();
  const body = mockBackend.calls('POST', '/metrics/api_requests/runs')[0]!.data as Record<string, number | boolean>;
  expect(body.fullRefresh).toBe(false);
  expect(Number(body.to) - Number(body.from)).toBeCloseTo(30 * 24 * 3600 * 1000, -5);
});

test('a range that is not a time cannot be confirmed', async () => {
  renderDetail('api_requests', '?tab=runs');
  fireEvent.click(await screen.findByRole('button', { name: 'Full refresh' }));
  const dialog = await screen.findByRole('dialog');
  fireEvent.change(within(dialog).getByLabelText('From'), { target: { value: 'yesterday-ish' } });
  expect(within(dialog).getByText(/From is not a time/)).toBeInTheDocument();
  expect(within(dialog).getByRole('button', { name: 'Delete and reload' })).toBeDisabled();
});

test('viewers see the runs but cannot start one', async () => {
  config.bootData.user.orgRole = OrgRole.Viewer;
  renderDetail('api_requests', '?tab=runs');
  expect(await screen.findByTestId(testIds.detail.runsTable)).toBeInTheDocument();
  expect(screen.queryByRole('button', { name: 'Run now' })).not.toBeInTheDocument();
});

test('a fan-out series name (braces, quotes) opens its definition and charts that series', async () => {
  const name = 'cpu{instance="a:9100",mode="idle"}';
  mockBackend.get('/metrics/cpu', () =>
    metricDetail({ name: 'cpu', sourceType: 'prometheus', series: [name, 'cpu{instance="b:9100",mode="idle"}'] })
  );
  mockBackend.get(`/metrics/${encodeURIComponent(name)}/series`, () => series(name, [1, 2, 3]));
  mockBackend.get(`/metrics/${encodeURIComponent(name)}/detections`, () => detections(name, []));
  renderDetail(name);

  const chart = await screen.findByTestId(testIds.detail.chart);
  expect(await within(chart).findByTestId('band-chart-stub')).toHaveTextContent(`${name}: 3 points`);
  expect(mockBackend.calls('GET', `/metrics/${encodeURIComponent(name)}`)).toHaveLength(1);
  expect(await screen.findByText('No anomalies in this time range.')).toBeInTheDocument();
});

test('a range without points says how to get some', async () => {
  mockBackend.get('/metrics/api_requests/series', () => series('api_requests', []));
  renderDetail('api_requests');
  expect(await screen.findByText('No stored points in this range')).toBeInTheDocument();
});

test('an unreachable service points to the configuration page', async () => {
  mockBackend.get('/metrics/api_requests', () => ({ status: 502, data: { message: 'Bad Gateway' } }));
  renderDetail('api_requests');
  expect(await screen.findByText('Could not load api_requests')).toBeInTheDocument();
  expect(screen.getByText(/not reachable through Grafana \(HTTP 502\)/)).toBeInTheDocument();
  expect(screen.getByRole('link', { name: 'Configuration page' })).toBeInTheDocument();
});
