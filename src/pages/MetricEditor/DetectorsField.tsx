import React, { useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Alert, Button, Combobox, Field, IconButton, RadioButtonGroup, Stack, Text, useStyles2 } from '@grafana/ui';
import type { DetectorInfo } from '../../../common/api/detectors';
import { RECOMMENDED_DETECTOR_TYPE } from '../../../common/detectors/types';
import type { ServiceIssue } from '../../api/errors';
import { isRecord } from './definition';
import { paramSpecs, type ParamSpec } from './jsonSchema';
import { ParamInput } from './ParamInput';
import { fieldError, findDetector } from './validation';

interface Props {
  detectors: unknown[];
  catalog: DetectorInfo[];
  onChange: (detectors: unknown[]) => void;
  issuesOf: (index: number) => ServiceIssue[];
}

/** Parameters shown before "More parameters": the ones people tune first. */
const PRIMARY = [
  'threshold',
  'window_size',
  'min_samples',
  'seasonality',
  'seasonality_components',
  'lower_bound',
  'upper_bound',
];

/** The metric's detectors, each with a form generated from its type's parameter schema. */
export function DetectorsField({ detectors, catalog, onChange, issuesOf }: Props) {
  // "Add detector" starts from the recommended one when the service offers it.
  const first = catalog.find((c) => c.type === RECOMMENDED_DETECTOR_TYPE)?.type ?? catalog[0]?.type ?? 'mad';
  return (
    <Stack direction="column" gap={2}>
      {detectors.length === 0 && (
        <Text color="secondary">No detectors: values are stored, but nothing is flagged and no band is drawn.</Text>
      )}
      {detectors.map((d, i) => (
        <DetectorCard
          key={i}
          index={i}
          entry={isRecord(d) ? d : {}}
          catalog={catalog}
          issues={issuesOf(i)}
          onChange={(next) => onChange(detectors.map((x, j) => (j === i ? next : x)))}
          onRemove={() => onChange(detectors.filter((_, j) => j !== i))}
        />
      ))}
      <div>
        <Button icon="plus" variant="secondary" onClick={() => onChange([...detectors, { type: first, params: {} }])}>
          Add detector
        </Button>
      </div>
    </Stack>
  );
}

interface CardProps {
  index: number;
  entry: Record<string, unknown>;
  catalog: DetectorInfo[];
  issues: ServiceIssue[];
  onChange: (entry: Record<string, unknown>) => void;
  onRemove: () => void;
}

function DetectorCard({ index, entry, catalog, issues, onChange, onRemove }: CardProps) {
  const s = useStyles2(getStyles);
  const [showAll, setShowAll] = useState(false);
  const [textErrors, setTextErrors] = useState<Record<string, string>>({});
  const info = findDetector(catalog, entry.type);
  const params = isRecord(entry.params) ? entry.params : {};
  const specs = info ? paramSpecs(info.params) : [];
  const prefix = `detectors[${index}]`;
  const paramIssues = (name: string) =>
    issues.filter((i) => i.path === `${prefix}.params.${name}` || i.path?.startsWith(`${prefix}.params.${name}[`));
  const shown = (spec: ParamSpec) =>
    showAll || PRIMARY.includes(spec.name) || params[spec.name] !== undefined || paramIssues(spec.name).length > 0;
  // Problems no parameter input shows: the type, `params` itself, parameters the schema does not know.
  const cardIssues = issues.filter((i) => !specs.some((sp) => paramIssues(sp.name).includes(i)));

  const setParam = (name: string, value: unknown) => {
    const next = { ...params };
    if (value === undefined) {
      delete next[name];
    } else {
      next[name] = value;
    }
    onChange({ ...entry, params: next });
  };

  return (
    <div className={s.card} aria-label={`Detector ${index + 1}`} role="group">
      <Stack direction="row" justifyContent="space-between" alignItems="flex-start">
        <Field label={`Detector ${index + 1}`} description={info?.description}>
          <TypePicker
            index={index}
            catalog={catalog}
            value={info?.type}
            // Another type's parameters would be unknown keys: a new type starts from its defaults.
            onChange={(type) => onChange({ type, params: {} })}
          />
        </Field>
        <IconButton name="trash-alt" tooltip={`Remove detector ${index + 1}`} onClick={onRemove} />
      </Stack>
      {!info && typeof entry.type === 'string' && (
        <Alert severity="warning" title={`Unknown detector type '${entry.type}'`}>
          The service does not offer this type; choose one of the types above.
        </Alert>
      )}
      {cardIssues.length > 0 && (
        <Alert
          severity={cardIssues.some((i) => i.severity === 'error') ? 'error' : 'warning'}
          title="Detector problems"
        >
          {cardIssues.map((i, n) => (
            <div key={n}>{i.message}</div>
          ))}
        </Alert>
      )}
      <div className={s.params}>
        {specs.filter(shown).map((spec) => {
          const id = `detector-${index}-${spec.name}`;
          const error = textErrors[spec.name] ?? fieldError(paramIssues(spec.name));
          return (
            <Field
              key={spec.name}
              label={spec.name}
              description={describe(spec)}
              invalid={Boolean(error)}
              error={error}
              required={spec.required}
            >
              <ParamInput
                id={id}
                spec={spec}
                value={params[spec.name]}
                onChange={(v) => setParam(spec.name, v)}
                onInvalidText={(m) =>
                  setTextErrors((e) => {
                    const next = { ...e };
                    if (m) {
                      next[spec.name] = m;
                    } else {
                      delete next[spec.name];
                    }
                    return next;
                  })
                }
              />
            </Field>
          );
        })}
      </div>
      {specs.some((sp) => !shown(sp)) && (
        <Button variant="secondary" fill="text" size="sm" icon="angle-down" onClick={() => setShowAll(true)}>
          More parameters
        </Button>
      )}
    </div>
  );
}

/** Buttons while the catalog is short (detectkit's four types), a searchable list once it grows. */
const MAX_TYPE_BUTTONS = 5;

function TypePicker(props: {
  index: number;
  catalog: DetectorInfo[];
  value?: string;
  onChange: (type: string) => void;
  /** Handed over by the surrounding Field; the type itself is never invalid (issues show on the card). */
  invalid?: boolean;
}) {
  const options = props.catalog.map((c) => ({ label: c.title, value: c.type, description: c.description }));
  return options.length <= MAX_TYPE_BUTTONS ? (
    <RadioButtonGroup options={options} value={props.value} onChange={props.onChange} />
  ) : (
    <Combobox<string>
      id={`detector-${props.index}-type`}
      width={40}
      options={options}
      value={props.value ?? null}
      onChange={(o) => props.onChange(o.value)}
    />
  );
}

function describe(spec: ParamSpec): string | undefined {
  const parts: string[] = [];
  if (spec.description) {
    parts.push(spec.description);
  }
  if (spec.default !== undefined) {
    parts.push(`default: ${spec.default === null ? 'none' : JSON.stringify(spec.default)}`);
  }
  return parts.join('; ') || undefined;
}

const getStyles = (theme: GrafanaTheme2) => ({
  card: css({
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    padding: theme.spacing(2),
  }),
  params: css({
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(280px, 1fr))',
    columnGap: theme.spacing(2),
  }),
});
