import { DtkError } from '../errors';
import { STEPS, type Step } from '../pipeline';

/** `--steps load,detect`: any subset; execution order is always load → detect → alert. */
export function parseSteps(s: string | undefined): Set<Step> {
  if (s === undefined) {
    return new Set(STEPS);
  }
  const steps = new Set<Step>();
  for (const raw of s.split(',')) {
    const step = raw.trim().toLowerCase();
    if (!(STEPS as readonly string[]).includes(step)) {
      throw new DtkError('usage', `Invalid step: ${raw}. Valid steps: load, detect, alert`);
    }
    steps.add(step as Step);
  }
  return steps;
}

/** `--from/--to`: `YYYY-MM-DD` or `YYYY-MM-DD HH:MM:SS`, naive = UTC (detectkit's formats). */
export function parseCliDate(s: string | undefined, flag: string): number | undefined {
  if (s === undefined) {
    return undefined;
  }
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}):(\d{2}))?$/.exec(s.trim());
  const t = m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0)) : NaN;
  if (!m || Number.isNaN(t) || new Date(t).getUTCDate() !== +m[3]!) {
    throw new DtkError('usage', `Invalid date format for ${flag}: ${s}. Use YYYY-MM-DD or 'YYYY-MM-DD HH:MM:SS'`);
  }
  return t;
}
