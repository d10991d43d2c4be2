import uPlot from 'uplot';
import { at, type BandModel } from './bandData';

/**
 * Anomaly markers, drawn in uPlot's draw hook straight onto its canvas: one path per detector over the anomaly
 * indices only (a handful among 100k points), instead of a points series as long as the data that is null almost
 * everywhere. Filled with the anomaly colour and ringed in the detector's colour, so overlapping detectors remain
 * visible. Returns how many were drawn (the visible ones).
 */
export function drawMarkers(
  u: uPlot,
  model: BandModel,
  size: number,
  fill: string,
  hidden: ReadonlySet<string>
): number {
  if (size <= 0 || model.anomalyCount === 0) {
    return 0;
  }
  const { ctx, bbox } = u;
  const min = u.scales.x?.min ?? -Infinity;
  const max = u.scales.x?.max ?? Infinity;
  const r = (size / 2) * uPlot.pxRatio;
  let drawn = 0;
  ctx.save();
  ctx.beginPath();
  ctx.rect(bbox.left, bbox.top, bbox.width, bbox.height);
  ctx.clip();
  ctx.fillStyle = fill;
  ctx.lineWidth = Math.max(1, uPlot.pxRatio);
  for (const m of model.metrics) {
    if (hidden.has(m.key)) {
      continue;
    }
    for (const d of m.detectors) {
      if (hidden.has(d.key) || d.anomalies.length === 0) {
        continue;
      }
      const path = new Path2D();
      for (let k = 0; k < d.anomalies.length; k++) {
        const i = d.anomalies[k]!;
        const x = model.x[i]!;
        const y = at(m.values, i);
        if (x < min || x > max || y === null) {
          continue;
        }
        const cx = u.valToPos(x, 'x', true);
        const cy = u.valToPos(y, 'y', true);
        path.moveTo(cx + r, cy);
        path.arc(cx, cy, r, 0, 2 * Math.PI);
        drawn++;
      }
      ctx.strokeStyle = d.color;
      ctx.fill(path);
      ctx.stroke(path);
    }
  }
  ctx.restore();
  return drawn;
}
