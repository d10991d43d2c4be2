import {
  POINT_STATUS,
  type DetectionMetadata,
  type DetectionOutput,
  type DetectorInput,
  type ManualBoundsParams,
} from '../../../common/detectors';
import { allocateOutput, judge, missingMetadata } from './output';
import { preprocess } from './preprocess';

/**
 * Fixed bounds (reference §4.8): no window and no smoothing; only `input_type`. Severity is relative to the
 * band when both bounds are set, else the absolute distance (detectkit's units).
 */
export function runManualBounds(params: ManualBoundsParams, input: DetectorInput): DetectionOutput {
  const { processed } = preprocess(input.values, {
    inputType: params.input_type,
    smoothing: null,
    smoothingAlpha: 0.3,
    smoothingWindow: 10,
  });
  const out = allocateOutput(input, processed);
  const lower = params.lower_bound ?? -Infinity;
  const upper = params.upper_bound ?? Infinity;
  const range = params.lower_bound !== null && params.upper_bound !== null ? upper - lower : NaN;
  for (let i = 0; i < out.length; i++) {
    const x = processed[i]!;
    if (Number.isNaN(x)) {
      out.status[i] = POINT_STATUS.missingData;
      continue;
    }
    if (judge(out, i, x, lower, upper)) {
      const d = out.distance[i]!;
      out.severity[i] = Number.isNaN(range) ? d : range > 0 ? d / range : Infinity;
    }
    // Absent sides stay absent (NaN), not ±Infinity.
    out.lower[i] = params.lower_bound ?? NaN;
    out.upper[i] = params.upper_bound ?? NaN;
  }
  const metadata = (i: number): DetectionMetadata => {
    if (out.status[i] === POINT_STATUS.missingData) {
      return missingMetadata();
    }
    const md: DetectionMetadata = {};
    if (params.input_type !== 'values') {
      md.preprocessing = { input_type: params.input_type };
    }
    if (out.isAnomaly[i]) {
      md.direction = processed[i]! > upper ? 'above' : 'below';
      md.distance = out.distance[i];
      md.severity = out.severity[i];
    }
    return md;
  };
  return { ...out, metadata };
}
