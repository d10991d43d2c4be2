import React, { useEffect, useMemo, useState } from 'react';
import type { QueryEditorProps, SelectableValue } from '@grafana/data';
import { getTemplateSrv } from '@grafana/runtime';
import {
  Checkbox,
  Combobox,
  InlineField,
  InlineFieldRow,
  MultiCombobox,
  RadioButtonGroup,
  Stack,
  Text,
} from '@grafana/ui';
import type { MetricSummary } from '../../../common/api/metrics';
import type { DataSource } from '../datasource';
import {
  SERIES_FIELDS,
  type AnomalyDataSourceOptions,
  type AnomalyQuery,
  type AnomalyQueryType,
  type SeriesField,
} from '../types';

type Props = QueryEditorProps<DataSource, AnomalyQuery, AnomalyDataSourceOptions>;

const QUERY_TYPES: Array<SelectableValue<AnomalyQueryType>> = [
  { label: 'Series', value: 'series', description: 'Values, confidence bands and anomalies over time' },
  { label: 'Anomalies', value: 'anomalies', description: 'Anomaly episodes as events (annotations)' },
  { label: 'Alerts', value: 'alerts', description: 'Alert state changes as events (annotations)' },
];

const FIELD_LABELS: Record<SeriesField, string> = { value: 'Value', bands: 'Bands', anomalies: 'Anomalies' };

/** Metric picker (from the service's metric list, or a template variable), detectors, and what to return. */
export function QueryEditor({ query, onChange, onRunQuery, datasource }: Props) {
  const [metrics, setMetrics] = useState<MetricSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const queryType = query.queryType ?? 'series';
  const fields = query.fields?.length ? query.fields : SERIES_FIELDS;

  useEffect(() => {
    let cancelled = false;
    datasource.listMetrics().then(
      (list) => !cancelled && setMetrics(list),
      (e: Error) => !cancelled && setError(e.message)
    );
    return () => {
      cancelled = true;
    };
  }, [datasource]);

  const metricOptions = useMemo(() => {
    const variables = getTemplateSrv()
      .getVariables()
      .map((v) => ({ value: `$${v.name}`, label: `$${v.name}`, description: 'Template variable' }));
    const names = (metrics ?? []).map((m) => ({
      value: m.name,
      label: m.name,
      description: m.description ?? undefined,
    }));
    return [...variables, ...names];
  }, [metrics]);

  const detectorOptions = useMemo(() => {
    const m = metrics?.find((x) => x.name === query.metric || x.name === query.metric.replace(/\{.*$/s, ''));
    const known = (m?.detectors ?? []).map((d) => ({ value: d.id, label: d.name, description: d.type }));
    // Ids saved earlier stay visible even when the metric no longer has them.
    const saved = (query.detectors ?? []).filter((id) => !known.some((o) => o.value === id));
    return [...known, ...saved.map((id) => ({ value: id, label: id }))];
  }, [metrics, query.metric, query.detectors]);

  const update = (patch: Partial<AnomalyQuery>) => {
    onChange({ ...query, ...patch });
    onRunQuery();
  };

  const toggleField = (f: SeriesField, on: boolean) => {
    const next = SERIES_FIELDS.filter((x) => (x === f ? on : fields.includes(x)));
    update({ fields: next.length ? next : [f] });
  };

  return (
    <Stack direction="column" gap={0}>
      <InlineFieldRow>
        <InlineField label="Query" labelWidth={12}>
          <RadioButtonGroup options={QUERY_TYPES} value={queryType} onChange={(v) => update({ queryType: v })} />
        </InlineField>
      </InlineFieldRow>
      <InlineFieldRow>
        <InlineField
          label="Metric"
          labelWidth={12}
          tooltip={
            queryType === 'alerts'
              ? 'Alerts of this metric only; empty for all metrics'
              : 'A metric of the dtk project, a series of a fan-out metric (name{label="v"}), or a template variable'
          }
          invalid={Boolean(error)}
          error={error}
        >
          <Combobox
            id="query-editor-metric"
            width={40}
            options={metricOptions}
            value={query.metric || null}
            loading={metrics === null && !error}
            placeholder={queryType === 'alerts' ? 'All metrics' : 'Choose a metric'}
            createCustomValue
            isClearable
            onChange={(o) => update({ metric: o?.value ?? '', detectors: [] })}
          />
        </InlineField>
        {queryType !== 'alerts' && (
          <InlineField
            label="Detectors"
            labelWidth={12}
            tooltip="Bands and anomalies of these detectors only; empty for all"
          >
            <MultiCombobox
              width="auto"
              minWidth={24}
              options={detectorOptions}
              value={query.detectors ?? []}
              placeholder="All detectors"
              isClearable
              onChange={(opts) => update({ detectors: opts.map((o) => o.value) })}
            />
          </InlineField>
        )}
      </InlineFieldRow>
      {queryType === 'series' && (
        <InlineFieldRow>
          <InlineField label="Fields" labelWidth={12} tooltip="Which fields the frame holds">
            <Stack gap={2} alignItems="center">
              {SERIES_FIELDS.map((f) => (
                <Checkbox
                  key={f}
                  label={FIELD_LABELS[f]}
                  value={fields.includes(f)}
                  onChange={(e) => toggleField(f, e.currentTarget.checked)}
                />
              ))}
            </Stack>
          </InlineField>
        </InlineFieldRow>
      )}
      {queryType !== 'series' && (
        <Text variant="bodySmall" color="secondary">
          Events with time, end time, title, text and tags: use this query for annotations.
        </Text>
      )}
    </Stack>
  );
}
