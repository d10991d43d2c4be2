import React from 'react';
import { Badge, type BadgeColor } from '@grafana/ui';
import type { MetricOrigin } from '../../../common/api/metrics';
import type { RunStatus } from '../../../common/api/runs';

/** Small coloured labels with one meaning per colour across the app: red needs attention, green is fine. */

export function OriginBadge({ origin, relPath }: { origin: MetricOrigin; relPath?: string }) {
  return origin === 'file' ? (
    <Badge color="purple" icon="file-alt" text="file" tooltip={relPath ? `Provisioned from ${relPath}` : undefined} />
  ) : (
    <Badge color="blue" icon="pen" text="ui" tooltip="Created in Grafana" />
  );
}

const RUN_COLORS: Record<RunStatus, BadgeColor> = {
  queued: 'blue',
  running: 'blue',
  success: 'green',
  failed: 'red',
  skipped: 'orange',
  cancelled: 'darkgrey',
};

export function RunStatusBadge({ status, error }: { status: RunStatus; error?: string }) {
  return <Badge color={RUN_COLORS[status]} text={status} tooltip={error} />;
}

const ALERT_COLORS: Record<string, BadgeColor> = {
  firing: 'red',
  no_data: 'orange',
  ok: 'green',
  resolved: 'green',
  test: 'blue',
};

/** An alert state (`firing`, `ok`, `no_data`) or event type (`firing`, `resolved`, `no_data`, `test`). */
export function AlertStateBadge({ state }: { state: string | null }) {
  if (state === null) {
    return <Badge color="darkgrey" text="none" tooltip="No alert event yet" />;
  }
  return <Badge color={ALERT_COLORS[state] ?? 'darkgrey'} text={state.replace('_', ' ')} />;
}
