import React from 'react';
import { Alert, Stack, Text, useStyles2 } from '@grafana/ui';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import type { MetricDetail } from '../../../common/api/metrics';
import { definitionToYaml } from '../../components/CopyYamlButton/CopyYamlButton';

/** The definition as the service read it (secrets redacted) and the problems it found in it. */
export function DefinitionSection({ detail }: { detail: MetricDetail }) {
  const s = useStyles2(getStyles);
  const errors = detail.issues.filter((i) => i.severity === 'error');
  const warnings = detail.issues.filter((i) => i.severity === 'warning');
  return (
    <Stack direction="column" gap={2}>
      {errors.length > 0 && (
        <Alert severity="error" title="The definition has errors: the metric does not run until they are fixed">
          <IssueList issues={errors} />
        </Alert>
      )}
      {warnings.length > 0 && (
        <Alert severity="warning" title="Warnings">
          <IssueList issues={warnings} />
        </Alert>
      )}
      <Text color="secondary">
        {detail.origin === 'file'
          ? `Provisioned from ${detail.relPath}: edit that file to change it.`
          : `Saved in Grafana, version ${detail.version}${detail.updatedBy ? ` by ${detail.updatedBy}` : ''}.`}
      </Text>
      {detail.definition ? (
        <pre className={s.code}>{definitionToYaml(detail.definition)}</pre>
      ) : (
        <Text color="secondary">The definition could not be read.</Text>
      )}
    </Stack>
  );
}

function IssueList({ issues }: { issues: MetricDetail['issues'] }) {
  return (
    <ul>
      {issues.map((i, n) => (
        <li key={n}>
          {i.path ? <code>{i.path}</code> : null}
          {i.path ? ': ' : ''}
          {i.message}
          {i.line !== undefined ? ` (line ${i.line}${i.column !== undefined ? `, column ${i.column}` : ''})` : ''}
        </li>
      ))}
    </ul>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  code: css({
    fontFamily: theme.typography.fontFamilyMonospace,
    fontSize: theme.typography.bodySmall.fontSize,
    background: theme.colors.background.secondary,
    padding: theme.spacing(2),
    borderRadius: theme.shape.radius.default,
    overflowX: 'auto',
    margin: 0,
  }),
});
