import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Button, Field, IconButton, Input, RadioButtonGroup, Stack, Text, TextArea, useStyles2 } from '@grafana/ui';
import type { SourceType } from '../../../common/api/metrics';
import type { ServiceIssue } from '../../api/errors';
import { FieldGroup } from '../../components/FieldGroup';
import { getIn, isRecord, setIn, sourceTypeOf, withSourceType, type Definition } from './definition';
import { fieldError } from './validation';

interface Props {
  def: Definition;
  onChange: (def: Definition) => void;
  issues: (key: string) => ServiceIssue[] | undefined;
}

const SOURCE_OPTIONS: Array<{ label: string; value: SourceType; description: string }> = [
  { label: 'ClickHouse SQL', value: 'clickhouse', description: 'A SQL template run on the store (detectkit)' },
  { label: 'PromQL', value: 'prometheus', description: 'query_range on a Prometheus-compatible server' },
  { label: 'Scrape', value: 'scrape', description: 'Read one sample from a /metrics endpoint every interval' },
];

const str = (v: unknown) => (typeof v === 'string' ? v : '');

/** Where the points come from: a SQL template, a PromQL query, or a scraped sample. */
export function SourceFields({ def, onChange, issues }: Props) {
  const s = useStyles2(getStyles);
  const type = sourceTypeOf(def);
  const set = (path: Array<string | number>, value: unknown) => onChange(setIn(def, path, value));
  const err = (key: string) => fieldError(issues(key));

  return (
    <Stack direction="column" gap={1}>
      <Field label="Source">
        <RadioButtonGroup options={SOURCE_OPTIONS} value={type} onChange={(t) => onChange(withSourceType(def, t))} />
      </Field>

      {type === 'clickhouse' && (
        <>
          <Field
            label="SQL query"
            description="A Jinja template returning one row per interval, with a timestamp column and a value column."
            invalid={Boolean(err('query'))}
            error={err('query')}
          >
            <TextArea
              id="editor-query"
              className={s.code}
              rows={10}
              value={str(def.query)}
              onChange={(e) => set(['query'], e.currentTarget.value)}
            />
          </Field>
          <Text variant="bodySmall" color="secondary">
            Template variables: <code>{'{{ dtk_start_time }}'}</code> and <code>{'{{ dtk_end_time }}'}</code> are the
            loaded range <code>[start, end)</code> as <code>YYYY-MM-DD HH:MM:SS</code> in UTC;{' '}
            <code>{'{{ interval_seconds }}'}</code> is the interval in seconds. Bucket rows with{' '}
            <code>toStartOfInterval</code> so each lands on the interval grid.
          </Text>
          <Stack direction="row" gap={2}>
            <Field
              label="Timestamp column"
              invalid={Boolean(err('query_columns.timestamp'))}
              error={err('query_columns.timestamp')}
            >
              <Input
                id="editor-ts-column"
                width={24}
                placeholder="timestamp"
                value={str(getIn(def, ['query_columns', 'timestamp']))}
                onChange={(e) => set(['query_columns', 'timestamp'], e.currentTarget.value || undefined)}
              />
            </Field>
            <Field
              label="Value column"
              invalid={Boolean(err('query_columns.metric'))}
              error={err('query_columns.metric')}
            >
              <Input
                id="editor-value-column"
                width={24}
                placeholder="value"
                value={str(getIn(def, ['query_columns', 'metric']))}
                onChange={(e) => set(['query_columns', 'metric'], e.currentTarget.value || undefined)}
              />
            </Field>
          </Stack>
        </>
      )}

      {type !== 'clickhouse' && (
        <Field
          label={type === 'prometheus' ? 'Prometheus URL' : 'Metrics endpoint URL'}
          description={
            type === 'prometheus'
              ? 'The server’s base URL (Prometheus, Mimir, Thanos, VictoriaMetrics); /api/v1/query_range is appended.'
              : 'A Prometheus text or OpenMetrics endpoint, e.g. http://127.0.0.1:9100/metrics'
          }
          invalid={Boolean(err('source.url'))}
          error={err('source.url')}
        >
          <Input
            id="editor-source-url"
            width={60}
            placeholder={type === 'prometheus' ? 'http://prometheus:9090' : 'http://127.0.0.1:9100/metrics'}
            value={str(getIn(def, ['source', 'url']))}
            onChange={(e) => set(['source', 'url'], e.currentTarget.value)}
          />
        </Field>
      )}

      {type === 'prometheus' && (
        <Field
          label="PromQL query"
          description="Evaluated with step = the interval. A query returning several series makes one series per label set."
          invalid={Boolean(err('source.query'))}
          error={err('source.query')}
        >
          <TextArea
            id="editor-promql"
            className={s.code}
            rows={3}
            placeholder="sum(rate(http_requests_total[5m]))"
            value={str(getIn(def, ['source', 'query']))}
            onChange={(e) => set(['source', 'query'], e.currentTarget.value)}
          />
        </Field>
      )}

      {type === 'scrape' && (
        <>
          <Field
            label="Sample"
            description="The exact sample name, e.g. node_load1 or http_requests_total"
            invalid={Boolean(err('source.sample'))}
            error={err('source.sample')}
          >
            <Input
              id="editor-sample"
              width={40}
              value={str(getIn(def, ['source', 'sample']))}
              onChange={(e) => set(['source', 'sample'], e.currentTarget.value)}
            />
          </Field>
          <LabelsField
            labels={getIn(def, ['source', 'labels'])}
            error={err('source.labels')}
            onChange={(labels) => set(['source', 'labels'], labels)}
          />
        </>
      )}
    </Stack>
  );
}

/** Label values the scraped sample must have (exactly one sample must match). */
function LabelsField({
  labels,
  error,
  onChange,
}: {
  labels: unknown;
  error?: string;
  onChange: (labels: Record<string, string> | undefined) => void;
}) {
  const entries = isRecord(labels) ? Object.entries(labels).map(([k, v]) => [k, String(v)] as [string, string]) : [];
  const emit = (next: Array<[string, string]>) => onChange(next.length ? Object.fromEntries(next) : undefined);
  return (
    <Field
      label="Labels"
      description="Label values that pick one sample when the endpoint exposes several"
      invalid={Boolean(error)}
      error={error}
    >
      <FieldGroup direction="column">
        {entries.map(([k, v], i) => (
          <Stack key={i} direction="row" gap={1} alignItems="center">
            <Input
              aria-label={`Label ${i + 1} name`}
              width={20}
              value={k}
              onChange={(e) => emit(entries.map((x, j) => (j === i ? [e.currentTarget.value, x[1]] : x)))}
            />
            <Text>=</Text>
            <Input
              aria-label={`Label ${i + 1} value`}
              width={30}
              value={v}
              onChange={(e) => emit(entries.map((x, j) => (j === i ? [x[0], e.currentTarget.value] : x)))}
            />
            <IconButton
              name="trash-alt"
              tooltip="Remove label"
              onClick={() => emit(entries.filter((_, j) => j !== i))}
            />
          </Stack>
        ))}
        <div>
          <Button
            size="sm"
            variant="secondary"
            icon="plus"
            // Label names are mapping keys and must be unique: each new label starts with a placeholder name.
            onClick={() => emit([...entries, [`label${entries.length + 1}`, '']])}
          >
            Add label
          </Button>
        </div>
      </FieldGroup>
    </Field>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  code: css({
    fontFamily: theme.typography.fontFamilyMonospace,
    fontSize: theme.typography.bodySmall.fontSize,
  }),
});
