import { at, hasIndex, type BandModel } from './bandData';

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
              score: at(d.score, idx),
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
