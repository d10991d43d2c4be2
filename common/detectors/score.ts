/**
 * The unified anomaly score shared by every detector (DESIGN §7): how far a point lies outside its band, in units
 * of half the band's width. 0 inside the band (edges included), 1 one half-width beyond an edge. It compares the
 * value the detector judged (`processed_value`), so it is computable from any stored detection row, detectkit's
 * included, and the plugin and the service compute it the same way.
 */

/** Distance outside [lower, upper] (0 inside); NaN when the value or both bounds are missing. */
export function bandDistance(x: number, lower: number, upper: number): number {
  if (Number.isNaN(x) || (Number.isNaN(lower) && Number.isNaN(upper))) {
    return NaN;
  }
  if (!Number.isNaN(lower) && x < lower) {
    return lower - x;
  }
  if (!Number.isNaN(upper) && x > upper) {
    return x - upper;
  }
  return 0;
}

/**
 * distance / half width. Missing (NaN) when the value is missing or the band is one-sided (a single manual bound
 * has no width to measure against) and the point is outside it; Infinity for a point outside a zero-width band.
 * Absent bounds are NaN (or null, from JSON).
 */
export function bandScore(x: number | null, lower: number | null, upper: number | null): number {
  const v = x ?? NaN;
  const lo = lower ?? NaN;
  const hi = upper ?? NaN;
  const d = bandDistance(v, lo, hi);
  if (Number.isNaN(d) || d === 0) {
    return d;
  }
  if (Number.isNaN(lo) || Number.isNaN(hi)) {
    return NaN;
  }
  const half = (hi - lo) / 2;
  return half > 0 ? d / half : Infinity;
}
