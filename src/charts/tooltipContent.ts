import { at, hasIndex, type BandModel } from './bandData';

/**
 * How far outside its band a value lies, in band widths: 0 inside the band, 0.5 when it is half a band width
 * above the upper bound (or below the lower one). Band width is what makes scores of different detectors and
 * metrics comparable: a detector with a wide band has to be missed by more to score the same. A band with one
 * bound only (e.g. manual bounds) or no width measures against the bound's magnitude instead; null when there is
 * no value or no bound to measure against.
 */
export function anomalyScore(value: number | null, lower: number | null, upper: number | null): number | null {
  if (value === null || (lower === null && upper === null)) {
    return null;
  }
  const above = upper !== null && value > upper;
  const below = lower !== null && value < lower;
  if (!above && !below) {
    return 0;
  }
  const bound = above ? upper! : lower!;
  const width = lower !== null && upper !== null ? upper - lower : 0;
  const scale = width > 0 ? width : Math.abs(bound);
  return scale > 0 ? Math.abs(value - bound) / scale : null;
}

export interface TooltipDetectorRow {
  name: string;
  color: string;
  lower: number | null;
  upper: number | null;
  score: number | null;
  anomaly: boolean;
}

export interface TooltipMetricRow {
  name: string;
  color: string;
  value: number | null;
  detectors: TooltipDetectorRow[];
}

export interface TooltipContent {
  /** Epoch ms. */
  time: number;
  metrics: TooltipMetricRow[];
}

/** What the tooltip shows at one x index, leaving out hidden legend items. */
export function tooltipContent(model: BandModel, idx: number, hidden: ReadonlySet<string>): TooltipContent {
  const metrics = model.metrics
    .filter((m) => !hidden.has(m.key))
    .map((m) => {
      const value = at(m.values, idx);
      return {
        name: m.name,
        color: m.color,
        value,
        detectors: m.detectors
          .filter((d) => !hidden.has(d.key))
          .map((d) => {
            const lower = at(d.lower, idx);
            const upper = at(d.upper, idx);
            return {
              name: d.name,
              color: d.color,
              lower,
              upper,
              score: anomalyScore(value, lower, upper),
              anomaly: hasIndex(d.anomalies, idx),
            };
          }),
      };
    });
  return { time: model.x[idx] ?? NaN, metrics };
}

/** Compact numbers for the tooltip: six significant digits, grouping, no exponent for everyday magnitudes. */
export function formatValue(v: number | null): string {
  if (v === null) {
    return '–';
  }
  const abs = Math.abs(v);
  if (abs !== 0 && (abs >= 1e15 || abs < 1e-4)) {
    return v.toExponential(3);
  }
  return v.toLocaleString('en-US', { maximumSignificantDigits: 6 });
}
