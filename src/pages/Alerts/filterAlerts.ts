import type { AlertEvent } from '../../../common/api/alerts';

export const EVENT_TYPES: Array<AlertEvent['type']> = ['firing', 'resolved', 'no_data', 'test'];

export interface AlertFilter {
  /** Shown event types; all when empty. */
  types: string[];
  /** Epoch ms bounds on the evaluated point. */
  from: number;
  to: number;
}

/**
 * The service filters alert history by metric only (GET /api/alerts?metric&limit), so type and time are applied
 * here, to the newest events it returned.
 */
export function filterAlerts(alerts: AlertEvent[], f: AlertFilter): AlertEvent[] {
  return alerts.filter(
    (a) => (f.types.length === 0 || f.types.includes(a.type)) && a.timestamp >= f.from && a.timestamp <= f.to
  );
}
