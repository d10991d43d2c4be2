import React from 'react';
import { MemoryRouter } from 'react-router-dom';
import { of, throwError } from 'rxjs';
import { AppRootProps, PluginType } from '@grafana/data';
import { render } from '@testing-library/react';
import App from './App';

const fetchMock = jest.fn();
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({ fetch: fetchMock }),
  PluginPage: ({ children }: { children: React.ReactNode }) => <div>{children}</div>,
}));

describe('Components/App', () => {
  jest.setTimeout(60_000);
  const props = {
    basename: 'a/detectkit-anomaly-app',
    meta: { id: 'detectkit-anomaly-app', name: 'Anomaly', type: PluginType.app, enabled: true, jsonData: {} },
    query: {},
    path: '',
    onNavChanged: jest.fn(),
  } as unknown as AppRootProps;

  beforeEach(() => fetchMock.mockReset());

  test('the overview shows the service health from the proxy route', async () => {
    fetchMock.mockReturnValue(
      of({ data: { status: 'ok', version: '0.1.0', storage: { kind: 'embedded', ok: true } } })
    );
    const { findByText } = render(
      <MemoryRouter>
        <App {...props} />
      </MemoryRouter>
    );
    // The page is lazy-loaded: on a busy machine its first import can take seconds.
    expect(await findByText(/dtk service 0.1.0: ok/i, undefined, { timeout: 20_000 })).toBeInTheDocument();
    expect(fetchMock).toHaveBeenCalledWith(
      expect.objectContaining({ url: '/api/plugin-proxy/detectkit-anomaly-app/api/health' })
    );
  });

  test('an unreachable service is said plainly', async () => {
    fetchMock.mockReturnValue(throwError(() => ({ status: 502, data: {}, statusText: 'Bad Gateway', config: {} })));
    const { findByText } = render(
      <MemoryRouter>
        <App {...props} />
      </MemoryRouter>
    );
    expect(await findByText('The dtk service is not reachable', undefined, { timeout: 20_000 })).toBeInTheDocument();
    expect(await findByText(/not reachable through Grafana \(HTTP 502\)/)).toBeInTheDocument();
  });
});
