import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { RunInfo } from '../../../common/api/runs';
import { getRun, isActiveRun, startRun } from '../../api/service';

/** How often a started run is asked for its progress. */
export const RUN_POLL_MS = 1000;

export interface RunTracker {
  run: RunInfo | null;
  starting: boolean;
  error: unknown;
  start: (body: { from?: number; to?: number; fullRefresh?: boolean }) => void;
  dismiss: () => void;
}

/**
 * Starts a run (POST /api/metrics/:name/runs) and follows it (GET /api/runs/:id) until it ends, then calls
 * `onFinished` once so the page reads the new data.
 */
export function useRunTracker(name: string, onFinished: () => void): RunTracker {
  const [run, setRun] = useState<RunInfo | null>(null);
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<unknown>(null);
  // The latest callback, without restarting the polling when the page passes a new one.
  const finished = useRef(onFinished);
  useLayoutEffect(() => {
    finished.current = onFinished;
  }, [onFinished]);

  const runId = run?.id;
  const active = run ? isActiveRun(run) : false;

  useEffect(() => {
    if (!runId || !active) {
      return undefined;
    }
    let current = true;
    const timer = setTimeout(() => {
      getRun(runId).then(
        (r) => {
          if (!current) {
            return;
          }
          setRun(r);
          if (!isActiveRun(r)) {
            finished.current();
          }
        },
        (e: unknown) => current && setError(e)
      );
    }, RUN_POLL_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
    // `run` changes with every answer: each answer schedules the next poll.
  }, [runId, active, run]);

  const start = useCallback(
    (body: { from?: number; to?: number; fullRefresh?: boolean }) => {
      setStarting(true);
      setError(null);
      startRun(name, body).then(
        (r) => {
          setStarting(false);
          setRun(r);
          if (!isActiveRun(r)) {
            finished.current();
          }
        },
        (e: unknown) => {
          setStarting(false);
          setError(e);
        }
      );
    },
    [name]
  );

  const dismiss = useCallback(() => {
    setRun(null);
    setError(null);
  }, []);

  return { run, starting, error, start, dismiss };
}
