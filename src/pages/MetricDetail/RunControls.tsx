import React, { useState } from 'react';
import { Alert, Button, Stack, Text } from '@grafana/ui';
import { isActiveRun } from '../../api/service';
import { RunProgress } from '../../components/RunProgress/RunProgress';
import { ServiceErrorAlert } from '../../components/ServiceErrorAlert/ServiceErrorAlert';
import { RunModal, type RunMode } from './RunModal';
import type { RunTracker } from './useRunTracker';

/** Run now, Backfill and Full refresh (each confirmed first), and the progress of the run they started. */
export function RunButtons({ name, tracker }: { name: string; tracker: RunTracker }) {
  const [modal, setModal] = useState<RunMode | null>(null);
  const busy = tracker.starting || (tracker.run !== null && isActiveRun(tracker.run));
  return (
    <>
      <Stack direction="row" gap={1}>
        <Button icon="play" onClick={() => setModal('run')} disabled={busy}>
          Run now
        </Button>
        <Button icon="history" variant="secondary" onClick={() => setModal('backfill')} disabled={busy}>
          Backfill
        </Button>
        <Button icon="sync" variant="destructive" fill="outline" onClick={() => setModal('refresh')} disabled={busy}>
          Full refresh
        </Button>
      </Stack>
      {modal && (
        <RunModal
          mode={modal}
          metric={name}
          onDismiss={() => setModal(null)}
          onConfirm={(body) => {
            setModal(null);
            tracker.start(body);
          }}
        />
      )}
    </>
  );
}

/** What became of the run started from this page: a progress bar while it runs, then its outcome. */
export function TrackedRun({ tracker }: { tracker: RunTracker }) {
  const { run, error } = tracker;
  if (error !== null && error !== undefined) {
    return <ServiceErrorAlert error={error} title="Could not start or follow the run" />;
  }
  if (!run) {
    return null;
  }
  const active = isActiveRun(run);
  return (
    <Alert
      severity={run.status === 'failed' ? 'error' : run.status === 'success' ? 'success' : 'info'}
      title={`${run.kind === 'backfill' ? 'Backfill' : 'Run'} ${run.status}`}
      onRemove={active ? undefined : tracker.dismiss}
    >
      {active ? (
        <RunProgress run={run} />
      ) : (
        <Text>
          {run.error ??
            `${run.datapointsLoaded.toLocaleString()} points loaded, ${run.anomaliesDetected.toLocaleString()} anomalies, ${run.alertsSent} alerts sent.`}
        </Text>
      )}
    </Alert>
  );
}
