import React from 'react';
import { Badge, Icon, Stack, Text, TextLink, Tooltip, useStyles2 } from '@grafana/ui';
import type { MetricSummary } from '../../../common/api/metrics';
import { urls } from '../../constants';
import { formatAgo, formatSeconds, formatTime, NONE } from '../../components/format';
import { AlertStateBadge, OriginBadge, RunStatusBadge } from '../../components/StatusBadges/StatusBadges';
import { getTableStyles } from '../../components/Table/tableStyles';
import { testIds } from '../../components/testIds';
import { RowAnomalies } from './RowAnomalies';

interface Props {
  metrics: MetricSummary[];
  onTagClick: (tag: string) => void;
  /** Changes on every refresh: the anomaly cells read again. */
  round: number;
}

export function MetricsTable({ metrics, onTagClick, round }: Props) {
  const s = useStyles2(getTableStyles);
  return (
    <div className={s.wrapper}>
      <table className={s.table} data-testid={testIds.metrics.table}>
        <thead>
          <tr>
            <th>Name</th>
            <th>Source</th>
            <th>Interval</th>
            <th>Detectors</th>
            <th>Last point</th>
            <th>Status</th>
            <th>Anomalies (24 h)</th>
            <th>Alert</th>
            <th>Tags</th>
          </tr>
        </thead>
        <tbody>
          {metrics.map((m) => (
            <tr key={m.name} data-testid={testIds.metrics.row}>
              <td>
                <Stack direction="row" gap={1} alignItems="center">
                  <TextLink href={urls.metric(m.name)} inline={false} weight="medium">
                    {m.name}
                  </TextLink>
                  <OriginBadge origin={m.origin} relPath={m.relPath} />
                  {m.description && (
                    <Tooltip content={m.description}>
                      <Icon name="info-circle" aria-label={m.description} />
                    </Tooltip>
                  )}
                </Stack>
              </td>
              <td>{m.sourceType ?? NONE}</td>
              <td>{formatSeconds(m.intervalSeconds)}</td>
              <td>
                <Tooltip content={m.detectors.map((d) => d.name).join('\n') || 'No detectors'}>
                  <span>{m.detectors.map((d) => d.type).join(', ') || NONE}</span>
                </Tooltip>
              </td>
              <td>
                <Tooltip content={formatTime(m.lastPoint)}>
                  <span>{formatAgo(m.lastPoint)}</span>
                </Tooltip>
              </td>
              <td>
                <MetricStatus metric={m} />
              </td>
              <td>{m.valid ? <RowAnomalies key={round} name={m.name} /> : NONE}</td>
              <td>
                {m.alerting.enabled ? <AlertStateBadge state={m.alertState} /> : <Text color="secondary">off</Text>}
              </td>
              <td>
                <Stack direction="row" gap={0.5} wrap="wrap">
                  {m.tags.map((t) => (
                    <Badge
                      key={t}
                      color="darkgrey"
                      text={t}
                      role="button"
                      tabIndex={0}
                      aria-label={`Filter by tag ${t}`}
                      onClick={() => onTagClick(t)}
                      onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && onTagClick(t)}
                    />
                  ))}
                </Stack>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Why a metric is (not) running: invalid and disabled first, then the last run and how far behind it is. */
function MetricStatus({ metric: m }: { metric: MetricSummary }) {
  if (!m.valid) {
    return <Badge color="red" icon="exclamation-triangle" text="invalid" tooltip={m.error} />;
  }
  if (!m.enabled) {
    return <Badge color="darkgrey" text="disabled" tooltip="enabled: false in the definition" />;
  }
  const run = m.status?.lastRun;
  if (!m.status || !run) {
    return <Text color="secondary">{m.status ? 'not run yet' : 'not scheduled here'}</Text>;
  }
  return (
    <Stack direction="row" gap={1} alignItems="center">
      <RunStatusBadge status={run.status} error={run.error} />
      {m.status.lagSeconds !== null && (
        <Tooltip content="How far the metric is behind its schedule (the last scheduled run finished this long after its interval boundary)">
          <Text color="secondary" variant="bodySmall">
            lag {formatSeconds(m.status.lagSeconds)}
          </Text>
        </Tooltip>
      )}
    </Stack>
  );
}
