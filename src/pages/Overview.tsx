import React, { useEffect, useState } from 'react';
import { PluginPage } from '@grafana/runtime';
import { Alert, LoadingPlaceholder, Stack, Text } from '@grafana/ui';
import { fetchHealth } from '../api/serviceClient';
import { SERVICE_PROXY_URL } from '../constants';
import { testIds } from '../components/testIds';
import type { HealthResponse } from '../../common/api/health';

type State = { kind: 'loading' } | { kind: 'ok'; health: HealthResponse } | { kind: 'error'; message: string };

/** Landing page: is the dtk service reachable, and what does it run on. */
function Overview() {
  const [state, setState] = useState<State>({ kind: 'loading' });

  useEffect(() => {
    let cancelled = false;
    fetchHealth(SERVICE_PROXY_URL).then(
      (health) => !cancelled && setState({ kind: 'ok', health }),
      (e: Error) => !cancelled && setState({ kind: 'error', message: e.message })
    );
    return () => {
      cancelled = true;
    };
  }, []);

  return (
    <PluginPage>
      <div data-testid={testIds.overview.container}>
        <Stack direction="column" gap={2}>
          <Text element="p">
            Anomaly detection for your metrics: the dtk service loads them on a schedule, runs detectors and raises
            alerts.
          </Text>
          <div data-testid={testIds.overview.status}>
            {state.kind === 'loading' && <LoadingPlaceholder text="Checking the dtk service…" />}
            {state.kind === 'ok' && (
              <Alert
                severity={state.health.status === 'ok' ? 'success' : 'warning'}
                title={`dtk service ${state.health.version}: ${state.health.status}`}
              >
                {state.health.storage ? `Storage: ${state.health.storage.kind}` : null}
              </Alert>
            )}
            {state.kind === 'error' && (
              <Alert severity="error" title="The dtk service is not reachable">
                {state.message}. Set the service URL and token on the app&apos;s configuration page.
              </Alert>
            )}
          </div>
        </Stack>
      </div>
    </PluginPage>
  );
}

export default Overview;
