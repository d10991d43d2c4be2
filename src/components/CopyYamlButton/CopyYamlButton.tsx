import React from 'react';
import { stringify } from 'yaml';
import { ClipboardButton } from '@grafana/ui';

/** The definition in the metric-file form, ready to paste into `metrics/<name>.yml`. */
export function definitionToYaml(definition: Record<string, unknown>): string {
  return stringify(definition, { lineWidth: 0 });
}

export function CopyYamlButton({ definition }: { definition: Record<string, unknown> }) {
  return (
    <ClipboardButton icon="copy" variant="secondary" getText={() => definitionToYaml(definition)}>
      Copy as YAML
    </ClipboardButton>
  );
}
