import type { SeasonalityComponent, WindowWeights, WindowedParams } from '../../../common/detectors';
import { createDetector } from './registry';
import { preprocess } from './preprocess';
import { fsum } from './exactSum';
import { computeWeights, weightedPercentileSorted } from './weights';

/**
 * Property test: the incremental engines (sorted runs, running moments, per-group windows) must equal a plain
 * implementation that gathers and sorts every window, on random series and parameters. Seeded so a failure
 * reproduces; the failing seed and parameters are in the message.
 */

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Kind = 'mad' | 'zscore' | 'iqr';

interface Case {
  kind: Kind;
  params: Record<string, unknown>;
  values: number[];
  seasonality: Record<string, number[]>;
}

function randomCase(rnd: () => number): Case {
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const kind = pick<Kind>(['mad', 'zscore', 'iqr']);
  const n = int(0, 260);
  const values: number[] = [];
  const style = int(0, 3);
  let level = rnd() * 100;
  while (values.length < n) {
    const r = rnd();
    if (r < 0.1) {
      values.push(NaN);
    } else if (r < 0.2) {
      const v = style === 0 ? int(0, 3) : level;
      for (let k = int(2, 20); k > 0 && values.length < n; k--) {
        values.push(v); // constant run
      }
    } else if (r < 0.22) {
      level = rnd() * 1e4;
    } else if (style === 0 || style === 1) {
      values.push(int(0, 5)); // many ties
    } else {
      values.push(level + (rnd() - 0.5) * 10 * (style === 3 ? rnd() * rnd() : 1));
    }
  }
  const floor = kind === 'zscore' ? 2 : kind === 'iqr' ? 4 : 1;
  const window = Math.max(floor, int(1, 60));
  const params: Record<string, unknown> = {
    threshold: 0.5 + rnd() * 3.5,
    window_size: window,
    min_samples: int(floor, window),
    min_samples_per_group: kind === 'iqr' ? int(4, 8) : int(1, 6),
  };
  if (rnd() < 0.4) {
    params.window_weights = pick<WindowWeights>(['linear', 'exponential']);
    params.weight_decay = 0.5 + rnd() * 0.49;
  }
  if (rnd() < 0.2) {
    params.input_type = pick(['changes', 'absolute_changes', 'log_changes']);
  }
  if (rnd() < 0.15) {
    params.smoothing = pick(['ema', 'sma']);
    params.smoothing_window = int(1, 5);
  }
  const seasonality = {
    a: Array.from({ length: n }, (_, i) => i % 3),
    b: Array.from({ length: n }, () => int(0, 1)),
  };
  const comps: SeasonalityComponent[][] = [[], ['a'], ['b'], [['a', 'b']], ['a', 'b'], ['a', ['a', 'b']]];
  const c = pick(comps);
  if (c.length > 0) {
    params.seasonality_components = c;
  }
  return { kind, params, values, seasonality };
}

// ---- the plain implementation: gather, sort, compute, per point ----

function q7(sorted: number[], q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const frac = h - lo;
  return frac === 0 || lo + 1 >= sorted.length ? sorted[lo]! : sorted[lo]! + frac * (sorted[lo + 1]! - sorted[lo]!);
}

/** Values in chronological order → statistics, by sorting (stable: ties stay chronological). */
function naiveStats(kind: Kind, x: number[], weights: WindowWeights | null, decay: number): number[] {
  const n = x.length;
  const order = x.map((_, i) => i).sort((a, b) => x[a]! - x[b]! || a - b);
  const sorted = order.map((i) => x[i]!);
  if (weights === null) {
    if (kind === 'zscore') {
      if (x.every((v) => v === x[0])) {
        return [x[0]!, n > 1 ? 0 : NaN];
      }
      const mean = fsum(x) / n;
      const ss = x.reduce((s, v) => s + (v - mean) ** 2, 0);
      return [mean, n > 1 ? Math.sqrt(ss / (n - 1)) : NaN];
    }
    if (kind === 'mad') {
      const m = q7(sorted, 0.5);
      return [
        m,
        q7(
          x.map((v) => Math.abs(v - m)).sort((a, b) => a - b),
          0.5
        ),
      ];
    }
    const q1 = q7(sorted, 0.25);
    const q3 = q7(sorted, 0.75);
    return [q1, q3, q3 - q1];
  }
  const w = computeWeights(n, weights, decay);
  if (kind === 'zscore') {
    let mean = 0;
    for (let j = 0; j < n; j++) {
      mean += x[j]! * w[j]!;
    }
    let v = 0;
    let w2 = 0;
    for (let j = 0; j < n; j++) {
      v += w[j]! * (x[j]! - mean) ** 2;
      w2 += w[j]! * w[j]!;
    }
    return [mean, Math.sqrt(v / (1 - w2))];
  }
  const ws = order.map((i) => w[i]!);
  if (kind === 'mad') {
    const m = weightedPercentileSorted(sorted, ws, n, 50);
    const dev = x.map((v) => Math.abs(v - m));
    const dorder = dev.map((_, i) => i).sort((a, b) => dev[a]! - dev[b]! || a - b);
    return [
      m,
      weightedPercentileSorted(
        dorder.map((i) => dev[i]!),
        dorder.map((i) => w[i]!),
        n,
        50
      ),
    ];
  }
  const q1 = weightedPercentileSorted(sorted, ws, n, 25);
  const q3 = weightedPercentileSorted(sorted, ws, n, 75);
  return [q1, q3, q3 - q1];
}

interface NaivePoint {
  anomaly: boolean;
  lower: number;
  upper: number;
  reason?: string;
}

function naiveDetect(c: Case): NaivePoint[] {
  const p = createDetector(c.kind, c.params).params as WindowedParams;
  const { processed } = preprocess(Float64Array.from(c.values), {
    inputType: p.input_type,
    smoothing: p.smoothing,
    smoothingAlpha: p.smoothing_alpha,
    smoothingWindow: p.smoothing_window,
  });
  const comps: SeasonalityComponent[] = p.seasonality_components ?? [];
  const w = p.window_size;
  const k = p.threshold;
  const out: NaivePoint[] = [];
  for (let i = 0; i < processed.length; i++) {
    const x = processed[i]!;
    if (Number.isNaN(x)) {
      out.push({ anomaly: false, lower: NaN, upper: NaN, reason: 'missing_data' });
      continue;
    }
    const ws = Math.max(0, i - w);
    const idx: number[] = [];
    for (let j = ws; j < i; j++) {
      if (!Number.isNaN(processed[j]!)) {
        idx.push(j);
      }
    }
    if (idx.length < p.min_samples) {
      out.push({ anomaly: false, lower: NaN, upper: NaN, reason: 'insufficient_data' });
      continue;
    }
    const global = naiveStats(
      c.kind,
      idx.map((j) => processed[j]!),
      p.window_weights,
      p.weight_decay
    );
    const adj = [...global];
    for (const comp of comps) {
      const cols = typeof comp === 'string' ? [comp] : comp;
      const members = idx.filter((j) => cols.every((col) => c.seasonality[col]![j] === c.seasonality[col]![i]));
      if (members.length < p.min_samples_per_group) {
        continue;
      }
      const g = naiveStats(
        c.kind,
        members.map((j) => processed[j]!),
        p.window_weights,
        p.weight_decay
      );
      const spreadIdx = c.kind === 'iqr' ? 2 : 1;
      for (let s = 0; s < g.length; s++) {
        const guard = s === spreadIdx && c.kind !== 'mad' ? global[s]! > 0 : global[s] !== 0;
        adj[s] = adj[s]! * (guard ? g[s]! / global[s]! : 1);
      }
    }
    let lower: number;
    let upper: number;
    if (c.kind === 'iqr') {
      [lower, upper] =
        adj[2] === 0 ? [adj[0]! - 1e-10, adj[1]! + 1e-10] : [adj[0]! - k * adj[2]!, adj[1]! + k * adj[2]!];
    } else {
      [lower, upper] =
        adj[1] === 0 ? [adj[0]! - 1e-10, adj[0]! + 1e-10] : [adj[0]! - k * adj[1]!, adj[0]! + k * adj[1]!];
    }
    out.push({ anomaly: x < lower || x > upper, lower, upper });
  }
  return out;
}

function closeOrBothNaN(a: number, b: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) {
    return Number.isNaN(a) && Number.isNaN(b);
  }
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
}

describe('fast detectors equal a per-point-sort implementation', () => {
  // DTK_PROPERTY_SEED / DTK_PROPERTY_CASES reproduce or widen a run without editing the test.
  const SEED = Number(process.env.DTK_PROPERTY_SEED ?? 20240601);
  const CASES = Number(process.env.DTK_PROPERTY_CASES ?? 400);

  it(`${CASES} random series and parameters (seed ${SEED})`, () => {
    const rnd = mulberry32(SEED);
    let points = 0;
    for (let t = 0; t < CASES; t++) {
      const c = randomCase(rnd);
      const d = createDetector(c.kind, c.params);
      const fast = d.detect({
        timestamps: Float64Array.from(c.values, (_, i) => i * 60_000),
        values: Float64Array.from(c.values),
        seasonality: c.seasonality,
      });
      const naive = naiveDetect(c);
      for (let i = 0; i < naive.length; i++) {
        const e = naive[i]!;
        const ok =
          (fast.isAnomaly[i] === 1) === e.anomaly &&
          closeOrBothNaN(fast.lower[i]!, e.lower) &&
          closeOrBothNaN(fast.upper[i]!, e.upper) &&
          (e.reason === undefined || fast.metadata(i).reason === e.reason);
        if (!ok) {
          throw new Error(
            `case ${t} point ${i}: ${c.kind} ${JSON.stringify(c.params)}\n` +
              `fast ${fast.isAnomaly[i]} [${fast.lower[i]}, ${fast.upper[i]}] vs naive ${e.anomaly} [${e.lower}, ${e.upper}]\n` +
              `values ${JSON.stringify(c.values.slice(Math.max(0, i - 60), i + 1))}`
          );
        }
        points++;
      }
    }
    expect(points).toBeGreaterThan(10_000);
  });
});
