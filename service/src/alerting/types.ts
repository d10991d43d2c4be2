/** The alerting module's vocabulary (reference §5.2–5.3), in epoch milliseconds and camelCase. */

export type AlertDirectionRule = 'same' | 'any' | 'up' | 'down';
/** Where a value lies relative to the detector's bounds. */
export type ValueDirection = 'up' | 'down' | 'none';

/** One detector's verdict at one timestamp (detectkit's DetectionRecord, `detector_params` optional). */
export interface DetectionRecord {
  timestamp: number;
  detectorId: string;
  detectorName: string;
  /** Compact JSON of the detector's parameters; detectkit's default `"{}"`. */
  detectorParams?: string;
  /** The metric's value as loaded (what messages show). */
  value: number | null;
  /**
   * The value the detector compared with its bounds (after `changes`/smoothing). Direction is judged on it;
   * detectkit judged on `value`, which is wrong for processed series (§11.1 #5).
   */
  comparedValue?: number | null;
  isAnomaly: boolean;
  lower: number | null;
  upper: number | null;
  /** Given by the caller (detectkit's tests), else derived from comparedValue and the bounds. */
  direction?: ValueDirection | string;
  /** The detector's own severity when known. */
  severity?: number;
  metadata?: Record<string, unknown>;
}

export interface AlertConditions {
  minDetectors: number;
  direction: AlertDirectionRule | string;
  consecutiveAnomalies: number;
}

/** detectkit's `AlertConditions()` dataclass defaults (the metric config defaults differ: same, 3). */
export const DEFAULT_CONDITIONS: AlertConditions = { minDetectors: 1, direction: 'any', consecutiveAnomalies: 1 };

/** detectkit's AlertData (§5.3). */
export interface AlertData {
  metricName: string;
  /** Epoch ms of the evaluated point. */
  timestamp: number;
  timezone: string | null;
  value: number | null;
  confidenceLower: number | null;
  confidenceUpper: number | null;
  detectorName: string;
  detectorParams: string;
  direction: string;
  severity: number;
  metadata: Record<string, unknown>;
  consecutiveCount: number;
  detectorIds: string[];
}

export type AlertEventType = 'firing' | 'resolved' | 'no_data' | 'test';
/** The metric's state after an event; `test` events never change it. */
export type AlertStateName = 'firing' | 'ok' | 'no_data' | 'test';

/** What `_dtk_alerts` says about a metric now (test events excluded). */
export interface CurrentAlertState {
  state: AlertStateName;
  /** Evaluated point (epoch ms) of the latest state-changing event. */
  timestamp: number;
  /** Evaluated point of the latest firing notification, for the cooldown. */
  lastFiringAt: number | null;
  /** The latest firing event, for resolving it on channels that track alerts (Alertmanager). */
  lastFiringEventId: string | null;
}
