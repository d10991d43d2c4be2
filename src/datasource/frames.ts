import { FieldType, createDataFrame, type DataFrame, type FieldConfig } from '@grafana/data';
import type { AlertEvent } from '../../common/api/alerts';
import type { Detection } from '../../common/api/detections';
import type { SeriesResponse } from '../../common/api/series';
import { formatValue } from '../charts/tooltipContent';
import { SERIES_FIELDS, type SeriesField } from './types';

/** Band colours by detector position (Grafana colour names; the value line keeps the panel's palette). */
const BAND_COLORS = ['blue', 'purple', 'orange', 'yellow', 'light-blue', 'light-purple'];

export interface SeriesFrameOptions {
  /** Detector ids to include; all when empty or absent. */
  detectors?: string[];
  /** @default all */
  fields?: SeriesField[];
}

/**
 * One frame per metric: time, value, then per detector its lower and upper bound and its anomalies. Every field's
 * name equals its display name and is unique in the frame, so the upper field's `custom.fillBelowTo` (naming the
 * lower field) makes Grafana's own time series panel shade the band with no override. Anomalies are the value
 * where the detector flagged the point and null elsewhere, drawn as red points on the line. Detector fields carry
 * `detector` and `detector_id` labels, which the band panel reads.
 */
export function seriesToFrame(refId: string, s: SeriesResponse, opts: SeriesFrameOptions = {}): DataFrame {
  const want = new Set(opts.fields?.length ? opts.fields : SERIES_FIELDS);
  const shown = opts.detectors?.length ? new Set(opts.detectors) : null;
  const fields: Array<{
    name: string;
    type: FieldType;
    values: unknown[];
    config?: FieldConfig;
    labels?: Record<string, string>;
  }> = [{ name: 'time', type: FieldType.time, values: s.timestamps }];
  if (want.has('value')) {
    fields.push({ name: s.metric, type: FieldType.number, values: s.values, config: { displayNameFromDS: s.metric } });
  }
  s.detectors
    .filter((d) => !shown || shown.has(d.detectorId))
    .forEach((d, i) => {
      const labels = { detector: d.detectorName, detector_id: d.detectorId };
      const color = { mode: 'fixed', fixedColor: BAND_COLORS[i % BAND_COLORS.length] } as FieldConfig['color'];
      const lowerName = `${s.metric} ${d.detectorName} lower`;
      const upperName = `${s.metric} ${d.detectorName} upper`;
      const anomalyName = `${s.metric} ${d.detectorName} anomaly`;
      if (want.has('bands')) {
        fields.push(
          {
            name: lowerName,
            type: FieldType.number,
            values: d.lower,
            labels,
            config: {
              displayNameFromDS: lowerName,
              color,
              custom: { lineWidth: 0, fillOpacity: 0, hideFrom: { legend: true, tooltip: false, viz: false } },
            },
          },
          {
            name: upperName,
            type: FieldType.number,
            values: d.upper,
            labels,
            config: {
              displayNameFromDS: upperName,
              color,
              custom: {
                lineWidth: 0,
                fillOpacity: 20,
                fillBelowTo: lowerName,
                hideFrom: { legend: true, tooltip: false, viz: false },
              },
            },
          }
        );
      }
      if (want.has('anomalies')) {
        fields.push({
          name: anomalyName,
          type: FieldType.number,
          values: d.anomaly.map((a, k) => (a ? (s.values[k] ?? null) : null)),
          labels,
          config: {
            displayNameFromDS: anomalyName,
            color: { mode: 'fixed', fixedColor: 'red' } as FieldConfig['color'],
            custom: { drawStyle: 'points', pointSize: 8, showPoints: 'always', lineWidth: 0 },
          },
        });
      }
    });
  return createDataFrame({ refId, name: s.metric, fields });
}

/** Annotation-friendly event frame: Grafana maps `time`, `timeEnd`, `title`, `text` and `tags` by name. */
function eventFrame(
  refId: string,
  name: string,
  rows: Array<{ time: number; timeEnd: number; title: string; text: string; tags: string[] }>
): DataFrame {
  return createDataFrame({
    refId,
    name,
    fields: [
      { name: 'time', type: FieldType.time, values: rows.map((r) => r.time) },
      { name: 'timeEnd', type: FieldType.time, values: rows.map((r) => r.timeEnd) },
      { name: 'title', type: FieldType.string, values: rows.map((r) => r.title) },
      { name: 'text', type: FieldType.string, values: rows.map((r) => r.text) },
      // Arrays, not comma-joined text: detector names contain commas.
      { name: 'tags', type: FieldType.other, values: rows.map((r) => r.tags) },
    ],
  });
}

/**
 * Anomalous detections as events: per detector, consecutive anomalous points (at most one interval apart) make
 * one episode, shown as a region; with the interval unknown each point is its own event.
 */
export function anomaliesToFrame(
  refId: string,
  metric: string,
  detections: Detection[],
  intervalMs: number | null,
  detectors?: string[]
): DataFrame {
  const shown = detectors?.length ? new Set(detectors) : null;
  const byDetector = new Map<string, Detection[]>();
  for (const d of detections) {
    if (d.isAnomaly && (!shown || shown.has(d.detectorId))) {
      byDetector.set(d.detectorId, [...(byDetector.get(d.detectorId) ?? []), d]);
    }
  }
  const rows: Parameters<typeof eventFrame>[2] = [];
  for (const list of byDetector.values()) {
    list.sort((a, b) => a.timestamp - b.timestamp);
    let episode: Detection[] = [];
    const flush = () => {
      if (episode.length > 0) {
        rows.push(episodeRow(metric, episode));
      }
      episode = [];
    };
    for (const d of list) {
      const last = episode[episode.length - 1];
      if (last && (intervalMs === null || d.timestamp - last.timestamp > intervalMs)) {
        flush();
      }
      episode.push(d);
    }
    flush();
  }
  rows.sort((a, b) => a.time - b.time);
  return eventFrame(refId, `${metric} anomalies`, rows);
}

function episodeRow(metric: string, ds: Detection[]) {
  const first = ds[0]!;
  const worst = ds.reduce((w, d) => ((d.score ?? 0) > (w.score ?? 0) ? d : w));
  const score = worst.score;
  const points = ds.length === 1 ? '1 anomalous point' : `${ds.length} anomalous points`;
  return {
    time: first.timestamp,
    timeEnd: ds[ds.length - 1]!.timestamp,
    title: `${metric}: anomaly`,
    text:
      `${first.detectorName}: ${points}; ` +
      `value ${formatValue(worst.value)} outside ${formatValue(worst.lower)} – ${formatValue(worst.upper)}` +
      (score === null ? '' : ` (score ${score.toFixed(2)})`),
    tags: ['dtk', 'anomaly', metric, first.detectorName.split(':')[0]!],
  };
}

/** Alert state changes (firing, resolved, no data) in [from, to] as events; test alerts are left out. */
export function alertsToFrame(refId: string, alerts: AlertEvent[], from: number, to: number): DataFrame {
  const rows = alerts
    .filter((a) => a.type !== 'test' && a.timestamp >= from && a.timestamp <= to)
    .sort((a, b) => a.timestamp - b.timestamp)
    .map((a) => ({
      time: a.timestamp,
      timeEnd: a.timestamp,
      title: `${a.metric}: ${a.type.replace('_', ' ')}`,
      text: a.message,
      tags: ['dtk', 'alert', a.type, a.metric],
    }));
  return eventFrame(refId, 'dtk alerts', rows);
}
