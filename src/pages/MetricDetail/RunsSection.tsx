import React, { useCallback, useEffect } from 'react';
import { IconButton, LoadingPlaceholder, Stack, Text, useStyles2 } from '@grafana/ui';
import type { RunInfo } from '../../../common/api/runs';
import { isActiveRun, listRuns } from '../../api/service';
import { useAsync } from '../../api/useAsync';
import { formatSeconds, formatTime, NONE } from '../../components/format';
import { RunProgress } from '../../components/RunProgress/RunProgress';
import { ServiceErrorAlert } from '../../components/ServiceErrorAlert/ServiceErrorAlert';
import { RunStatusBadge } from '../../components/StatusBadges/StatusBadges';
import { getTableStyles } from '../../components/Table/tableStyles';
import { testIds } from '../../components/testIds';

/** While a run of the metric is queued or running, the list is read again this often. */
export const RUNS_POLL_MS = 2000;

interface Props {
  name: string;
  /** The run started from this page: the list is read again when it starts and ends. */
  tracked: RunInfo | null;
}

/** Recent runs of the metric (scheduled ones included) with their progress. */
export function RunsSection({ name, tracked }: Props) {
  const s = useStyles2(getTableStyles);
  const load = useCallback(() => listRuns({ metric: name, limit: 20 }), [name]);
  const runs = useAsync(load);
  const { reload } = runs;

  const trackedId = tracked?.id;
  const trackedActive = tracked ? isActiveRun(tracked) : false;
  useEffect(() => {
    if (trackedId) {
      reload();
    }
  }, [trackedId, trackedActive, reload]);

  const anyActive = runs.value?.runs.some(isActiveRun) ?? false;
  useEffect(() => {
    if (!anyActive || runs.status === 'loading') {
      return undefined;
    }
    const timer = setTimeout(reload, RUNS_POLL_MS);
    return () => clearTimeout(timer);
  }, [anyActive, runs.status, reload]);

  return (
    <Stack direction="column" gap={1}>
      {runs.status === 'error' && <ServiceErrorAlert error={runs.error} title="Could not read the runs" />}
      {runs.status === 'loading' && !runs.value && <LoadingPlaceholder text="Reading runs…" />}
      {runs.value && runs.value.runs.length === 0 && (
        <Text color="secondary">No runs in the service&apos;s memory (it keeps the recent ones since its start).</Text>
      )}
      {runs.value && runs.value.runs.length > 0 && (
        <div className={s.wrapper}>
          <table className={s.table} data-testid={testIds.detail.runsTable}>
            <thead>
              <tr>
                <th>Queued</th>
                <th>Kind</th>
                <th>Status</th>
                <th>Progress</th>
                <th>Duration</th>
                <th className={s.numeric}>Points</th>
                <th className={s.numeric}>Anomalies</th>
                <th className={s.numeric}>Alerts</th>
                <th>Error</th>
              </tr>
            </thead>
            <tbody>
              {runs.value.runs.map((r) => (
                <tr key={r.id}>
                  <td>{formatTime(r.queuedAt)}</td>
                  <td>{r.kind}</td>
                  <td>
                    <RunStatusBadge status={r.status} error={r.error} />
                  </td>
                  <td>{isActiveRun(r) ? <RunProgress run={r} /> : NONE}</td>
                  <td>
                    {r.startedAt !== null && r.finishedAt !== null
                      ? formatSeconds((r.finishedAt - r.startedAt) / 1000)
                      : NONE}
                  </td>
                  <td className={s.numeric}>{r.datapointsLoaded.toLocaleString()}</td>
                  <td className={s.numeric}>{r.anomaliesDetected.toLocaleString()}</td>
                  <td className={s.numeric}>{r.alertsSent}</td>
                  <td className={s.wrap}>{r.error ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Stack direction="row" justifyContent="flex-end">
        <IconButton name="sync" tooltip="Read the runs again" onClick={reload} />
      </Stack>
    </Stack>
  );
}
