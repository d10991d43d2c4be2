import React, { useCallback, useMemo, useState } from 'react';
import { useParams, useSearchParams } from 'react-router-dom';
import type { TimeRange } from '@grafana/data';
import { PluginPage } from '@grafana/runtime';
import { Alert, LinkButton, LoadingPlaceholder, Stack, Tab, TabContent, TabsBar, TimeRangeInput } from '@grafana/ui';
import { canEditMetrics } from '../../api/permissions';
import { useAsync } from '../../api/useAsync';
import { urls } from '../../constants';
import { CopyYamlButton } from '../../components/CopyYamlButton/CopyYamlButton';
import { formatSeconds, formatTime, NONE } from '../../components/format';
import { ServiceErrorAlert } from '../../components/ServiceErrorAlert/ServiceErrorAlert';
import { AlertStateBadge, OriginBadge } from '../../components/StatusBadges/StatusBadges';
import { absoluteRange, paramsWithRange, rangeFromUrl, rangeMs } from '../../components/timeRange';
import type { TimeRangeMs } from '../../api/service';
import { AlertHistorySection } from './AlertHistorySection';
import { ChartSection } from './ChartSection';
import { DefinitionSection } from './DefinitionSection';
import { DetectionsSection } from './DetectionsSection';
import { loadMetric, type LoadedMetric } from './loadMetric';
import { RunButtons, TrackedRun } from './RunControls';
import { RunsSection } from './RunsSection';
import { useRunTracker } from './useRunTracker';

const TABS = [
  { id: 'detections', label: 'Detections' },
  { id: 'alerts', label: 'Alerts' },
  { id: 'runs', label: 'Runs' },
  { id: 'definition', label: 'Definition' },
] as const;
type TabId = (typeof TABS)[number]['id'];

/** One metric: its band chart over any range, detections, alert history, runs, and the definition. */
function MetricDetailPage() {
  const name = useParams().name ?? '';
  const load = useCallback(() => loadMetric(name), [name]);
  const metric = useAsync(load);

  return (
    <PluginPage
      pageNav={{ text: name }}
      actions={metric.value ? <Actions loaded={metric.value} name={name} /> : undefined}
      info={metric.value ? info(metric.value) : undefined}
      subTitle={metric.value?.detail.description ?? undefined}
    >
      {metric.status === 'error' && <ServiceErrorAlert error={metric.error} title={`Could not load ${name}`} />}
      {metric.status === 'loading' && !metric.value && <LoadingPlaceholder text="Loading the metric…" />}
      {metric.value && <Body name={name} loaded={metric.value} reloadMetric={metric.reload} />}
    </PluginPage>
  );
}

function Body({ name, loaded, reloadMetric }: { name: string; loaded: LoadedMetric; reloadMetric: () => void }) {
  const { detail, seriesName } = loaded;
  const [params, setParams] = useSearchParams();
  const fromRaw = params.get('from');
  const toRaw = params.get('to');
  const tab: TabId = TABS.find((t) => t.id === params.get('tab'))?.id ?? 'detections';
  // Keyed on the raw bounds: other parameters (the tab) must not re-read the data.
  const timeRange = useMemo(() => rangeFromUrl(fromRaw, toRaw), [fromRaw, toRaw]);
  // The range in epoch ms, evaluated when the picker changes and again on refresh: a new object makes the sections
  // read again, and relative ranges (`now-24h`) move forward. Adjusted during render, so no stale read happens first.
  const [snapshot, setSnapshot] = useState<{ timeRange: TimeRange; range: TimeRangeMs }>(() => ({
    timeRange,
    range: rangeMs(timeRange),
  }));
  if (snapshot.timeRange !== timeRange) {
    setSnapshot({ timeRange, range: rangeMs(timeRange) });
  }
  const range = snapshot.range;
  const refresh = useCallback(() => {
    setSnapshot({ timeRange, range: rangeMs(timeRange) });
    reloadMetric();
  }, [timeRange, reloadMetric]);

  const setTimeRange = (r: TimeRange) => setParams(paramsWithRange(params, r), { replace: true });
  const zoom = (r: TimeRangeMs) => setTimeRange(absoluteRange(r));
  const setTab = (t: TabId) => {
    const next = new URLSearchParams(params);
    next.set('tab', t);
    setParams(next, { replace: true });
  };

  // A fan-out definition stores its points per series; a series page shows just that one.
  const available = seriesName ? [seriesName] : detail.series.length > 0 ? detail.series : [detail.name];
  const canRun = canEditMetrics() && detail.valid;
  const tracker = useRunTracker(name, refresh);

  return (
    <Stack direction="column" gap={2}>
      {!detail.valid && (
        <Alert severity="error" title="The definition is invalid: the metric does not run">
          {detail.error ?? 'See the Definition tab.'}
        </Alert>
      )}
      <Stack direction="row" justifyContent={canRun ? 'space-between' : 'flex-end'} wrap="wrap">
        {canRun && <RunButtons name={name} tracker={tracker} />}
        <TimeRangeInput value={timeRange} onChange={setTimeRange} />
      </Stack>
      <TrackedRun tracker={tracker} />
      <ChartSection key={available.join('\u0000')} available={available} range={range} onZoom={zoom} />
      <TabsBar>
        {TABS.map((t) => (
          <Tab key={t.id} label={t.label} active={tab === t.id} onChangeTab={() => setTab(t.id)} />
        ))}
      </TabsBar>
      <TabContent>
        {tab === 'detections' && <DetectionsSection name={name} range={range} />}
        {tab === 'alerts' && <AlertHistorySection name={name} alertingEnabled={detail.alerting.enabled} />}
        {tab === 'runs' && <RunsSection name={name} tracked={tracker.run} />}
        {tab === 'definition' && <DefinitionSection detail={detail} />}
      </TabContent>
    </Stack>
  );
}

function Actions({ loaded, name }: { loaded: LoadedMetric; name: string }) {
  const { detail } = loaded;
  return (
    <Stack direction="row" gap={1}>
      <LinkButton variant="secondary" icon="bell" href={urls.alerts(name)}>
        Alert history
      </LinkButton>
      {detail.definition && <CopyYamlButton definition={detail.definition} />}
      {/* Provisioned metrics are edited in their file; the service refuses writes to them (409). */}
      {detail.origin === 'ui' && canEditMetrics() && (
        <LinkButton icon="pen" href={urls.editMetric(detail.name)}>
          Edit
        </LinkButton>
      )}
    </Stack>
  );
}

function info({ detail, seriesName }: LoadedMetric) {
  return [
    { label: 'Origin', value: <OriginBadge origin={detail.origin} relPath={detail.relPath} /> },
    ...(seriesName ? [{ label: 'Series of', value: detail.name }] : []),
    { label: 'Source', value: detail.sourceType ?? NONE },
    { label: 'Interval', value: formatSeconds(detail.intervalSeconds) },
    { label: 'Last point', value: formatTime(detail.lastPoint) },
    {
      label: 'Alert',
      value: detail.alerting.enabled ? <AlertStateBadge state={detail.alertState} /> : 'off',
    },
  ];
}

export default MetricDetailPage;
