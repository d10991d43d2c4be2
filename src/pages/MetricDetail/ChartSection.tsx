import React, { useCallback, useState } from 'react';
import { Alert, LoadingPlaceholder, MultiCombobox, Stack, Text } from '@grafana/ui';
import { getSeries, type TimeRangeMs } from '../../api/service';
import { useAsync } from '../../api/useAsync';
import { BandChart } from '../../charts/BandChart';
import { ServiceErrorAlert } from '../../components/ServiceErrorAlert/ServiceErrorAlert';
import { testIds } from '../../components/testIds';
import { useElementWidth } from '../../components/useElementWidth';

interface Props {
  /** Series that can be shown: the metric itself, or the series of a fan-out definition. */
  available: string[];
  /** A new object (even with the same bounds) reads again: the page refreshes after a run. */
  range: TimeRangeMs;
  /** A drag across the plot: the page narrows its time range to it. */
  onZoom: (range: TimeRangeMs) => void;
}

const CHART_HEIGHT = 340;
/** Series of a fan-out metric drawn at first: more lines than this are hard to read. */
const DEFAULT_FANOUT_SERIES = 3;

/** Values with each detector's band and the anomalies, over the page's time range. */
export function ChartSection({ available, range, onZoom }: Props) {
  const { ref, width } = useElementWidth<HTMLDivElement>();
  const [selected, setSelected] = useState<string[]>(() => available.slice(0, DEFAULT_FANOUT_SERIES));
  const names = available.length === 1 ? available : selected;

  // The names as one string: a new array with the same names must not read again.
  const namesKey = names.join('\u0000');
  const load = useCallback(
    () =>
      Promise.all(
        namesKey
          .split('\u0000')
          .filter(Boolean)
          .map((n) => getSeries(n, range))
      ),
    [namesKey, range]
  );
  const series = useAsync(load);
  const empty = series.value !== undefined && series.value.every((s) => s.timestamps.length === 0);

  return (
    <Stack direction="column" gap={1}>
      {available.length > 1 && (
        <div style={{ maxWidth: 640 }}>
          <MultiCombobox
            aria-label="Series"
            placeholder="Series to show"
            options={available.map((n) => ({ value: n, label: n }))}
            value={selected}
            onChange={(opts) => setSelected(opts.map((o) => o.value))}
          />
        </div>
      )}
      <div ref={ref} data-testid={testIds.detail.chart} style={{ minHeight: CHART_HEIGHT }}>
        {series.status === 'error' && <ServiceErrorAlert error={series.error} title="Could not read the series" />}
        {series.status === 'loading' && !series.value && <LoadingPlaceholder text="Reading the series…" />}
        {names.length === 0 && <Text color="secondary">Choose a series to show.</Text>}
        {names.length > 0 && empty && (
          <Alert severity="info" title="No stored points in this range">
            Choose a longer time range, or load data with Run now or Backfill (Runs tab). A new metric has points only
            after its first run.
          </Alert>
        )}
        {series.value && !empty && names.length > 0 && (
          <BandChart data={series.value} width={width} height={CHART_HEIGHT} timeRange={range} onZoom={onZoom} />
        )}
      </div>
    </Stack>
  );
}
