import React from 'react';
import { Checkbox, Field, Input, Stack } from '@grafana/ui';
import { SEASONALITY_COLUMNS } from '../../../common/config/metric';
import type { ServiceIssue } from '../../api/errors';
import { FieldGroup } from '../../components/FieldGroup';
import { intervalFromInput, setIn, type Definition } from './definition';
import { fieldError } from './validation';

interface Props {
  def: Definition;
  onChange: (def: Definition) => void;
  issues: (key: string) => ServiceIssue[] | undefined;
}

/** How often the metric runs, from when it loads, and the seasonality columns its detectors can group by. */
export function ScheduleFields({ def, onChange, issues }: Props) {
  const set = (path: Array<string | number>, value: unknown) => onChange(setIn(def, path, value));
  const err = (key: string) => fieldError(issues(key));
  const seasonality = Array.isArray(def.seasonality_columns) ? def.seasonality_columns : [];
  return (
    <>
      <Stack direction="row" gap={2} wrap="wrap">
        <Field
          label="Interval"
          description="Seconds (600) or a duration: 5min, 1h, 1d"
          invalid={Boolean(err('interval'))}
          error={err('interval')}
          required
        >
          <Input
            id="editor-interval"
            width={16}
            value={def.interval === undefined ? '' : String(def.interval)}
            onChange={(e) => set(['interval'], intervalFromInput(e.currentTarget.value))}
          />
        </Field>
        <Field
          label="Load from"
          description="First point of a new metric, e.g. 2024-01-01 00:00:00 (UTC)"
          invalid={Boolean(err('loading_start_time'))}
          error={err('loading_start_time')}
        >
          <Input
            id="editor-loading-start"
            width={28}
            placeholder="the source's defaults"
            value={typeof def.loading_start_time === 'string' ? def.loading_start_time : ''}
            onChange={(e) => set(['loading_start_time'], e.currentTarget.value || undefined)}
          />
        </Field>
      </Stack>
      <Field
        label="Seasonality columns"
        description="Derived from each point's UTC timestamp; detectors group by them (seasonality_components)"
        invalid={Boolean(err('seasonality_columns'))}
        error={err('seasonality_columns')}
      >
        <FieldGroup>
          {SEASONALITY_COLUMNS.map((c) => (
            <Checkbox
              key={c}
              label={c}
              value={seasonality.includes(c)}
              onChange={(e) => {
                const next = e.currentTarget.checked
                  ? SEASONALITY_COLUMNS.filter((x) => x === c || seasonality.includes(x))
                  : seasonality.filter((x) => x !== c);
                set(['seasonality_columns'], next.length ? next : undefined);
              }}
            />
          ))}
        </FieldGroup>
      </Field>
    </>
  );
}
