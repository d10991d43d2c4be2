import {
  POINT_STATUS,
  type DetectionMetadata,
  type DetectionOutput,
  type DetectionResult,
  type DetectorInput,
} from '../../../common/detectors';

/** The column arrays every detector fills; `metadata` is attached by the detector. */
export type OutputColumns = Omit<DetectionOutput, 'metadata'>;

export function allocateOutput(input: DetectorInput, processed: Float64Array): OutputColumns {
  const n = input.values.length;
  return {
    length: n,
    timestamps: input.timestamps,
    values: input.values,
    processed,
    isAnomaly: new Uint8Array(n),
    lower: new Float64Array(n).fill(NaN),
    upper: new Float64Array(n).fill(NaN),
    status: new Uint8Array(n),
    severity: new Float64Array(n).fill(NaN),
    distance: new Float64Array(n).fill(NaN),
  };
}

const nullIfNaN = (v: number): number | null => (Number.isNaN(v) ? null : v);

/** One detectkit-style result object per point (for tests, the CLI's JSON and small previews). */
export function resultAt(out: DetectionOutput, i: number): DetectionResult {
  return {
    timestamp: out.timestamps[i]!,
    value: out.values[i]!,
    processedValue: out.processed[i]!,
    isAnomaly: out.isAnomaly[i] === 1,
    lower: nullIfNaN(out.lower[i]!),
    upper: nullIfNaN(out.upper[i]!),
    metadata: out.metadata(i),
  };
}

export function toResults(out: DetectionOutput): DetectionResult[] {
  return Array.from({ length: out.length }, (_, i) => resultAt(out, i));
}

/** Marks point i anomalous or not from its bounds (strict comparisons: equality is normal). */
export function judge(out: OutputColumns, i: number, x: number, lower: number, upper: number): boolean {
  out.lower[i] = lower;
  out.upper[i] = upper;
  if (x < lower) {
    out.isAnomaly[i] = 1;
    out.distance[i] = lower - x;
    return true;
  }
  if (x > upper) {
    out.isAnomaly[i] = 1;
    out.distance[i] = x - upper;
    return true;
  }
  return false;
}

export function missingMetadata(): DetectionMetadata {
  return { reason: 'missing_data' };
}

export { POINT_STATUS };
