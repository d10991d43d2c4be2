import React, { useEffect, useState } from 'react';
import { Combobox, Field, Input, RadioButtonGroup, Stack, Switch, TagsInput, Text } from '@grafana/ui';
import { ALERT_DIRECTIONS } from '../../../common/config/metric';
import { toServiceError, type ServiceIssue } from '../../api/errors';
import { listContactPoints, type ContactPoint } from '../../api/grafana';
import { FieldGroup } from '../../components/FieldGroup';
import { getIn, intervalFromInput, isRecord, setIn, type Definition } from './definition';
import { fieldError } from './validation';

interface Props {
  def: Definition;
  onChange: (def: Definition) => void;
  issues: (key: string) => ServiceIssue[] | undefined;
}

const DIRECTION_OPTIONS = ALERT_DIRECTIONS.map((d) => ({
  label: d,
  value: d,
  description: {
    same: 'The streak (and the detectors) point the same way',
    any: 'Above or below the band',
    up: 'Only above the band',
    down: 'Only below the band',
  }[d],
}));

/** Defaults a newly enabled alerting block starts from (detectkit's, written out so the file reads clearly). */
const NEW_ALERTING = { enabled: true, channels: [], consecutive_anomalies: 3, direction: 'same' };

/** The `alerting:` block: when a streak of anomalies becomes an alert, and where it goes. */
export function AlertingFields({ def, onChange, issues }: Props) {
  const alerting = isRecord(def.alerting) ? def.alerting : null;
  const enabled = alerting !== null && alerting.enabled !== false;
  const set = (key: string, value: unknown) => onChange(setIn(def, ['alerting', key], value));
  const err = (key: string) => fieldError(issues(`alerting.${key}`));
  const channels = Array.isArray(alerting?.channels)
    ? alerting.channels.filter((c): c is string => typeof c === 'string')
    : [];
  const num = (key: string) => {
    const v = getIn(alerting, [key]);
    return typeof v === 'number' ? v : '';
  };

  return (
    <Stack direction="column" gap={1}>
      <Field label="Alerting" description="Raise alerts when anomalies persist">
        <Switch
          id="editor-alerting-enabled"
          value={enabled}
          onChange={(e) =>
            onChange(
              e.currentTarget.checked
                ? { ...def, alerting: alerting ? { ...alerting, enabled: true } : NEW_ALERTING }
                : setIn(def, ['alerting', 'enabled'], false)
            )
          }
        />
      </Field>
      {enabled && (
        <>
          <Field
            label="Channels"
            description="Names of alert channels in profiles.yml (alert_channels). A channel of type grafana delivers to its Grafana contact point."
            invalid={Boolean(err('channels'))}
            error={err('channels')}
          >
            <TagsInput
              id="editor-channels"
              tags={channels}
              placeholder="Channel name, then Enter"
              onChange={(tags) => set('channels', tags)}
            />
          </Field>
          <ContactPointPicker onPick={(name) => !channels.includes(name) && set('channels', [...channels, name])} />
          <Stack direction="row" gap={2} wrap="wrap">
            <Field
              label="Consecutive anomalies"
              description="This many anomalous intervals in a row fire"
              invalid={Boolean(err('consecutive_anomalies'))}
              error={err('consecutive_anomalies')}
            >
              <Input
                id="editor-consecutive"
                type="number"
                width={12}
                placeholder="3"
                value={num('consecutive_anomalies')}
                onChange={(e) =>
                  set('consecutive_anomalies', e.currentTarget.value === '' ? undefined : Number(e.currentTarget.value))
                }
              />
            </Field>
            <Field
              label="Minimum detectors"
              description="Detectors that must agree at a point"
              invalid={Boolean(err('min_detectors'))}
              error={err('min_detectors')}
            >
              <Input
                id="editor-min-detectors"
                type="number"
                width={12}
                placeholder="1"
                value={num('min_detectors')}
                onChange={(e) =>
                  set('min_detectors', e.currentTarget.value === '' ? undefined : Number(e.currentTarget.value))
                }
              />
            </Field>
            <Field
              label="Cooldown"
              description="No new firing notification within this time, e.g. 1h"
              invalid={Boolean(err('alert_cooldown'))}
              error={err('alert_cooldown')}
            >
              <Input
                id="editor-cooldown"
                width={16}
                placeholder="none"
                value={String(getIn(alerting, ['alert_cooldown']) ?? '')}
                onChange={(e) => set('alert_cooldown', intervalFromInput(e.currentTarget.value))}
              />
            </Field>
          </Stack>
          <Field label="Direction" invalid={Boolean(err('direction'))} error={err('direction')}>
            <RadioButtonGroup
              options={DIRECTION_OPTIONS}
              value={typeof alerting?.direction === 'string' ? alerting.direction : 'same'}
              onChange={(d) => set('direction', d)}
            />
          </Field>
          <Field
            label="Alert when data stops"
            description="After as many intervals without a value as consecutive anomalies"
            invalid={Boolean(err('no_data_alert'))}
            error={err('no_data_alert')}
          >
            <Switch
              id="editor-no-data"
              value={alerting?.no_data_alert === true}
              onChange={(e) => set('no_data_alert', e.currentTarget.checked || undefined)}
            />
          </Field>
        </>
      )}
    </Stack>
  );
}

/**
 * Grafana's contact points, from Grafana's own API. A metric names channels, not contact points: picking one adds a
 * channel of the same name, which profiles.yml must define as `{type: grafana, contact_point: <name>, …}`.
 */
function ContactPointPicker({ onPick }: { onPick: (name: string) => void }) {
  const [points, setPoints] = useState<ContactPoint[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    listContactPoints().then(
      (p) => current && setPoints(p),
      (e: unknown) => current && setError(toServiceError(e).message)
    );
    return () => {
      current = false;
    };
  }, []);

  return (
    <Field
      label="Grafana contact point"
      description="Adds a channel named after the contact point; profiles.yml needs a grafana channel of that name with contact_point set to it."
    >
      {error ? (
        <FieldGroup>
          <Text color="secondary" variant="bodySmall">
            Grafana&apos;s contact points could not be listed ({error}). Type channel names above.
          </Text>
        </FieldGroup>
      ) : (
        <Combobox<string>
          id="editor-contact-point"
          width={40}
          placeholder={points === null ? 'Loading contact points…' : 'Choose a contact point'}
          loading={points === null}
          options={(points ?? []).map((p) => ({ value: p.name, label: p.name, description: p.types.join(', ') }))}
          value={null}
          onChange={(o) => onPick(o.value)}
        />
      )}
    </Field>
  );
}
