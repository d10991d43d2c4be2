import React, { useState } from 'react';
import { parse, stringify } from 'yaml';
import { Combobox, Input, RadioButtonGroup, Switch } from '@grafana/ui';
import type { ParamSpec } from './jsonSchema';

interface Props {
  spec: ParamSpec;
  value: unknown;
  /** `undefined` removes the parameter: its default applies. */
  onChange: (value: unknown) => void;
  onInvalidText: (message: string | null) => void;
  id: string;
}

/** Enums this short are buttons; longer ones a dropdown. */
const MAX_RADIO_OPTIONS = 5;
const NONE_OPTION = '(none)';

/** One detector parameter's input, chosen by its JSON Schema type. */
export function ParamInput({ spec, value, onChange, onInvalidText, id }: Props) {
  switch (spec.kind) {
    case 'number':
    case 'integer':
      return (
        <Input
          id={id}
          type="number"
          width={20}
          value={typeof value === 'number' ? value : ''}
          placeholder={spec.default === undefined || spec.default === null ? '' : String(spec.default)}
          onChange={(e) => {
            const t = e.currentTarget.value;
            onChange(t === '' ? undefined : Number(t));
          }}
        />
      );
    case 'boolean':
      return (
        <Switch
          id={id}
          value={typeof value === 'boolean' ? value : spec.default === true}
          onChange={(e) => onChange(e.currentTarget.checked)}
        />
      );
    case 'enum': {
      const options = (spec.options ?? []).map((o) => ({ label: String(o), value: String(o) }));
      if (spec.nullable) {
        options.unshift({ label: 'none', value: NONE_OPTION });
      }
      const current = value === null ? NONE_OPTION : value === undefined ? undefined : String(value);
      const fallback =
        spec.default === null ? NONE_OPTION : spec.default === undefined ? undefined : String(spec.default);
      const pick = (v: string | undefined) => {
        const opt = spec.options?.find((o) => String(o) === v);
        onChange(v === NONE_OPTION ? null : opt);
      };
      return options.length <= MAX_RADIO_OPTIONS ? (
        <RadioButtonGroup id={id} size="sm" options={options} value={current ?? fallback} onChange={pick} />
      ) : (
        <Combobox
          id={id}
          width={30}
          options={options}
          value={current ?? fallback ?? null}
          onChange={(o) => pick(o.value)}
        />
      );
    }
    case 'string':
      return (
        <Input
          id={id}
          width={40}
          value={typeof value === 'string' ? value : ''}
          placeholder={typeof spec.default === 'string' ? spec.default : ''}
          onChange={(e) => onChange(e.currentTarget.value === '' ? undefined : e.currentTarget.value)}
        />
      );
    default:
      return (
        <YamlValueInput
          id={id}
          value={value}
          // A scalar default (robust's `seasonality: auto`) is the best hint; lists get a YAML example.
          placeholder={
            typeof spec.default === 'string' || typeof spec.default === 'number'
              ? String(spec.default)
              : 'YAML, e.g. [hour, [hour, is_weekend]]'
          }
          onChange={onChange}
          onInvalidText={onInvalidText}
        />
      );
  }
}

/**
 * Lists and mappings (`seasonality_components: [hour, [hour, is_weekend]]`) are written as in the YAML file, on one
 * line. Text that does not parse stays in the input, marked, and is not applied.
 */
function YamlValueInput({
  id,
  value,
  placeholder,
  onChange,
  onInvalidText,
}: {
  id: string;
  value: unknown;
  placeholder: string;
  onChange: (v: unknown) => void;
  onInvalidText: (message: string | null) => void;
}) {
  const [text, setText] = useState(() =>
    value === undefined ? '' : stringify(value, { collectionStyle: 'flow' }).trim()
  );
  return (
    <Input
      id={id}
      width={40}
      value={text}
      placeholder={placeholder}
      onChange={(e) => {
        const t = e.currentTarget.value;
        setText(t);
        if (t.trim() === '') {
          onInvalidText(null);
          onChange(undefined);
          return;
        }
        try {
          const v: unknown = parse(t);
          onInvalidText(null);
          onChange(v);
        } catch (err) {
          onInvalidText(`not valid YAML: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
          // The text itself becomes the value: it fails validation, so nothing half-typed is saved.
          onChange(t);
        }
      }}
    />
  );
}
