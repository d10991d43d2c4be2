import type { DetectionResult, SeasonalityKey } from '../../../common/detectors';
import { createDetector } from './registry';
import { toResults } from './output';

/** Test helpers: detectkit's tests use one point per minute from 2024-01-01T00:00. */
export const T0 = Date.UTC(2024, 0, 1);

export function series(values: number[]): { timestamps: Float64Array; values: Float64Array } {
  return {
    timestamps: Float64Array.from(values, (_, i) => T0 + i * 60_000),
    values: Float64Array.from(values),
  };
}

export function detect(
  type: string,
  params: Record<string, unknown>,
  values: number[],
  seasonality?: Record<string, SeasonalityKey[]>
): DetectionResult[] {
  const d = createDetector(type, params);
  return toResults(d.detect({ ...series(values), seasonality }));
}

/** Equal within 1e-9, relative for large magnitudes; null/NaN/inf must match exactly. */
export function expectClose(actual: unknown, expected: number | null): void {
  if (expected === null || !Number.isFinite(expected)) {
    if (expected === null) {
      expect(actual).toBeNull();
    } else {
      expect(actual).toBe(expected);
    }
    return;
  }
  expect(typeof actual).toBe('number');
  const tol = 1e-9 * Math.max(1, Math.abs(expected));
  if (!(Math.abs((actual as number) - expected) <= tol)) {
    throw new Error(`expected ${expected} ± ${tol}, got ${String(actual)}`);
  }
}
