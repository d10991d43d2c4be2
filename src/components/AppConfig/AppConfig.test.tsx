import React from 'react';
import { render, screen } from '@testing-library/react';
import { PluginType } from '@grafana/data';
import AppConfig, { AppConfigProps } from './AppConfig';
import { testIds } from 'components/testIds';

describe('Components/AppConfig', () => {
  const meta = { id: 'detectkit-anomaly-app', name: 'Anomaly', type: PluginType.app, enabled: true, jsonData: {} };

  test('asks for the service URL and token, and cannot be saved empty', () => {
    // @ts-ignore - addConfigPage() and setChannelSupport() are not needed here
    render(<AppConfig plugin={{ meta }} query={{}} />);
    expect(screen.queryByRole('group', { name: /dtk service/i })).toBeInTheDocument();
    expect(screen.getByTestId(testIds.appConfig.serviceUrl)).toBeInTheDocument();
    expect(screen.getByTestId(testIds.appConfig.serviceToken)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /save settings/i })).toBeDisabled();
    expect(screen.getByRole('button', { name: /test connection/i })).toBeDisabled();
  });

  test('shows a stored token as configured without revealing it', () => {
    const props = {
      meta: { ...meta, jsonData: { serviceUrl: 'http://dtk:8080' }, secureJsonFields: { serviceToken: true } },
    };
    // @ts-ignore - partial plugin object
    render(<AppConfig plugin={props} query={{} as AppConfigProps['query']} />);
    expect(screen.getByTestId(testIds.appConfig.serviceUrl)).toHaveValue('http://dtk:8080');
    expect(screen.getByRole('button', { name: /save settings/i })).toBeEnabled();
    expect(screen.getByRole('button', { name: /test connection/i })).toBeEnabled();
  });
});
