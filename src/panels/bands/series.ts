import { FieldType, type DataFrame } from '@grafana/data';
import type uPlot from 'uplot';

/** Columns uPlot draws: x in seconds, then one array per numeric field. */
export interface PlotData {
  data: uPlot.AlignedData;
  names: string[];
}

/** Converts the first frame with a time field into uPlot's aligned columns (ms → s, null for gaps). */
export function frameToPlotData(frames: DataFrame[]): PlotData | null {
  for (const frame of frames) {
    const time = frame.fields.find((f) => f.type === FieldType.time);
    const numeric = frame.fields.filter((f) => f.type === FieldType.number);
    if (!time || numeric.length === 0 || frame.length === 0) {
      continue;
    }
    const xs = Array.from(time.values as ArrayLike<number>, (t) => t / 1000);
    const ys = numeric.map((f) =>
      Array.from(f.values as ArrayLike<number | null>, (v) => (v === null || Number.isNaN(v) ? null : v))
    );
    return { data: [xs, ...ys] as uPlot.AlignedData, names: numeric.map((f) => f.config.displayNameFromDS ?? f.name) };
  }
  return null;
}
