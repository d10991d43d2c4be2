import React, { useCallback } from 'react';
import { useParams } from 'react-router-dom';
import { PluginPage } from '@grafana/runtime';
import { LinkButton, LoadingPlaceholder, Stack } from '@grafana/ui';
import type { DetectorInfo } from '../../../common/api/detectors';
import type { MetricDetail } from '../../../common/api/metrics';
import { unwrapMetric } from '../../../common/config/metric';
import { canEditMetrics } from '../../api/permissions';
import { getMetric, listDetectors } from '../../api/service';
import { useAsync } from '../../api/useAsync';
import { urls } from '../../constants';
import { CopyYamlButton } from '../../components/CopyYamlButton/CopyYamlButton';
import { ServiceErrorAlert } from '../../components/ServiceErrorAlert/ServiceErrorAlert';
import { isRecord, newDefinition, type Definition } from './definition';
import { MetricForm } from './MetricForm';

interface Loaded {
  catalog: DetectorInfo[];
  detail: MetricDetail | null;
}

/** Create a metric (`new`) or edit a UI-managed one (`metrics/:name/edit`); provisioned ones are shown read-only. */
function MetricEditorPage() {
  const name = useParams().name;
  const load = useCallback(async (): Promise<Loaded> => {
    const [catalog, detail] = await Promise.all([listDetectors(), name ? getMetric(name) : Promise.resolve(null)]);
    return { catalog: catalog.detectors, detail };
  }, [name]);
  const res = useAsync(load);
  const detail = res.value?.detail ?? null;

  return (
    <PluginPage
      pageNav={{ text: name ? `Edit ${name}` : 'New metric' }}
      actions={
        detail ? (
          <Stack direction="row" gap={1}>
            {detail.definition && <CopyYamlButton definition={detail.definition} />}
            <LinkButton variant="secondary" href={urls.metric(detail.name)}>
              Back to the metric
            </LinkButton>
          </Stack>
        ) : undefined
      }
    >
      {res.status === 'error' && (
        <ServiceErrorAlert
          error={res.error}
          title={name ? `Could not load ${name}` : 'Could not load the detector catalog'}
        />
      )}
      {res.status === 'loading' && !res.value && <LoadingPlaceholder text="Loading…" />}
      {res.value && (
        <MetricForm
          // A reload (after a conflict) starts the form again from the saved version.
          key={detail ? `${detail.name}@${detail.version}` : 'new'}
          existing={detail ? { name: detail.name, version: detail.version } : null}
          initial={detail?.definition ? flatDefinition(detail.definition) : newDefinition()}
          catalog={res.value.catalog}
          readOnlyReason={readOnlyReason(detail)}
        />
      )}
    </PluginPage>
  );
}

/** detectkit's nested form (`metric: {…}`) edited as the flat one, which means the same. */
function flatDefinition(def: Record<string, unknown>): Definition {
  const { config } = unwrapMetric(def);
  return isRecord(config) ? config : def;
}

function readOnlyReason(detail: MetricDetail | null): string | null {
  if (detail?.origin === 'file') {
    return `${detail.name} is provisioned from ${detail.relPath}: edit that file (Copy as YAML gives its current content). The service refuses changes to it from here.`;
  }
  if (!canEditMetrics()) {
    return 'Creating and changing metrics needs the Editor role.';
  }
  if (detail && !detail.definition) {
    return 'The saved definition could not be read.';
  }
  return null;
}

export default MetricEditorPage;
