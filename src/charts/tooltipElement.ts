import uPlot from 'uplot';
import { formatValue, type TooltipContent } from './tooltipContent';

export interface TooltipClasses {
  time: string;
  metric: string;
  swatch: string;
  band: string;
  name: string;
  value: string;
  anomaly: string;
}

/**
 * Fills the tooltip element for the hovered point. Plain DOM, not React: it changes on every mouse move and must
 * not re-render the chart. Names are set as text (they come from metric files and the service).
 */
export function renderTooltip(
  el: HTMLElement,
  content: TooltipContent,
  classes: TooltipClasses,
  formatTime: (ms: number) => string
): void {
  const nodes: HTMLElement[] = [div(classes.time, formatTime(content.time))];
  for (const m of content.metrics) {
    const row = div(classes.metric);
    row.append(swatch(classes.swatch, m.color), div(classes.name, m.name), div(classes.value, formatValue(m.value)));
    nodes.push(row);
    for (const d of m.detectors) {
      const band = div(classes.band);
      band.title = d.name;
      const bounds = `${formatValue(d.lower)} – ${formatValue(d.upper)}`;
      const score = d.score === null ? '' : `  score ${d.score.toFixed(2)}`;
      band.append(swatch(classes.swatch, d.color), div(classes.name, d.name), div(classes.value, `${bounds}${score}`));
      if (d.anomaly) {
        band.append(div(classes.anomaly, 'anomaly'));
      }
      nodes.push(band);
    }
  }
  el.replaceChildren(...nodes);
}

function div(className: string, text?: string): HTMLDivElement {
  const e = document.createElement('div');
  e.className = className;
  if (text !== undefined) {
    e.textContent = text;
  }
  return e;
}

function swatch(className: string, color: string): HTMLDivElement {
  const e = div(className);
  e.style.background = color;
  return e;
}

/**
 * Shows the tooltip beside the cursor (flipped to the left near the right edge, kept inside the chart), filling it
 * only when the hovered index changed; hides it when the cursor leaves the plot.
 */
export function followCursor(
  u: uPlot,
  tip: HTMLElement,
  bounds: { width: number; height: number },
  lastIdx: { current: number | null },
  fill: (idx: number) => void
): void {
  const idx = u.cursor.idx;
  const left = u.cursor.left ?? -1;
  const top = u.cursor.top ?? -1;
  if (idx === null || idx === undefined || left < 0) {
    tip.style.display = 'none';
    lastIdx.current = null;
    return;
  }
  if (idx !== lastIdx.current) {
    lastIdx.current = idx;
    fill(idx);
  }
  tip.style.display = 'block';
  const plotLeft = u.bbox.left / uPlot.pxRatio;
  const plotTop = u.bbox.top / uPlot.pxRatio;
  const w = tip.offsetWidth;
  const h = tip.offsetHeight;
  let x = plotLeft + left + 16;
  if (x + w > bounds.width) {
    x = Math.max(0, plotLeft + left - w - 16);
  }
  const y = Math.max(0, Math.min(plotTop + top + 16, bounds.height - h));
  tip.style.transform = `translate(${Math.round(x)}px, ${Math.round(y)}px)`;
}
