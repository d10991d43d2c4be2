import React from 'react';
import { Field, Input, Switch, TagsInput } from '@grafana/ui';
import type { ServiceIssue } from '../../api/errors';
import { setIn, type Definition } from './definition';
import { fieldError } from './validation';

interface Props {
  def: Definition;
  onChange: (def: Definition) => void;
  issues: (key: string) => ServiceIssue[] | undefined;
  /** False when editing: the name keys the stored data and stays. */
  renaming: boolean;
}

/** Name, description, tags and whether the metric runs. */
export function GeneralFields({ def, onChange, issues, renaming }: Props) {
  const set = (path: Array<string | number>, value: unknown) => onChange(setIn(def, path, value));
  const err = (key: string) => fieldError(issues(key));
  return (
    <>
      <Field
        label="Name"
        description={
          renaming ? 'Letters, digits, _ and -' : 'A metric cannot be renamed: its name keys its stored data'
        }
        invalid={Boolean(err('name'))}
        error={err('name')}
        required
      >
        <Input
          id="editor-name"
          width={40}
          value={typeof def.name === 'string' ? def.name : ''}
          disabled={!renaming}
          onChange={(e) => set(['name'], e.currentTarget.value)}
        />
      </Field>
      <Field label="Description" invalid={Boolean(err('description'))} error={err('description')}>
        <Input
          id="editor-description"
          value={typeof def.description === 'string' ? def.description : ''}
          onChange={(e) => set(['description'], e.currentTarget.value || undefined)}
        />
      </Field>
      <Field label="Tags" invalid={Boolean(err('tags'))} error={err('tags')}>
        <TagsInput
          id="editor-tags"
          tags={Array.isArray(def.tags) ? def.tags.filter((t): t is string => typeof t === 'string') : []}
          onChange={(tags) => set(['tags'], tags.length ? tags : undefined)}
        />
      </Field>
      <Field
        label="Enabled"
        description="A disabled metric is not scheduled"
        invalid={Boolean(err('enabled'))}
        error={err('enabled')}
      >
        <Switch
          id="editor-enabled"
          value={def.enabled !== false}
          onChange={(e) => set(['enabled'], e.currentTarget.checked ? undefined : false)}
        />
      </Field>
    </>
  );
}
