import React, { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import type { TimeRange } from '@grafana/data';
import { PluginPage } from '@grafana/runtime';
import { Button, Combobox, Field, FilterPill, LoadingPlaceholder, Stack, Text, TimeRangeInput } from '@grafana/ui';
import { getAlerts, listMetrics } from '../../api/service';
import { useAsync } from '../../api/useAsync';
import { AlertsTable } from '../../components/AlertsTable/AlertsTable';
import { FieldGroup } from '../../components/FieldGroup';
import { ServiceErrorAlert } from '../../components/ServiceErrorAlert/ServiceErrorAlert';
import { testIds } from '../../components/testIds';
import { paramsWithRange, rangeFromUrl, rangeMs } from '../../components/timeRange';
import { EVENT_TYPES, filterAlerts } from './filterAlerts';

/** The most events read at once (the API's maximum); type and time filters apply to these. */
const LIMIT = 1000;
const DEFAULT_RANGE = { from: 'now-7d', to: 'now' };

/** Alert history of every metric: firing, resolved, no-data and test events, with their delivery. */
function AlertsPage() {
  const [params, setParams] = useSearchParams();
  const metric = params.get('metric') ?? '';
  const types = useMemo(() => params.getAll('type'), [params]);
  const fromRaw = params.get('from');
  const toRaw = params.get('to');
  const timeRange = useMemo(() => rangeFromUrl(fromRaw, toRaw, DEFAULT_RANGE), [fromRaw, toRaw]);

  const loadAlerts = useCallback(() => getAlerts({ metric: metric || undefined, limit: LIMIT }), [metric]);
  const alerts = useAsync(loadAlerts);
  const metrics = useAsync(listMetrics);
  // Bounds evaluated with each answer: after a refresh, `now` includes the events that just arrived.
  const shown = useMemo(
    () => filterAlerts(alerts.value?.alerts ?? [], { types, ...rangeMs(timeRange) }),
    [alerts.value, types, timeRange]
  );

  const update = (change: (p: URLSearchParams) => void) => {
    const next = new URLSearchParams(params);
    change(next);
    setParams(next, { replace: true });
  };
  const setMetric = (m: string | null) => update((p) => (m ? p.set('metric', m) : p.delete('metric')));
  const toggleType = (t: string) =>
    update((p) => {
      const next = types.includes(t) ? types.filter((x) => x !== t) : [...types, t];
      p.delete('type');
      next.forEach((x) => p.append('type', x));
    });
  const setTimeRange = (r: TimeRange) => setParams(paramsWithRange(params, r), { replace: true });

  const metricOptions = (metrics.value?.metrics ?? []).map((m) => ({ value: m.name, label: m.name }));
  const total = alerts.value?.alerts.length ?? 0;

  return (
    <PluginPage
      actions={
        <Button variant="secondary" icon="sync" onClick={alerts.reload} disabled={alerts.status === 'loading'}>
          Refresh
        </Button>
      }
    >
      <Stack direction="column" gap={2}>
        <Stack direction="row" gap={2} alignItems="flex-end" wrap="wrap">
          <Field label="Metric" noMargin>
            <Combobox<string>
              id="alerts-metric"
              width={40}
              isClearable
              createCustomValue
              placeholder="All metrics"
              options={metricOptions}
              value={metric || null}
              onChange={(o) => setMetric(o?.value ?? null)}
            />
          </Field>
          <Field label="Event" noMargin>
            <FieldGroup>
              {EVENT_TYPES.map((t) => (
                <FilterPill
                  key={t}
                  label={t.replace('_', ' ')}
                  selected={types.includes(t)}
                  onClick={() => toggleType(t)}
                />
              ))}
            </FieldGroup>
          </Field>
          <Field label="Time of the evaluated point" noMargin>
            <TimeRangeInput value={timeRange} onChange={setTimeRange} />
          </Field>
        </Stack>
        {alerts.status === 'error' && (
          <ServiceErrorAlert error={alerts.error} title="Could not read the alert history" />
        )}
        {alerts.status === 'loading' && !alerts.value && <LoadingPlaceholder text="Reading alerts…" />}
        {alerts.value && shown.length === 0 && (
          <Text color="secondary">{total === 0 ? 'No alert events yet.' : 'No alert event matches the filters.'}</Text>
        )}
        {shown.length > 0 && <AlertsTable alerts={shown} showMetric={!metric} testId={testIds.alerts.table} />}
        {alerts.value && (
          <Text variant="bodySmall" color="secondary">
            {total >= LIMIT
              ? `${shown.length} shown, among the newest ${LIMIT} events${metric ? ` of ${metric}` : ''}: older ones are not read.`
              : `${shown.length} of ${total} events`}
          </Text>
        )}
      </Stack>
    </PluginPage>
  );
}

export default AlertsPage;
