/** Start of the interval that contains t: the grid is aligned to floor(t / I) · I (UTC epoch). */
export function alignDown(ms: number, intervalSeconds: number): number {
  const step = intervalSeconds * 1000;
  return Math.floor(ms / step) * step;
}
