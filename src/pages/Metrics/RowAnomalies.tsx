import React, { useEffect, useRef, useState } from 'react';
import { Icon, Stack, Text, Tooltip } from '@grafana/ui';
import type { SeriesResponse } from '../../../common/api/series';
import { createLimiter } from '../../api/limit';
import { getSeries } from '../../api/service';
import { toServiceError } from '../../api/errors';
import { MiniSparkline } from '../../components/Sparkline/MiniSparkline';
import { NONE } from '../../components/format';
import { testIds } from '../../components/testIds';

const DAY_MS = 24 * 3600 * 1000;
/** At most this many sparkline reads in flight, however long the list. */
const limit = createLimiter(4);

type State = { kind: 'idle' } | { kind: 'ok'; series: SeriesResponse } | { kind: 'error'; message: string };

/** Per point: anomalous for at least one detector. */
export function anomalyFlags(s: SeriesResponse): boolean[] {
  return s.timestamps.map((_, i) => s.detectors.some((d) => d.anomaly[i] === true));
}

/**
 * The last 24 hours of one metric: anomaly count and a sparkline. Read only once the row scrolls into view, so a
 * list of thousands of metrics costs a handful of reads.
 */
export function RowAnomalies({ name }: { name: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const visible = useVisible(ref);
  const [state, setState] = useState<State>({ kind: 'idle' });

  useEffect(() => {
    if (!visible) {
      return undefined;
    }
    let current = true;
    const to = Date.now();
    limit(() => getSeries(name, { from: to - DAY_MS, to })).then(
      (series) => current && setState({ kind: 'ok', series }),
      (e: unknown) => current && setState({ kind: 'error', message: toServiceError(e).message })
    );
    return () => {
      current = false;
    };
  }, [visible, name]);

  return (
    <div ref={ref} data-testid={testIds.metrics.sparkline}>
      {state.kind === 'idle' && <Text color="secondary">…</Text>}
      {state.kind === 'error' && (
        <Tooltip content={state.message}>
          <Icon name="exclamation-triangle" aria-label={`Could not read the last 24 h: ${state.message}`} />
        </Tooltip>
      )}
      {state.kind === 'ok' && <Anomalies series={state.series} />}
    </div>
  );
}

function Anomalies({ series }: { series: SeriesResponse }) {
  if (series.timestamps.length === 0) {
    // A fan-out definition stores its points under each series' own name: the detail page lists them.
    return (
      <Tooltip content="No points stored under this name in the last 24 h (a fan-out metric stores them per series)">
        <span>{NONE}</span>
      </Tooltip>
    );
  }
  const flags = anomalyFlags(series);
  const count = flags.filter(Boolean).length;
  return (
    <Stack direction="row" gap={1} alignItems="center">
      <Text color={count > 0 ? 'error' : 'secondary'} aria-label="anomalies in the last 24 h">
        {count}
      </Text>
      <MiniSparkline
        values={series.values}
        anomalies={flags}
        title={`Last 24 h: ${series.timestamps.length} points, ${count} anomalous`}
      />
    </Stack>
  );
}

/** True once the element has been on screen (never false again: the read is done once). */
function useVisible(ref: React.RefObject<HTMLElement>): boolean {
  // Without IntersectionObserver (old browsers, jsdom) every row counts as visible.
  const [visible, setVisible] = useState(() => typeof IntersectionObserver === 'undefined');
  useEffect(() => {
    const el = ref.current;
    if (!el || visible) {
      return undefined;
    }
    const io = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) {
        setVisible(true);
      }
    });
    io.observe(el);
    return () => io.disconnect();
  }, [ref, visible]);
  return visible;
}
