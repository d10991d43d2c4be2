import type { SeasonalityKey } from '../../../common/detectors';

/** detectkit's timestamp-derived seasonality columns (reference §6.3), UTC. */
export const TIME_FEATURES = ['hour', 'day_of_week', 'day_of_month', 'month', 'is_weekend', 'is_holiday'] as const;
export type TimeFeature = (typeof TIME_FEATURES)[number];

export function isTimeFeature(name: string): name is TimeFeature {
  return (TIME_FEATURES as readonly string[]).includes(name);
}

export function timeFeature(name: TimeFeature, timestamps: Float64Array): SeasonalityKey[] {
  const out = new Array<SeasonalityKey>(timestamps.length);
  for (let i = 0; i < timestamps.length; i++) {
    const d = new Date(timestamps[i]!);
    const weekday = (d.getUTCDay() + 6) % 7; // Python: Monday = 0
    switch (name) {
      case 'hour':
        out[i] = d.getUTCHours();
        break;
      case 'day_of_week':
        out[i] = weekday;
        break;
      case 'day_of_month':
        out[i] = d.getUTCDate();
        break;
      case 'month':
        out[i] = d.getUTCMonth() + 1;
        break;
      case 'is_weekend':
        out[i] = weekday >= 5;
        break;
      case 'is_holiday':
        out[i] = false; // detectkit has no holiday calendar
        break;
    }
  }
  return out;
}
