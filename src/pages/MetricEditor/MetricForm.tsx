import React, { useCallback, useMemo, useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { locationService } from '@grafana/runtime';
import { Alert, Button, ConfirmModal, FieldSet, Stack, useStyles2 } from '@grafana/ui';
import type { DetectorInfo } from '../../../common/api/detectors';
import type { MetricDefinition } from '../../../common/api/metrics';
import { toServiceError, type ServiceIssue } from '../../api/errors';
import { createMetric, deleteMetric, updateMetric } from '../../api/service';
import { urls } from '../../constants';
import { ServiceErrorAlert } from '../../components/ServiceErrorAlert/ServiceErrorAlert';
import { testIds } from '../../components/testIds';
import { AlertingFields } from './AlertingFields';
import { setIn, type Definition } from './definition';
import { DetectorsField } from './DetectorsField';
import { EditorPreview } from './EditorPreview';
import { GeneralFields } from './GeneralFields';
import { ScheduleFields } from './ScheduleFields';
import { SourceFields } from './SourceFields';
import { hasErrors, indexIssues, renderedKeys, validateDefinition } from './validation';

interface Props {
  /** Edit an existing UI metric (its name and saved version), or create one. */
  existing: { name: string; version: number } | null;
  initial: Definition;
  catalog: DetectorInfo[];
  /** Why the form cannot be changed (a provisioned metric, a Viewer), or null. */
  readOnlyReason: string | null;
}

type SaveState =
  { kind: 'idle' } | { kind: 'saving' } | { kind: 'error'; error: unknown } | { kind: 'blocked'; count: number };

/** The metric definition as a form; preview and save validate it the way the service loads metric files. */
export function MetricForm({ existing, initial, catalog, readOnlyReason }: Props) {
  const s = useStyles2(getStyles);
  const [def, setDef] = useState<Definition>(initial);
  const [previewIssues, setPreviewIssues] = useState<ServiceIssue[]>([]);
  const [saveIssues, setSaveIssues] = useState<ServiceIssue[]>([]);
  const [save, setSave] = useState<SaveState>({ kind: 'idle' });
  const [confirmDelete, setConfirmDelete] = useState(false);
  const readOnly = readOnlyReason !== null;

  const localIssues = useMemo(() => validateDefinition(def, catalog), [def, catalog]);
  const rendered = useMemo(() => renderedKeys(def), [def]);
  const index = useMemo(
    () => indexIssues([...localIssues, ...saveIssues, ...previewIssues], rendered),
    [localIssues, saveIssues, previewIssues, rendered]
  );
  const issuesAt = useCallback((key: string) => index.byField.get(key), [index]);

  // The preview needs a definition the service can load; the name alone can wait until saving.
  const previewBlockers = localIssues.filter((i) => i.severity === 'error' && i.path !== 'name');
  const blockedBy = previewBlockers.length
    ? `Fix the ${previewBlockers.length === 1 ? 'error' : `${previewBlockers.length} errors`} marked in the form to see the bands.`
    : null;

  const change = (next: Definition) => {
    setDef(next);
    // The save's complaints were about the previous definition; the next save (and the preview) check again.
    setSaveIssues([]);
    if (save.kind !== 'saving') {
      setSave({ kind: 'idle' });
    }
  };
  const set = (path: Array<string | number>, value: unknown) => change(setIn(def, path, value));

  const onSave = async () => {
    const errors = localIssues.filter((i) => i.severity === 'error');
    if (errors.length) {
      setSave({ kind: 'blocked', count: errors.length });
      return;
    }
    setSave({ kind: 'saving' });
    // Checked against the metric schema just above: it is a metric file's content.
    const definition = def as MetricDefinition;
    try {
      const saved = existing
        ? await updateMetric(existing.name, { definition, expectedVersion: existing.version })
        : await createMetric({ definition });
      locationService.push(urls.metric(saved.name));
    } catch (e) {
      const se = toServiceError(e);
      // "Already exists" on create is about the name: show it there.
      const issues =
        se.issues.length === 0 && se.kind === 'conflict' && !existing
          ? [{ path: 'name', message: se.message, severity: 'error' as const }]
          : se.issues;
      setSaveIssues(issues);
      setSave({ kind: 'error', error: se });
    }
  };

  const onDelete = async () => {
    if (!existing) {
      return;
    }
    setConfirmDelete(false);
    try {
      await deleteMetric(existing.name, existing.version);
      locationService.push(urls.metrics());
    } catch (e) {
      setSave({ kind: 'error', error: e });
    }
  };

  const detectors = Array.isArray(def.detectors) ? def.detectors : [];

  return (
    <Stack direction="column" gap={2}>
      {readOnlyReason && (
        <Alert severity="info" title="Read-only">
          {readOnlyReason}
        </Alert>
      )}
      {/* A disabled fieldset disables every input inside it: one switch for read-only. */}
      <fieldset disabled={readOnly} className={s.fieldset} data-testid={testIds.editor.form}>
        <FieldSet label="Metric">
          <GeneralFields def={def} onChange={change} issues={issuesAt} renaming={existing === null} />
        </FieldSet>

        <FieldSet label="Source">
          <SourceFields def={def} onChange={change} issues={issuesAt} />
        </FieldSet>

        <FieldSet label="Schedule">
          <ScheduleFields def={def} onChange={change} issues={issuesAt} />
        </FieldSet>

        <FieldSet label="Detectors">
          <DetectorsField
            detectors={detectors}
            catalog={catalog}
            onChange={(d) => set(['detectors'], d)}
            issuesOf={index.detector}
          />
        </FieldSet>

        <FieldSet label="Alerting">
          <AlertingFields def={def} onChange={change} issues={issuesAt} />
        </FieldSet>
      </fieldset>

      <FieldSet label="Preview">
        <EditorPreview definition={def} blockedBy={blockedBy} onIssues={setPreviewIssues} />
      </FieldSet>

      {index.general.length > 0 && (
        <Alert
          severity={hasErrors(index.general) ? 'error' : 'warning'}
          title={hasErrors(index.general) ? 'Problems with the definition' : 'Warnings'}
        >
          <ul>
            {index.general.map((i, n) => (
              <li key={n}>
                {i.path ? <code>{i.path}</code> : null}
                {i.path ? ': ' : ''}
                {i.message}
              </li>
            ))}
          </ul>
        </Alert>
      )}
      {save.kind === 'blocked' && (
        <Alert severity="error" title="Not saved">
          {`Fix the ${save.count === 1 ? 'error' : `${save.count} errors`} marked in the form first.`}
        </Alert>
      )}
      {save.kind === 'error' && <ServiceErrorAlert error={save.error} title="Not saved" />}

      {!readOnly && (
        <Stack direction="row" gap={1}>
          <Button
            icon={save.kind === 'saving' ? 'spinner' : 'save'}
            onClick={onSave}
            disabled={save.kind === 'saving'}
            data-testid={testIds.editor.save}
          >
            {existing ? 'Save' : 'Create metric'}
          </Button>
          <Button
            variant="secondary"
            fill="outline"
            onClick={() => locationService.push(existing ? urls.metric(existing.name) : urls.metrics())}
          >
            Cancel
          </Button>
          {existing && (
            <Button variant="destructive" fill="outline" icon="trash-alt" onClick={() => setConfirmDelete(true)}>
              Delete
            </Button>
          )}
        </Stack>
      )}
      {existing && (
        <ConfirmModal
          isOpen={confirmDelete}
          title={`Delete ${existing.name}`}
          body="The definition is deleted and the metric stops running. Its stored datapoints and detections stay."
          confirmText="Delete"
          onConfirm={onDelete}
          onDismiss={() => setConfirmDelete(false)}
        />
      )}
    </Stack>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  fieldset: css({
    border: 'none',
    padding: 0,
    margin: 0,
    minWidth: 0,
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(2),
  }),
});
