import React, { ChangeEvent, useState } from 'react';
import { lastValueFrom } from 'rxjs';
import { css } from '@emotion/css';
import { AppPluginMeta, GrafanaTheme2, PluginConfigPageProps, PluginMeta } from '@grafana/data';
import { getBackendSrv } from '@grafana/runtime';
import { Alert, Button, Field, FieldSet, Input, SecretInput, Stack, useStyles2 } from '@grafana/ui';
import { fetchHealth } from '../../api/serviceClient';
import { SERVICE_PROXY_URL } from '../../constants';
import { testIds } from '../testIds';

export type AppPluginSettings = {
  /** Base URL of the dtk service as Grafana's server reaches it, e.g. http://dtk:8080. */
  serviceUrl?: string;
};

type State = {
  serviceUrl: string;
  /** Whether a token is stored in secureJsonData (its value never comes back to the browser). */
  isTokenSet: boolean;
  serviceToken: string;
};

type TestResult = { ok: boolean; message: string } | null;

export interface AppConfigProps extends PluginConfigPageProps<AppPluginMeta<AppPluginSettings>> {}

const AppConfig = ({ plugin }: AppConfigProps) => {
  const s = useStyles2(getStyles);
  const { enabled, pinned, jsonData, secureJsonFields } = plugin.meta;
  const [state, setState] = useState<State>({
    serviceUrl: jsonData?.serviceUrl || '',
    serviceToken: '',
    isTokenSet: Boolean(secureJsonFields?.serviceToken),
  });
  const [testResult, setTestResult] = useState<TestResult>(null);

  const isSubmitDisabled = Boolean(!state.serviceUrl || (!state.isTokenSet && !state.serviceToken));

  const onChange = (event: ChangeEvent<HTMLInputElement>) => {
    setState({ ...state, [event.target.name]: event.target.value.trim() });
  };

  const onSubmit = (event: React.FormEvent) => {
    event.preventDefault();
    if (isSubmitDisabled) {
      return;
    }
    updatePluginAndReload(plugin.meta.id, {
      enabled,
      pinned,
      jsonData: { serviceUrl: state.serviceUrl.replace(/\/+$/, '') },
      // Only send the token when it changed: it cannot be read back, and sending nothing keeps it.
      secureJsonData: state.isTokenSet ? undefined : { serviceToken: state.serviceToken },
    });
  };

  const onTest = async () => {
    setTestResult(null);
    try {
      const health = await fetchHealth(SERVICE_PROXY_URL);
      setTestResult({ ok: health.status === 'ok', message: `dtk ${health.version}: ${health.status}` });
    } catch (e) {
      setTestResult({ ok: false, message: (e as Error).message });
    }
  };

  return (
    <form onSubmit={onSubmit}>
      <FieldSet label="dtk service">
        <Field label="Service URL" description="How Grafana's server reaches the dtk service, e.g. http://dtk:8080">
          <Input
            width={60}
            name="serviceUrl"
            id="config-service-url"
            data-testid={testIds.appConfig.serviceUrl}
            value={state.serviceUrl}
            placeholder="http://dtk:8080"
            onChange={onChange}
          />
        </Field>

        <Field label="Service token" description="The bearer token dtk serve was started with" className={s.marginTop}>
          <SecretInput
            width={60}
            id="config-service-token"
            data-testid={testIds.appConfig.serviceToken}
            name="serviceToken"
            value={state.serviceToken}
            isConfigured={state.isTokenSet}
            placeholder="DTK_API_TOKEN"
            onChange={onChange}
            onReset={() => setState({ ...state, serviceToken: '', isTokenSet: false })}
          />
        </Field>

        <Stack direction="row" gap={1}>
          <Button type="submit" data-testid={testIds.appConfig.submit} disabled={isSubmitDisabled}>
            Save settings
          </Button>
          <Button
            type="button"
            variant="secondary"
            data-testid={testIds.appConfig.test}
            onClick={onTest}
            disabled={!jsonData?.serviceUrl}
          >
            Test connection
          </Button>
        </Stack>
        {testResult && (
          <div className={s.marginTop}>
            <Alert
              severity={testResult.ok ? 'success' : 'error'}
              title={testResult.ok ? 'Connected' : 'Connection failed'}
            >
              {testResult.message}
            </Alert>
          </div>
        )}
      </FieldSet>
    </form>
  );
};

export default AppConfig;

const getStyles = (theme: GrafanaTheme2) => ({
  marginTop: css`
    margin-top: ${theme.spacing(3)};
  `,
});

const updatePluginAndReload = async (pluginId: string, data: Partial<PluginMeta<AppPluginSettings>>) => {
  try {
    await updatePlugin(pluginId, data);
    // Reloading the page as the changes made here wouldn't be propagated to the actual plugin otherwise.
    window.location.reload();
  } catch (e) {
    console.error('Error while updating the plugin', e);
  }
};

const updatePlugin = async (pluginId: string, data: Partial<PluginMeta>) => {
  const response = getBackendSrv().fetch({ url: `/api/plugins/${pluginId}/settings`, method: 'POST', data });
  return lastValueFrom(response);
};
