import React, { ChangeEvent } from 'react';
import type { DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { Field, Input, SecretInput } from '@grafana/ui';
import { testIds } from '../../components/testIds';
import type { AnomalyDataSourceOptions, AnomalySecureJsonData } from '../types';

type Props = DataSourcePluginOptionsEditorProps<AnomalyDataSourceOptions, AnomalySecureJsonData>;

export function ConfigEditor({ options, onOptionsChange }: Props) {
  const { jsonData, secureJsonFields, secureJsonData } = options;

  const onUrlChange = (e: ChangeEvent<HTMLInputElement>) =>
    onOptionsChange({ ...options, jsonData: { ...jsonData, serviceUrl: e.target.value.trim() } });

  // Secure field: only sent to Grafana's backend, never readable afterwards.
  const onTokenChange = (e: ChangeEvent<HTMLInputElement>) =>
    onOptionsChange({ ...options, secureJsonData: { serviceToken: e.target.value } });

  const onTokenReset = () =>
    onOptionsChange({
      ...options,
      secureJsonFields: { ...secureJsonFields, serviceToken: false },
      secureJsonData: { ...secureJsonData, serviceToken: '' },
    });

  return (
    <>
      <Field label="Service URL" description="How Grafana's server reaches the dtk service, e.g. http://dtk:8080">
        <Input
          id="ds-service-url"
          data-testid={testIds.datasourceConfig.serviceUrl}
          value={jsonData.serviceUrl ?? ''}
          placeholder="http://dtk:8080"
          width={50}
          onChange={onUrlChange}
        />
      </Field>
      <Field label="Service token" description="The bearer token dtk serve was started with">
        <SecretInput
          id="ds-service-token"
          data-testid={testIds.datasourceConfig.serviceToken}
          isConfigured={Boolean(secureJsonFields?.serviceToken)}
          value={secureJsonData?.serviceToken ?? ''}
          placeholder="DTK_API_TOKEN"
          width={50}
          onReset={onTokenReset}
          onChange={onTokenChange}
        />
      </Field>
    </>
  );
}
