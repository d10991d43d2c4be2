import React, { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { PluginPage } from '@grafana/runtime';
import { Button, EmptyState, FilterInput, FilterPill, LinkButton, LoadingPlaceholder, Stack, Text } from '@grafana/ui';
import { listMetrics } from '../../api/service';
import { canEditMetrics } from '../../api/permissions';
import { useAsync } from '../../api/useAsync';
import { urls } from '../../constants';
import { ServiceErrorAlert } from '../../components/ServiceErrorAlert/ServiceErrorAlert';
import { testIds } from '../../components/testIds';
import { allTags, filterMetrics } from './filterMetrics';
import { MetricsTable } from './MetricsTable';

/** Every metric the service knows (files and UI), with its status, last day of anomalies and alert state. */
function MetricsPage() {
  const list = useAsync(listMetrics);
  // Each refresh also reads the rows' last 24 hours again.
  const [round, setRound] = useState(0);
  const refresh = () => {
    list.reload();
    setRound((r) => r + 1);
  };
  // Filters live in the URL, so a filtered list can be bookmarked and shared.
  const [params, setParams] = useSearchParams();
  const text = params.get('q') ?? '';
  const tags = useMemo(() => params.getAll('tag'), [params]);
  const metrics = useMemo(() => list.value?.metrics ?? [], [list.value]);
  const shown = useMemo(() => filterMetrics(metrics, { text, tags }), [metrics, text, tags]);
  const available = useMemo(() => allTags(metrics), [metrics]);

  const update = (q: string, t: string[]) => {
    const next = new URLSearchParams();
    if (q) {
      next.set('q', q);
    }
    t.forEach((tag) => next.append('tag', tag));
    setParams(next, { replace: true });
  };
  const toggleTag = (tag: string) => update(text, tags.includes(tag) ? tags.filter((t) => t !== tag) : [...tags, tag]);

  const actions = (
    <Stack direction="row" gap={1}>
      <Button variant="secondary" icon="sync" onClick={refresh} disabled={list.status === 'loading'}>
        Refresh
      </Button>
      {canEditMetrics() && (
        <LinkButton href={urls.newMetric()} icon="plus" data-testid={testIds.metrics.newButton}>
          New metric
        </LinkButton>
      )}
    </Stack>
  );

  return (
    <PluginPage actions={actions}>
      <Stack direction="column" gap={2}>
        {list.status === 'error' && <ServiceErrorAlert error={list.error} title="Could not load the metrics" />}
        {list.status === 'loading' && !list.value && <LoadingPlaceholder text="Loading metrics…" />}
        {list.value && metrics.length === 0 && (
          <EmptyState
            variant="call-to-action"
            message="No metrics yet"
            button={
              canEditMetrics() ? (
                <LinkButton href={urls.newMetric()} icon="plus">
                  New metric
                </LinkButton>
              ) : undefined
            }
          >
            Add metric files under the project&apos;s <code>metrics/</code> folder, or create a metric here.
          </EmptyState>
        )}
        {metrics.length > 0 && (
          <>
            <Stack direction="row" gap={1} alignItems="center" wrap="wrap">
              <FilterInput
                placeholder="Search name, description, tag, detector"
                value={text}
                onChange={(q) => update(q, tags)}
                width={48}
                data-testid={testIds.metrics.search}
              />
              {available.map((t) => (
                <FilterPill key={t} label={t} selected={tags.includes(t)} onClick={() => toggleTag(t)} />
              ))}
            </Stack>
            {shown.length === 0 ? (
              <Text color="secondary">No metric matches the filter.</Text>
            ) : (
              <MetricsTable metrics={shown} onTagClick={toggleTag} round={round} />
            )}
            <Text variant="bodySmall" color="secondary">
              {shown.length === metrics.length
                ? `${metrics.length} metrics`
                : `${shown.length} of ${metrics.length} metrics`}
            </Text>
          </>
        )}
      </Stack>
    </PluginPage>
  );
}

export default MetricsPage;
