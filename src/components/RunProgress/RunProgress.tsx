import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Stack, Text, useStyles2 } from '@grafana/ui';
import type { RunInfo } from '../../../common/api/runs';
import { testIds } from '../testIds';

/** A run's step and batch progress as a bar (indeterminate until the service knows the number of batches). */
export function RunProgress({ run }: { run: RunInfo }) {
  const s = useStyles2(getStyles);
  const { done, total, step } = run.progress;
  const pct = total > 0 ? Math.min(100, Math.round((done / total) * 100)) : null;
  const label =
    run.status === 'queued'
      ? 'queued'
      : `${step ?? 'starting'}${total > 0 ? `: ${done.toLocaleString()} of ${total.toLocaleString()}` : ''}`;
  return (
    <Stack direction="column" gap={0.5}>
      <div
        className={s.track}
        role="progressbar"
        aria-label={`Run ${run.id}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct ?? undefined}
        aria-valuetext={label}
        data-testid={testIds.runs.progress}
      >
        <div
          className={pct === null ? s.indeterminate : s.bar}
          style={pct === null ? undefined : { width: `${pct}%` }}
        />
      </div>
      <Text variant="bodySmall" color="secondary">
        {label}
      </Text>
    </Stack>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  track: css({
    height: theme.spacing(1),
    width: '100%',
    minWidth: 160,
    background: theme.colors.background.secondary,
    borderRadius: theme.shape.radius.default,
    overflow: 'hidden',
  }),
  bar: css({
    height: '100%',
    background: theme.colors.primary.main,
    transition: 'width 0.3s',
  }),
  indeterminate: css({
    height: '100%',
    width: '30%',
    background: theme.colors.primary.main,
    opacity: 0.6,
  }),
});
