import {
  POINT_STATUS,
  type DetectionMetadata,
  type DetectionOutput,
  type DetectorInput,
  type WindowedParams,
} from '../../../common/detectors';
import { STAT_WIDTH, createEngine, type PartitionCodes, type StatKind } from './engines';
import { STAT_NAMES, bounds, multipliers, severity, type Bounds } from './kinds';
import { allocateOutput, judge, missingMetadata } from './output';
import { preprocess } from './preprocess';
import { buildPartitions } from './seasonality';

// Local bindings: transpiled CommonJS turns imported calls into getter reads on every call in the hot loop.
const boundsFast = bounds;
const multipliersFast = multipliers;
const severityFast = severity;
const judgeFast = judge;

/**
 * The per-point loop shared by MAD, Z-score and IQR (reference §4.1): window of up to `window_size` previous
 * points (current excluded), NaNs dropped, `min_samples` warm-up, seasonal multipliers, strict comparisons.
 * Statistics come from an incremental engine; everything for the metadata is kept in columns.
 */
export function runWindowed(kind: StatKind, params: WindowedParams, input: DetectorInput): DetectionOutput {
  const n = input.values.length;
  const { smoothed, processed } = preprocess(input.values, {
    inputType: params.input_type,
    smoothing: params.smoothing,
    smoothingAlpha: params.smoothing_alpha,
    smoothingWindow: params.smoothing_window,
  });
  const partitions = buildPartitions(params.seasonality_components, input.seasonality, n);
  const parts: PartitionCodes[] = [{ codes: null, groups: 1 }, ...partitions];
  const w = params.window_size;
  const engine = createEngine({
    kind,
    values: processed,
    partitions: parts,
    window: w,
    weights: params.window_weights,
    decay: params.weight_decay,
  });
  const K = STAT_WIDTH[kind];
  const C = partitions.length;
  const out = allocateOutput(input, processed);
  const windowCount = new Int32Array(n);
  const global = new Float64Array(n * K);
  const adjusted = new Float64Array(n * K);
  const mult = new Float64Array(n * C * K);
  const groupSize = new Int32Array(n * C);
  const groupShort = new Uint8Array(n * C);
  const groupStats = new Float64Array(K);
  const m = new Float64Array(K);
  const b: Bounds = { lower: 0, upper: 0 };
  const threshold = params.threshold;
  const minSamples = params.min_samples;
  const minPerGroup = params.min_samples_per_group;

  for (let i = 0; i < n; i++) {
    if (i > 0) {
      const inIdx = i - 1;
      const outIdx = i - 1 - w;
      engine.slide(
        outIdx >= 0 && !Number.isNaN(processed[outIdx]!) ? outIdx : -1,
        !Number.isNaN(processed[inIdx]!) ? inIdx : -1
      );
    }
    const x = processed[i]!;
    if (Number.isNaN(x)) {
      out.status[i] = POINT_STATUS.missingData;
      continue;
    }
    const count = engine.size(0, 0);
    windowCount[i] = count;
    if (count < minSamples) {
      out.status[i] = POINT_STATUS.insufficientData;
      continue;
    }
    const ws = i > w ? i - w : 0;
    const o = i * K;
    engine.stats(0, 0, ws, i, global, o);
    for (let s = 0; s < K; s++) {
      adjusted[o + s] = global[o + s]!;
    }
    for (let c = 0; c < C; c++) {
      const g = partitions[c]!.codes[i]!;
      const size = engine.size(c + 1, g);
      const gi = i * C + c;
      groupSize[gi] = size;
      const mo = gi * K;
      if (size < minPerGroup) {
        groupShort[gi] = 1;
        for (let s = 0; s < K; s++) {
          mult[mo + s] = 1;
        }
        continue;
      }
      engine.stats(c + 1, g, ws, i, groupStats, 0);
      multipliersFast(kind, global, o, groupStats, m);
      for (let s = 0; s < K; s++) {
        mult[mo + s] = m[s]!;
        adjusted[o + s] = adjusted[o + s]! * m[s]!;
      }
    }
    boundsFast(kind, adjusted, o, threshold, b);
    if (judgeFast(out, i, x, b.lower, b.upper)) {
      out.severity[i] = severityFast(kind, adjusted, o, x, out.distance[i]!);
    }
  }

  const names = STAT_NAMES[kind];
  const withPreprocessing = params.smoothing !== null || params.input_type !== 'values';
  const metadata = (i: number): DetectionMetadata => {
    const status = out.status[i];
    if (status === POINT_STATUS.missingData) {
      return missingMetadata();
    }
    if (status === POINT_STATUS.insufficientData) {
      return { reason: 'insufficient_data', window_size: windowCount[i], min_samples: minSamples };
    }
    const md: DetectionMetadata = {};
    names.forEach((name, s) => (md[`global_${name}`] = global[i * K + s]));
    names.forEach((name, s) => (md[`adjusted_${name}`] = adjusted[i * K + s]));
    md.window_size = windowCount[i];
    if (withPreprocessing) {
      const pre: DetectionMetadata = { input_type: params.input_type, smoothing: params.smoothing };
      if (params.smoothing !== null) {
        pre.smoothed_value = smoothed[i];
      }
      md.preprocessing = pre;
    }
    if (C > 0) {
      md.seasonality_groups = partitions.map((p, c) => {
        const gi = i * C + c;
        const entry: DetectionMetadata = { group: [...p.columns] };
        names.forEach((name, s) => (entry[`${name}_multiplier`] = mult[gi * K + s]));
        if (groupShort[gi]) {
          entry.reason = 'insufficient_group_data';
        }
        entry.group_size = groupSize[gi];
        return entry;
      });
    }
    if (out.isAnomaly[i]) {
      md.direction = processed[i]! < out.lower[i]! ? 'below' : 'above';
      md.severity = out.severity[i];
      md.distance = out.distance[i];
    }
    return md;
  };
  return { ...out, metadata };
}
