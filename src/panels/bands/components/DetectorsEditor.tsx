import React, { useMemo } from 'react';
import type { StandardEditorProps } from '@grafana/data';
import { MultiCombobox } from '@grafana/ui';
import { detectorsIn } from '../series';

type Props = StandardEditorProps<string[]>;

/** Picks among the detectors present in the panel's data; ids saved before stay selectable while absent. */
export function DetectorsEditor({ value, onChange, context }: Props) {
  const selected = useMemo(() => value ?? [], [value]);
  const options = useMemo(() => {
    const found = detectorsIn(context.data ?? []).map((d) => ({ value: d.id, label: d.name }));
    const missing = selected.filter((id) => !found.some((o) => o.value === id)).map((id) => ({ value: id, label: id }));
    return [...found, ...missing];
  }, [context.data, selected]);
  return (
    <MultiCombobox
      options={options}
      value={selected}
      placeholder="All detectors"
      isClearable
      width="auto"
      minWidth={20}
      onChange={(opts) => onChange(opts.map((o) => o.value))}
    />
  );
}
