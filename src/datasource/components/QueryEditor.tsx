import React, { ChangeEvent } from 'react';
import type { QueryEditorProps } from '@grafana/data';
import { InlineField, Input, Stack } from '@grafana/ui';
import type { DataSource } from '../datasource';
import type { AnomalyDataSourceOptions, AnomalyQuery } from '../types';

type Props = QueryEditorProps<DataSource, AnomalyQuery, AnomalyDataSourceOptions>;

export function QueryEditor({ query, onChange, onRunQuery }: Props) {
  const onMetricChange = (e: ChangeEvent<HTMLInputElement>) => onChange({ ...query, metric: e.target.value });
  return (
    <Stack gap={0}>
      <InlineField
        label="Metric"
        labelWidth={12}
        tooltip="Metric name from the dtk project; template variables allowed"
      >
        <Input
          id="query-editor-metric"
          value={query.metric ?? ''}
          width={40}
          onChange={onMetricChange}
          onBlur={onRunQuery}
          placeholder="cpu_usage"
        />
      </InlineField>
    </Stack>
  );
}
