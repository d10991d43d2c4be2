import React, { useCallback } from 'react';
import { LoadingPlaceholder, Stack, Text, TextLink } from '@grafana/ui';
import { getAlerts } from '../../api/service';
import { useAsync } from '../../api/useAsync';
import { urls } from '../../constants';
import { AlertsTable } from '../../components/AlertsTable/AlertsTable';
import { ServiceErrorAlert } from '../../components/ServiceErrorAlert/ServiceErrorAlert';
import { testIds } from '../../components/testIds';

const LIMIT = 100;

/** The metric's alert events (state changes and tests), newest first. */
export function AlertHistorySection({ name, alertingEnabled }: { name: string; alertingEnabled: boolean }) {
  const load = useCallback(() => getAlerts({ metric: name, limit: LIMIT }), [name]);
  const res = useAsync(load);
  const alerts = res.value?.alerts ?? [];
  return (
    <Stack direction="column" gap={1}>
      {res.status === 'error' && <ServiceErrorAlert error={res.error} title="Could not read the alert history" />}
      {res.status === 'loading' && !res.value && <LoadingPlaceholder text="Reading alerts…" />}
      {res.value && alerts.length === 0 && (
        <Text color="secondary">
          {alertingEnabled
            ? 'No alert events yet.'
            : 'No alert events. Alerting is off for this metric (the alerting block of its definition).'}
        </Text>
      )}
      {alerts.length > 0 && <AlertsTable alerts={alerts} testId={testIds.detail.alertsTable} />}
      {alerts.length >= LIMIT && (
        <TextLink href={urls.alerts(name)} inline={false}>
          Older events on the Alerts page
        </TextLink>
      )}
    </Stack>
  );
}
