import { FieldType, createDataFrame, type DataFrame } from '@grafana/data';
import type { SeriesResponse } from '../../common/api/series';

/**
 * One frame per metric: time, value, then per detector its lower and upper bound and anomaly
 * flags. The upper field's config carries `custom.fillBelowTo` naming the lower field, so Grafana's
 * own time series panel shades the band without any panel override.
 */
export function seriesToFrame(refId: string, s: SeriesResponse): DataFrame {
  const nullable = (xs: Array<number | null>) => xs.map((x) => (x === null ? null : x));
  const fields = [
    { name: 'time', type: FieldType.time, values: s.timestamps },
    { name: s.metric, type: FieldType.number, values: nullable(s.values), config: { displayNameFromDS: s.metric } },
  ];
  for (const d of s.detectors) {
    const lowerName = `${s.metric} ${d.detectorName} lower`;
    const upperName = `${s.metric} ${d.detectorName} upper`;
    fields.push(
      {
        name: lowerName,
        type: FieldType.number,
        values: nullable(d.lower),
        config: {
          displayNameFromDS: lowerName,
          custom: { lineWidth: 0, fillOpacity: 0, hideFrom: { legend: true, tooltip: false, viz: false } },
        },
      } as (typeof fields)[number],
      {
        name: upperName,
        type: FieldType.number,
        values: nullable(d.upper),
        config: {
          displayNameFromDS: upperName,
          custom: {
            lineWidth: 0,
            fillOpacity: 20,
            fillBelowTo: lowerName,
            hideFrom: { legend: true, tooltip: false, viz: false },
          },
        },
      } as (typeof fields)[number],
      {
        name: `${s.metric} ${d.detectorName} anomaly`,
        type: FieldType.number,
        // The value where the detector flagged it, null elsewhere: drawn as points on the line.
        values: d.anomaly.map((a, i) => (a ? (s.values[i] ?? null) : null)),
        config: {
          displayNameFromDS: `${s.metric} ${d.detectorName} anomaly`,
          custom: { drawStyle: 'points', pointSize: 8, showPoints: 'always' },
        },
      } as (typeof fields)[number]
    );
  }
  return createDataFrame({ refId, name: s.metric, fields });
}
