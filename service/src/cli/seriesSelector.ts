import { canonicalLabels } from '../sources/prometheus';

/**
 * Series selectors: `-s 'cpu_idle{cpu="0"}'` picks one series of a fan-out metric. The part before `{` selects
 * the definition like any name selector; after the fan-out only the named series of that definition run. Labels may
 * be written in any order; they are compared in canonical form (sorted, escaped as in PromQL).
 */
export interface SeriesSelection {
  /** Selectors with the series part removed, for the definition selection. */
  selectors: string[];
  /** Definition name → canonical series names wanted (absent: every series of that definition). */
  series: Map<string, Set<string>>;
}

const SERIES = /^([^{]+)(\{.*\})$/s;
const LABEL = /\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*(,|$)/gy;

/** `{a="x", b="y"}` → labels, or null when it is not a label set. */
export function parseLabelSet(text: string): Record<string, string> | null {
  const inner = text.slice(1, -1);
  const labels: Record<string, string> = {};
  LABEL.lastIndex = 0;
  let consumed = 0;
  for (let m = LABEL.exec(inner); m; m = LABEL.exec(inner)) {
    labels[m[1]!] = m[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    consumed = LABEL.lastIndex;
    if (consumed >= inner.length) {
      break;
    }
  }
  return consumed >= inner.trim().length || inner.trim() === '' ? labels : null;
}

export function splitSeriesSelectors(selectors: readonly string[] | undefined): SeriesSelection {
  const out: SeriesSelection = { selectors: [], series: new Map() };
  const whole = new Set<string>();
  for (const s of selectors ?? []) {
    const m = SERIES.exec(s.trim());
    const labels = m ? parseLabelSet(m[2]!) : null;
    if (!m || !labels || s.startsWith('tag:') || s.includes('/')) {
      out.selectors.push(s);
      whole.add(s);
      continue;
    }
    const base = m[1]!.trim();
    out.selectors.push(base);
    const set = out.series.get(base) ?? new Set<string>();
    set.add(`${base}${canonicalLabels(labels)}`);
    out.series.set(base, set);
  }
  // A definition also selected as a whole runs every series.
  for (const name of whole) {
    out.series.delete(name);
  }
  return out;
}

/** Keeps, of each definition named in a series selector, only the wanted series. */
export function keepSelectedSeries<T extends { name: string }>(
  definition: string,
  metrics: T[],
  sel: SeriesSelection
): T[] {
  const wanted = sel.series.get(definition);
  return wanted ? metrics.filter((m) => wanted.has(m.name)) : metrics;
}
