import React from 'react';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { OrgRole } from '@grafana/data';
import { config, locationService } from '@grafana/runtime';
import { createMockBackend, reply, serviceError } from '../../api/testing/mockBackend';
import { detectorCatalog, metricDetail, previewResponse } from '../../api/testing/fixtures';
import { installCanvasStub } from '../../components/testing/canvasStub';
import { renderRoute } from '../../components/testing/renderRoute';
import { testIds } from '../../components/testIds';
import MetricEditorPage from './MetricEditorPage';

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

const push = jest.spyOn(locationService, 'push').mockImplementation(() => undefined);

const renderNew = () => renderRoute(<MetricEditorPage />, '/new', 'new');
const renderEdit = (name: string) =>
  renderRoute(<MetricEditorPage />, `/metrics/${encodeURIComponent(name)}/edit`, 'metrics/:name/edit');

const uiMetric = metricDetail({
  name: 'checkout_latency',
  origin: 'ui',
  relPath: 'ui:checkout_latency',
  version: 4,
  definition: {
    name: 'checkout_latency',
    interval: '5min',
    query: 'SELECT 1',
    loading_batch_size: 2016,
    detectors: [{ type: 'zscore', params: { threshold: 4.0, window_size: 288 } }],
  },
});

beforeAll(installCanvasStub);

beforeEach(() => {
  mockBackend.reset();
  push.mockClear();
  config.bootData.user.orgRole = OrgRole.Editor;
  mockBackend.get('/detectors', () => detectorCatalog());
  mockBackend.get('/api/v1/provisioning/contact-points', () => [
    { uid: 'a', name: 'oncall', type: 'slack' },
    { uid: 'b', name: 'oncall', type: 'email' },
  ]);
  mockBackend.post('/preview', () => previewResponse());
  mockBackend.get('/metrics/checkout_latency', () => uiMetric);
  mockBackend.get('/metrics/api_requests', () => metricDetail());
});

const form = async () => screen.findByTestId(testIds.editor.form);
const change = (el: HTMLElement, value: string) => fireEvent.change(el, { target: { value } });
/** The Field around an input: the nearest ancestor holding its label (where the Field shows its error). */
const fieldOf = (input: HTMLElement): HTMLElement => {
  let el = input.parentElement;
  while (el && !el.querySelector(`label[for="${input.id}"]`)) {
    el = el.parentElement;
  }
  if (!el) {
    throw new Error(`no field around #${input.id}`);
  }
  return el;
};

test('creates a metric after a live preview, in the shape of a metric file', async () => {
  renderNew();
  await form();
  change(screen.getByLabelText(/^Name/), 'checkout_errors');
  change(screen.getByLabelText(/^Interval/), '5min');

  // The preview follows the form, debounced.
  const preview = screen.getByTestId(testIds.editor.preview);
  expect(await within(preview).findByTestId('band-chart-stub', undefined, { timeout: 3000 })).toHaveTextContent(
    'preview: 5 points'
  );
  const sent = mockBackend.calls('POST', '/preview').at(-1)!.data as {
    definition: Record<string, unknown>;
    from: number;
    to: number;
  };
  expect(sent.definition).toMatchObject({ name: 'checkout_errors', interval: '5min' });
  expect(sent.to - sent.from).toBe(7 * 24 * 3600 * 1000);

  mockBackend.post('/metrics', (req) =>
    reply(201, metricDetail({ name: 'checkout_errors', origin: 'ui', relPath: 'ui:checkout_errors', version: 1 }))
  );
  fireEvent.click(screen.getByTestId(testIds.editor.save));
  await waitFor(() => expect(push).toHaveBeenCalledWith('/a/detectkit-anomaly-app/metrics/checkout_errors'));
  const body = mockBackend.calls('POST', '/metrics')[0]!.data as { definition: Record<string, unknown> };
  expect(body.definition).toEqual({
    name: 'checkout_errors',
    interval: '5min',
    query: expect.stringContaining('{{ dtk_start_time }}'),
    detectors: [{ type: 'robust', params: {} }],
  });
}, 15_000);

test('a parameter outside its range is marked at the field and nothing is saved', async () => {
  renderNew();
  await form();
  change(screen.getByLabelText(/^Name/), 'x');
  const threshold = await screen.findByLabelText(/^threshold/);
  change(threshold, '-1');

  expect(await within(fieldOf(threshold)).findByText(/threshold must be positive/)).toBeInTheDocument();
  expect(screen.getByText('No preview yet')).toBeInTheDocument();
  fireEvent.click(screen.getByTestId(testIds.editor.save));
  expect(await screen.findByText('Fix the error marked in the form first.')).toBeInTheDocument();
  expect(mockBackend.calls('POST', '/metrics')).toHaveLength(0);
});

test('a new metric starts with the recommended robust detector; its seasonality takes auto, none or a period', async () => {
  renderNew();
  await form();
  const seasonality = await screen.findByLabelText(/^seasonality(?!_)/);
  expect(seasonality).toHaveAttribute('placeholder', 'auto');
  change(seasonality, '1440');
  change(screen.getByLabelText(/^Name/), 'checkout_errors');
  mockBackend.post('/metrics', () =>
    reply(201, metricDetail({ name: 'checkout_errors', origin: 'ui', relPath: 'ui:checkout_errors', version: 1 }))
  );
  fireEvent.click(screen.getByTestId(testIds.editor.save));
  await waitFor(() => expect(mockBackend.calls('POST', '/metrics')).toHaveLength(1));
  const body = mockBackend.calls('POST', '/metrics')[0]!.data as { definition: Record<string, unknown> };
  expect(body.definition.detectors).toEqual([{ type: 'robust', params: { seasonality: 1440 } }]);
});

test('an interval the service would refuse is explained next to it', async () => {
  renderNew();
  await form();
  const interval = screen.getByLabelText(/^Interval/);
  change(interval, '10 minutes');
  expect(await within(fieldOf(interval)).findByText(/Invalid interval format: '10 minutes'/)).toBeInTheDocument();
});

test('a name is required and must be a plain name', async () => {
  renderNew();
  await form();
  const name = screen.getByLabelText(/^Name/);
  change(name, 'bad name!');
  expect(await within(fieldOf(name)).findByText(/can only contain alphanumeric characters/)).toBeInTheDocument();
});

test('the service’s issues are shown next to their fields', async () => {
  mockBackend.post('/metrics', () =>
    serviceError(422, 'config_invalid', '1 configuration error', {
      issues: [
        {
          path: 'detectors[0].params.window_size',
          message: 'window_size is too large for this source',
          severity: 'error',
        },
        { path: 'definition.interval', message: 'interval does not suit the source', severity: 'error' },
        { message: 'the source returned no columns', severity: 'error' },
      ],
    })
  );
  renderNew();
  await form();
  change(screen.getByLabelText(/^Name/), 'x');
  fireEvent.click(screen.getByTestId(testIds.editor.save));

  const windowSize = await screen.findByLabelText(/^window_size/);
  expect(await within(fieldOf(windowSize)).findByText('window_size is too large for this source')).toBeInTheDocument();
  expect(
    within(fieldOf(screen.getByLabelText(/^Interval/))).getByText('interval does not suit the source')
  ).toBeInTheDocument();
  // Issues without a field are listed together.
  expect(screen.getByText('Problems with the definition')).toBeInTheDocument();
  expect(screen.getByText('the source returned no columns')).toBeInTheDocument();
  expect(push).not.toHaveBeenCalled();
});

test('a name that exists already is marked at the name', async () => {
  mockBackend.post('/metrics', () =>
    serviceError(409, 'conflict', "Metric 'x' already exists (version 2, saved by admin)")
  );
  renderNew();
  await form();
  change(screen.getByLabelText(/^Name/), 'x');
  fireEvent.click(screen.getByTestId(testIds.editor.save));
  expect(await within(fieldOf(screen.getByLabelText(/^Name/))).findByText(/already exists/)).toBeInTheDocument();
});

test('switching the source to PromQL writes a source block instead of the SQL', async () => {
  renderNew();
  await form();
  change(screen.getByLabelText(/^Name/), 'http_rate');
  fireEvent.click(screen.getByRole('radio', { name: 'PromQL' }));
  change(await screen.findByLabelText(/^Prometheus URL/), 'http://prometheus:9090');
  change(screen.getByLabelText(/^PromQL query/), 'sum(rate(http_requests_total[5m]))');
  mockBackend.post('/metrics', () => reply(201, metricDetail({ name: 'http_rate', origin: 'ui' })));
  fireEvent.click(screen.getByTestId(testIds.editor.save));
  await waitFor(() => expect(mockBackend.calls('POST', '/metrics')).toHaveLength(1));
  const { definition } = mockBackend.calls('POST', '/metrics')[0]!.data as { definition: Record<string, unknown> };
  expect(definition.query).toBeUndefined();
  expect(definition.source).toEqual({
    type: 'prometheus',
    url: 'http://prometheus:9090',
    query: 'sum(rate(http_requests_total[5m]))',
  });
});

test('alerting: channels, contact points from Grafana, streak length', async () => {
  renderNew();
  await form();
  change(screen.getByLabelText(/^Name/), 'a');
  fireEvent.click(screen.getByLabelText(/^Alerting/));
  const channels = await screen.findByLabelText(/^Channels/);
  change(channels, 'team');
  fireEvent.keyDown(channels, { key: 'Enter' });
  change(screen.getByLabelText(/^Consecutive anomalies/), '5');
  await waitFor(() => expect(mockBackend.calls('GET', '/api/v1/provisioning/contact-points')).toHaveLength(1));

  mockBackend.post('/metrics', () => reply(201, metricDetail({ name: 'a', origin: 'ui' })));
  fireEvent.click(screen.getByTestId(testIds.editor.save));
  await waitFor(() => expect(mockBackend.calls('POST', '/metrics')).toHaveLength(1));
  const { definition } = mockBackend.calls('POST', '/metrics')[0]!.data as { definition: Record<string, unknown> };
  expect(definition.alerting).toEqual({
    enabled: true,
    channels: ['team'],
    consecutive_anomalies: 5,
    direction: 'same',
  });
});

test('edits a UI metric with the version it was read at, keeping keys the form does not show', async () => {
  mockBackend.put('/metrics/checkout_latency', () => reply(200, { ...uiMetric, version: 5 }));
  renderEdit('checkout_latency');
  await form();
  expect(screen.getByLabelText(/^Name/)).toBeDisabled();
  change(await screen.findByLabelText(/^threshold/), '3.5');
  fireEvent.click(screen.getByTestId(testIds.editor.save));
  await waitFor(() => expect(mockBackend.calls('PUT', '/metrics/checkout_latency')).toHaveLength(1));
  expect(mockBackend.calls('PUT', '/metrics/checkout_latency')[0]!.data).toEqual({
    expectedVersion: 4,
    definition: {
      name: 'checkout_latency',
      interval: '5min',
      query: 'SELECT 1',
      loading_batch_size: 2016,
      detectors: [{ type: 'zscore', params: { threshold: 3.5, window_size: 288 } }],
    },
  });
});

test('someone else’s save in between is reported, not overwritten', async () => {
  mockBackend.put('/metrics/checkout_latency', () =>
    serviceError(
      409,
      'conflict',
      "Metric 'checkout_latency' is at version 5 (saved by bob), not the version 4 you edited; reload it and apply your change again",
      { version: 5, expectedVersion: 4 }
    )
  );
  renderEdit('checkout_latency');
  await form();
  fireEvent.click(screen.getByTestId(testIds.editor.save));
  expect(await screen.findByText(/not the version 4 you edited/)).toBeInTheDocument();
  expect(push).not.toHaveBeenCalled();
});

test('a provisioned metric is read-only here', async () => {
  renderEdit('api_requests');
  expect(await screen.findByText(/is provisioned from metrics\/api_requests.yml/)).toBeInTheDocument();
  expect(screen.getByLabelText(/^Interval/)).toBeDisabled();
  expect(screen.queryByTestId(testIds.editor.save)).not.toBeInTheDocument();
  expect(screen.getByRole('button', { name: /copy as yaml/i })).toBeInTheDocument();
});

test('preview errors from the service show inline', async () => {
  mockBackend.post('/preview', () =>
    serviceError(
      422,
      'source_query',
      "Query must return 'timestamp' column (configured as timestamp column). Got columns: ['ts', 'value']"
    )
  );
  renderNew();
  await form();
  change(screen.getByLabelText(/^Name/), 'x');
  const preview = screen.getByTestId(testIds.editor.preview);
  expect(await within(preview).findByText('The preview failed', undefined, { timeout: 3000 })).toBeInTheDocument();
  expect(within(preview).getByText(/Got columns: \['ts', 'value'\]/)).toBeInTheDocument();
});

test('viewers see the form but cannot save', async () => {
  config.bootData.user.orgRole = OrgRole.Viewer;
  renderEdit('checkout_latency');
  expect(await screen.findByText(/needs the Editor role/)).toBeInTheDocument();
  expect(screen.queryByTestId(testIds.editor.save)).not.toBeInTheDocument();
  await act(async () => undefined);
});
