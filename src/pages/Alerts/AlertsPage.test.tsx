import React from 'react';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { createMockBackend, serviceError } from '../../api/testing/mockBackend';
import { alertEvent, metricList, metricSummary } from '../../api/testing/fixtures';
import { installCanvasStub } from '../../components/testing/canvasStub';
import { renderRoute } from '../../components/testing/renderRoute';
import { testIds } from '../../components/testIds';
import AlertsPage from './AlertsPage';

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

const now = Date.now();
const events = [
  alertEvent({ eventId: 'e3', type: 'resolved', state: 'ok', timestamp: now - 60_000, message: 'back to normal' }),
  alertEvent({ eventId: 'e2', metric: 'queue_depth', type: 'firing', timestamp: now - 3_600_000, message: 'queue up' }),
  alertEvent({
    eventId: 'e1',
    type: 'test',
    state: 'test',
    timestamp: now - 30 * 24 * 3_600_000,
    message: '[TEST] mock alert',
    channels: { team: { type: 'webhook', status: 'failed', attempts: 3, error: 'HTTP 500' } },
  }),
];

beforeAll(installCanvasStub);

beforeEach(() => {
  mockBackend.reset();
  mockBackend.get('/alerts', () => ({ alerts: events }));
  mockBackend.get('/metrics', () => metricList([metricSummary(), metricSummary({ name: 'queue_depth' })]));
});

test('lists the alert history of the last 7 days, with each channel’s delivery', async () => {
  renderRoute(<AlertsPage />, '/alerts');
  const table = await screen.findByTestId(testIds.alerts.table);
  const rows = within(table).getAllByTestId(testIds.alerts.row);
  // The test event is 30 days old: outside the default range.
  expect(rows).toHaveLength(2);
  expect(within(rows[0]!).getByText('back to normal')).toBeInTheDocument();
  expect(within(rows[1]!).getByRole('link', { name: 'queue_depth' })).toHaveAttribute(
    'href',
    '/a/detectkit-anomaly-app/metrics/queue_depth'
  );
  expect(mockBackend.calls('GET', '/alerts')[0]!.params).toMatchObject({ limit: 1000 });
  expect(screen.getByText('2 of 3 events')).toBeInTheDocument();
});

test('filters by event type and a wider time range', async () => {
  renderRoute(<AlertsPage />, '/alerts?from=now-90d&to=now');
  const table = await screen.findByTestId(testIds.alerts.table);
  expect(within(table).getAllByTestId(testIds.alerts.row)).toHaveLength(3);
  fireEvent.click(screen.getByRole('button', { name: 'test' }));
  await waitFor(() => expect(within(table).getAllByTestId(testIds.alerts.row)).toHaveLength(1));
  expect(within(table).getByText('team: failed')).toBeInTheDocument();
});

test('a metric in the URL asks the service for that metric only', async () => {
  mockBackend.get('/alerts', (req) => ({ alerts: events.filter((e) => e.metric === req.params.metric) }));
  renderRoute(<AlertsPage />, '/alerts?metric=queue_depth');
  const table = await screen.findByTestId(testIds.alerts.table);
  expect(within(table).getAllByTestId(testIds.alerts.row)).toHaveLength(1);
  expect(mockBackend.calls('GET', '/alerts')[0]!.params).toMatchObject({ metric: 'queue_depth' });
});

test('nothing matching says so', async () => {
  renderRoute(<AlertsPage />, '/alerts?type=no_data');
  expect(await screen.findByText('No alert event matches the filters.')).toBeInTheDocument();
});

test('service errors are shown with what to do', async () => {
  mockBackend.get('/alerts', () =>
    serviceError(503, 'storage_unreachable', 'storage did not answer: connect ECONNREFUSED')
  );
  renderRoute(<AlertsPage />, '/alerts');
  expect(await screen.findByText('Could not read the alert history')).toBeInTheDocument();
  expect(screen.getByText(/Storage did not answer/)).toBeInTheDocument();
});
