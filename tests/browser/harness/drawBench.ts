import type { DrawTiming } from './api';
import type { HarnessSession } from './session';

export interface DrawSummary {
  points: number;
  bands: number;
  runs: number;
  /** setData → uPlot's draw hook (ms): the chart's own drawing. */
  setDataToDraw: Stats;
  /** New panel props → draw hook (ms): frames → series → typed columns → setData → draw. */
  propsToDraw: Stats;
  chromium: string;
  measuredAt: string;
}

export interface Stats {
  median: number;
  min: number;
  max: number;
  all: number[];
}

export function stats(xs: number[]): Stats {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  const r = (x: number) => Math.round(x * 10) / 10;
  return { median: r(median), min: r(s[0] ?? NaN), max: r(s[s.length - 1] ?? NaN), all: xs.map(r) };
}

/**
 * BandChart drawing `points` points with `bands` detector bands in the band panel (the built dist module), panel
 * 1200×500 CSS px at device scale 1: the panel is mounted once, then given new values of the same shape `runs`
 * times; each run is timed from setData to uPlot's draw hook (User Timing measure recorded by BandChart).
 */
export async function measureBandChartDraw(
  session: HarnessSession,
  opts: { points?: number; bands?: number; runs?: number } = {}
): Promise<DrawSummary> {
  const points = opts.points ?? 100_000;
  const bands = opts.bands ?? 3;
  const runs = opts.runs ?? 9;
  const to = Date.UTC(2026, 0, 1);
  const timing: DrawTiming = await session.call('measureDraw', {
    synthetic: { points, bands },
    from: to - points * 60_000,
    to,
    width: 1200,
    height: 500,
    runs,
  });
  await session.call('unmount');
  return {
    points,
    bands,
    runs,
    setDataToDraw: stats(timing.setDataToDraw),
    propsToDraw: stats(timing.propsToDraw),
    chromium: session.chromiumVersion,
    measuredAt: new Date().toISOString(),
  };
}
