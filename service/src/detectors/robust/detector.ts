import {
  POINT_STATUS,
  type DetectionMetadata,
  type DetectionOutput,
  type DetectorInput,
  type RobustDetectorParams,
} from '../../../../common/detectors';
import { allocateOutput, missingMetadata } from '../output';
import { detectRobust } from './robust';

/**
 * `type: robust` (the recommended detector) under the detector contract: bands, flags, and metadata with the
 * expected value; the unified score is added by the shared post-processing (it equals the detector's own
 * |value − expected| / half-width). Points before `min_samples` valid points get no band (insufficient_data).
 */
export function runRobust(params: RobustDetectorParams, input: DetectorInput): DetectionOutput {
  const r = detectRobust(params, input.timestamps, input.values, input.intervalMs);
  const processed = Float64Array.from(input.values, (v) => (Number.isFinite(v) ? v + 0 : NaN));
  const out = allocateOutput(input, processed);
  for (let i = 0; i < out.length; i++) {
    const x = processed[i]!;
    if (Number.isNaN(x)) {
      out.status[i] = POINT_STATUS.missingData;
      continue;
    }
    if (Number.isNaN(r.lower[i]!)) {
      out.status[i] = POINT_STATUS.insufficientData;
      continue;
    }
    out.lower[i] = r.lower[i]!;
    out.upper[i] = r.upper[i]!;
    if (r.isAnomaly[i]) {
      out.isAnomaly[i] = 1;
      // Held points of an incident may be back inside the band: distance 0, the score says how close.
      out.distance[i] = x > r.upper[i]! ? x - r.upper[i]! : x < r.lower[i]! ? r.lower[i]! - x : 0;
      out.severity[i] = r.score[i]!;
    }
  }
  const metadata = (i: number): DetectionMetadata => {
    if (out.status[i] === POINT_STATUS.missingData) {
      return missingMetadata();
    }
    if (out.status[i] === POINT_STATUS.insufficientData) {
      return { reason: 'insufficient_data', min_samples: params.min_samples };
    }
    const md: DetectionMetadata = { expected: r.expected[i]! };
    if (r.period[i]! > 0) {
      md.period = r.period[i]!;
    }
    if (out.isAnomaly[i]) {
      md.direction = processed[i]! >= r.expected[i]! ? 'above' : 'below';
      md.distance = out.distance[i]!;
      md.severity = out.severity[i]!;
    }
    return md;
  };
  return { ...out, expected: r.expected, metadata };
}
