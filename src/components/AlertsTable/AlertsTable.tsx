import React from 'react';
import { Badge, Stack, Text, TextLink, Tooltip, useStyles2, type BadgeColor } from '@grafana/ui';
import type { AlertEvent } from '../../../common/api/alerts';
import { urls } from '../../constants';
import { formatTime, formatValue, NONE } from '../format';
import { AlertStateBadge } from '../StatusBadges/StatusBadges';
import { getTableStyles } from '../Table/tableStyles';
import { testIds } from '../testIds';

interface Props {
  alerts: AlertEvent[];
  /** Show the metric column (the history of all metrics). */
  showMetric?: boolean;
  testId: string;
}

const DELIVERY_COLORS: Record<string, BadgeColor> = { sent: 'green', pending: 'blue', failed: 'red' };

/** Alert events, newest first: what was decided, on which values, and whether each channel got it. */
export function AlertsTable({ alerts, showMetric = false, testId }: Props) {
  const s = useStyles2(getTableStyles);
  return (
    <div className={s.wrapper}>
      <table className={s.table} data-testid={testId}>
        <thead>
          <tr>
            <th>Point</th>
            {showMetric && <th>Metric</th>}
            <th>Event</th>
            <th className={s.numeric}>Value</th>
            <th>Band</th>
            <th>Direction</th>
            <th className={s.numeric}>Consecutive</th>
            <th>Channels</th>
            <th>Message</th>
          </tr>
        </thead>
        <tbody>
          {alerts.map((a) => (
            <tr key={`${a.metric}/${a.eventId}`} data-testid={testIds.alerts.row}>
              <td>
                <Tooltip content={`Recorded ${formatTime(a.recordedAt)}`}>
                  <span>{formatTime(a.timestamp)}</span>
                </Tooltip>
              </td>
              {showMetric && (
                <td>
                  <TextLink href={urls.metric(a.metric)} inline={false}>
                    {a.metric}
                  </TextLink>
                </td>
              )}
              <td>
                <AlertStateBadge state={a.type} />
              </td>
              <td className={s.numeric}>{formatValue(a.value)}</td>
              <td>
                {a.lower === null && a.upper === null ? NONE : `${formatValue(a.lower)} … ${formatValue(a.upper)}`}
              </td>
              <td>{a.direction ?? NONE}</td>
              <td className={s.numeric}>{a.consecutiveCount}</td>
              <td>
                <Stack direction="row" gap={0.5} wrap="wrap">
                  {Object.entries(a.channels).map(([name, d]) => (
                    <Badge
                      key={name}
                      color={DELIVERY_COLORS[d.status] ?? 'darkgrey'}
                      text={`${name}: ${d.status}`}
                      tooltip={[
                        `${d.type}, ${d.attempts} attempt${d.attempts === 1 ? '' : 's'}`,
                        d.error ? `Last error: ${d.error}` : '',
                        d.nextAttemptAt ? `Next attempt ${formatTime(d.nextAttemptAt)}` : '',
                      ]
                        .filter(Boolean)
                        .join('\n')}
                    />
                  ))}
                  {Object.keys(a.channels).length === 0 && <Text color="secondary">none</Text>}
                </Stack>
              </td>
              <td className={s.wrap}>
                <Text variant="bodySmall">{a.message || NONE}</Text>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
