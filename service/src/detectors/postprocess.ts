import {
  POSTPROCESS_DEFAULTS,
  bandDistance,
  bandScore,
  type DetectionMetadata,
  type DetectionOutput,
  type PostprocessParams,
} from '../../../common/detectors';

/**
 * Post-processing shared by every detector (docs/detectors-forecast.md, "Post-processing"): it narrows the
 * detector's own verdicts and adds the unified `score`.
 *
 * - `direction`: `up` keeps anomalies above the band, `down` those below it.
 * - `min_deviation`: an anomaly must lie outside the band by more than this (same units as the value).
 * - `min_relative_deviation`: … by more than this fraction of |expected| — the model's forecast where the detector
 *   has one (forecast, custom), else the band's middle (for one bound: the bound).
 * - `score` = distance outside the band / half its width (common/detectors/score.ts), in `detection_metadata`.
 *
 * detectkit's detectors at default settings are returned untouched, metadata text included (detectkit's
 * `detection_metadata` keys are a compatibility surface; their score is computed from the stored bounds instead).
 */

export function isPostprocessConfigured(p: PostprocessParams): boolean {
  return (
    p.direction !== POSTPROCESS_DEFAULTS.direction ||
    p.min_deviation !== POSTPROCESS_DEFAULTS.min_deviation ||
    p.min_relative_deviation !== POSTPROCESS_DEFAULTS.min_relative_deviation
  );
}

/** Why post-processing dropped a detector's anomaly (metadata `suppressed_by`). */
export type Suppression = 'direction' | 'min_deviation' | 'min_relative_deviation';

function reference(out: DetectionOutput, i: number): number {
  const e = out.expected?.[i];
  if (e !== undefined && !Number.isNaN(e)) {
    return e;
  }
  const lo = out.lower[i]!;
  const hi = out.upper[i]!;
  if (Number.isNaN(lo)) {
    return hi;
  }
  return Number.isNaN(hi) ? lo : (lo + hi) / 2;
}

/** Which side of the band a flagged point is on (a custom module may flag a point inside its band). */
function side(out: DetectionOutput, i: number, x: number): 'up' | 'down' {
  if (!Number.isNaN(out.upper[i]!) && x > out.upper[i]!) {
    return 'up';
  }
  if (!Number.isNaN(out.lower[i]!) && x < out.lower[i]!) {
    return 'down';
  }
  return x >= reference(out, i) ? 'up' : 'down';
}

export function suppression(out: DetectionOutput, i: number, p: PostprocessParams): Suppression | null {
  const x = out.processed[i]!;
  if (p.direction !== 'both' && side(out, i, x) !== p.direction) {
    return 'direction';
  }
  if (p.min_deviation === 0 && p.min_relative_deviation === 0) {
    return null;
  }
  const d = bandDistance(x, out.lower[i]!, out.upper[i]!);
  if (p.min_deviation > 0 && !(d > p.min_deviation)) {
    return 'min_deviation';
  }
  if (p.min_relative_deviation > 0 && !(d > p.min_relative_deviation * Math.abs(reference(out, i)))) {
    return 'min_relative_deviation';
  }
  return null;
}

/**
 * Applies the parameters to a detector's output. `scoreAlways`: add `score` to the metadata even when nothing is
 * configured (our detectors); detectkit's get it only when a post-processing parameter is set.
 */
export function postprocess(out: DetectionOutput, p: PostprocessParams, scoreAlways: boolean): DetectionOutput {
  const configured = isPostprocessConfigured(p);
  if (!configured && !scoreAlways) {
    return out;
  }
  // A new flags column: the detector's metadata builder still reads its own verdicts.
  const isAnomaly = Uint8Array.from(out.isAnomaly);
  const suppressed = new Map<number, Suppression>();
  if (configured) {
    for (let i = 0; i < out.length; i++) {
      if (!isAnomaly[i]) {
        continue;
      }
      const why = suppression(out, i, p);
      if (why) {
        isAnomaly[i] = 0;
        suppressed.set(i, why);
      }
    }
  }
  const inner = out.metadata;
  const metadata = (i: number): DetectionMetadata => {
    const md = inner(i);
    const s = bandScore(out.processed[i]!, out.lower[i]!, out.upper[i]!);
    if (!Number.isNaN(s)) {
      md.score = s;
    }
    const why = suppressed.get(i);
    if (why) {
      md.suppressed_by = why;
    }
    return md;
  };
  return { ...out, isAnomaly, metadata };
}
