import React, { useCallback, useMemo } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2, PanelProps } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import { BandChart } from '../../../charts/BandChart';
import { testIds } from '../../../components/testIds';
import { framesToSeries } from '../series';
import { DEFAULT_OPTIONS, type BandsPanelOptions } from '../types';

type Props = PanelProps<BandsPanelOptions>;

/**
 * Values, confidence bands and anomaly markers of the query's frames (this plugin's data source, or any frames with
 * time/value/lower/upper fields), drawn by the shared BandChart. A drag across the plot changes the dashboard's time
 * range, as Grafana's own time series panel does.
 */
export function BandsPanel({ data, width, height, options, timeZone, timeRange, onChangeTimeRange }: Props) {
  const styles = useStyles2(getStyles);
  const series = useMemo(() => framesToSeries(data.series), [data.series]);
  const detectors = options.detectors?.length ? options.detectors : undefined;
  const from = timeRange.from.valueOf();
  const to = timeRange.to.valueOf();
  const range = useMemo(() => ({ from, to }), [from, to]);
  const onZoom = useCallback((r: { from: number; to: number }) => onChangeTimeRange(r), [onChangeTimeRange]);

  if (series.length === 0) {
    return (
      <div className={styles.empty} style={{ width, height }} data-testid={testIds.bandsPanel.empty}>
        <div>No time series in the query result</div>
        <div className={styles.hint}>
          The panel draws frames with a time field and numeric fields; bands come from lower/upper pairs, e.g. the
          detectkit data source&apos;s series query.
        </div>
      </div>
    );
  }
  return (
    <div data-testid={testIds.bandsPanel.container}>
      <BandChart
        data={series}
        width={width}
        height={height}
        bandOpacity={(options.bandOpacity ?? DEFAULT_OPTIONS.bandOpacity) / 100}
        markerSize={options.markerSize ?? DEFAULT_OPTIONS.markerSize}
        detectors={detectors}
        timeZone={timeZone}
        timeRange={range}
        onZoom={onZoom}
      />
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  empty: css({
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'center',
    justifyContent: 'center',
    gap: theme.spacing(1),
    padding: theme.spacing(2),
    textAlign: 'center',
    color: theme.colors.text.primary,
  }),
  hint: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize, maxWidth: 420 }),
});
