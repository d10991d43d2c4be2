import React from 'react';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { OrgRole } from '@grafana/data';
import { config } from '@grafana/runtime';
import { createMockBackend, serviceError } from '../../api/testing/mockBackend';
import { metricList, metricSummary, series } from '../../api/testing/fixtures';
import { renderRoute } from '../../components/testing/renderRoute';
import { testIds } from '../../components/testIds';
import MetricsPage from './MetricsPage';

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

const requests = metricSummary();
const fanout = metricSummary({
  name: 'cpu',
  origin: 'ui',
  relPath: 'ui:cpu',
  version: 2,
  sourceType: 'prometheus',
  tags: ['infra'],
  alertState: 'firing',
  description: null,
});
const broken = metricSummary({
  name: 'broken',
  valid: false,
  error: 'invalid definition in metrics/broken.yml: interval: Invalid interval format',
  status: null,
  tags: [],
});

beforeEach(() => {
  mockBackend.reset();
  config.bootData.user.orgRole = OrgRole.Viewer;
  mockBackend.get('/metrics', () => metricList([requests, fanout, broken]));
  mockBackend.get('/metrics/api_requests/series', () => series('api_requests', [100, 110, 300, 105], [2]));
  mockBackend.get('/metrics/cpu/series', () => series('cpu', []));
});

test('lists every metric with its status, alert state and the last day of anomalies', async () => {
  renderRoute(<MetricsPage />, '/metrics');
  const table = await screen.findByTestId(testIds.metrics.table);
  const rows = within(table).getAllByTestId(testIds.metrics.row);
  expect(rows).toHaveLength(3);

  const first = rows[0]!;
  expect(within(first).getByRole('link', { name: 'api_requests' })).toHaveAttribute(
    'href',
    '/a/detectkit-anomaly-app/metrics/api_requests'
  );
  expect(within(first).getByText('file')).toBeInTheDocument();
  expect(within(first).getByText('success')).toBeInTheDocument();
  expect(within(first).getByText('lag 12s')).toBeInTheDocument();
  expect(await within(first).findByLabelText('anomalies in the last 24 h')).toHaveTextContent('1');
  expect(within(first).getByRole('img', { name: /4 points, 1 anomalous/ })).toBeInTheDocument();

  expect(within(rows[1]!).getByText('ui')).toBeInTheDocument();
  expect(within(rows[1]!).getByText('firing')).toBeInTheDocument();
  expect(within(rows[2]!).getByText('invalid')).toBeInTheDocument();

  // The sparkline reads a day of the series; invalid metrics are not read.
  const reads = mockBackend.calls('GET', /\/series$/);
  expect(reads.map((r) => r.path).sort()).toEqual(['/metrics/api_requests/series', '/metrics/cpu/series']);
  const { from, to } = reads[0]!.params as { from: number; to: number };
  expect(to - from).toBe(24 * 3600 * 1000);
});

test('filters by free text and by tag', async () => {
  renderRoute(<MetricsPage />, '/metrics');
  const table = await screen.findByTestId(testIds.metrics.table);
  fireEvent.change(screen.getByTestId(testIds.metrics.search), { target: { value: 'prometheus' } });
  await waitFor(() => expect(within(table).getAllByTestId(testIds.metrics.row)).toHaveLength(1));
  expect(within(table).getByText('cpu')).toBeInTheDocument();

  fireEvent.change(screen.getByTestId(testIds.metrics.search), { target: { value: '' } });
  fireEvent.click(screen.getByRole('button', { name: 'demo' }));
  await waitFor(() => expect(within(table).getAllByTestId(testIds.metrics.row)).toHaveLength(1));
  expect(within(table).getByText('api_requests')).toBeInTheDocument();
  expect(screen.getByText('1 of 3 metrics')).toBeInTheDocument();
});

test('offers "New metric" to editors only', async () => {
  const { unmount } = renderRoute(<MetricsPage />, '/metrics');
  await screen.findByTestId(testIds.metrics.table);
  expect(screen.queryByTestId(testIds.metrics.newButton)).not.toBeInTheDocument();
  unmount();

  config.bootData.user.orgRole = OrgRole.Editor;
  renderRoute(<MetricsPage />, '/metrics');
  expect(await screen.findByTestId(testIds.metrics.newButton)).toHaveAttribute('href', '/a/detectkit-anomaly-app/new');
});

test('a wrong token says where to fix it', async () => {
  mockBackend.get('/metrics', () =>
    serviceError(401, 'unauthorized', 'missing or invalid bearer token (Authorization: Bearer <token>)')
  );
  renderRoute(<MetricsPage />, '/metrics');
  expect(await screen.findByText('Could not load the metrics')).toBeInTheDocument();
  expect(screen.getByText(/Missing or invalid bearer token/)).toBeInTheDocument();
  expect(screen.getByRole('link', { name: 'Configuration page' })).toHaveAttribute(
    'href',
    '/plugins/detectkit-anomaly-app'
  );
});

test('an empty project explains where metrics come from', async () => {
  mockBackend.get('/metrics', () => metricList([]));
  renderRoute(<MetricsPage />, '/metrics');
  expect(await screen.findByText('No metrics yet')).toBeInTheDocument();
});
