import fs from 'node:fs';
import path from 'node:path';

/** A labelled series: one label per point (1 = anomalous), NaN values are missing points. */
export interface LabelledSeries {
  name: string;
  /** Dataset group (folder, or `synthetic/<granularity>`). */
  group: string;
  timestamps: Float64Array;
  values: Float64Array;
  labels: Uint8Array;
}

const DATASET = path.join(__dirname, 'fixtures', 'cloud-monitoring-dataset');

/** The Cloud Monitoring Dataset's series (`TimeStamp,Value,Label`, timestamps in UTC). */
export function loadDataset(): LabelledSeries[] {
  const out: LabelledSeries[] = [];
  for (const group of fs.readdirSync(DATASET).sort()) {
    const dir = path.join(DATASET, group);
    if (!fs.statSync(dir).isDirectory()) {
      continue;
    }
    for (const file of fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.csv'))
      .sort()) {
      const lines = fs.readFileSync(path.join(dir, file), 'utf8').trim().split(/\r?\n/).slice(1);
      const ts = new Float64Array(lines.length);
      const vs = new Float64Array(lines.length);
      const ls = new Uint8Array(lines.length);
      lines.forEach((line, i) => {
        const [t = '', v = '', l = '0'] = line.replace(/"/g, '').split(',');
        ts[i] = Date.parse(`${t.trim().replace(' ', 'T')}Z`);
        vs[i] = v.trim() === '' ? NaN : Number(v);
        ls[i] = Number(l) === 1 ? 1 : 0;
      });
      out.push({ name: file.replace(/\.csv$/, ''), group, timestamps: ts, values: vs, labels: ls });
    }
  }
  return out;
}

/** Deterministic PRNG (mulberry32) and a normal deviate: the generated set is the same on every run. */
function rng(seed: number): { u: () => number; n: () => number } {
  let a = seed >>> 0;
  const u = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const n = () => Math.sqrt(-2 * Math.log(u() || 1e-12)) * Math.cos(2 * Math.PI * u());
  return { u, n };
}

type Injection = 'spike' | 'dip' | 'shift' | 'variance' | 'trend';

interface Spec {
  name: string;
  intervalS: number;
  points: number;
  level: number;
  noise: number;
  daily: number;
  weekly: number;
  trendPerDay: number;
  quantised?: boolean;
  missing?: boolean;
  flat?: boolean;
  inject: Injection[];
}

const DAY = 86_400;

function generate(spec: Spec, seed: number): LabelledSeries {
  const r = rng(seed);
  const n = spec.points;
  const start = Date.UTC(2026, 2, 2); // a Monday
  const timestamps = new Float64Array(n);
  const values = new Float64Array(n);
  const labels = new Uint8Array(n);
  const perDay = DAY / spec.intervalS;
  for (let i = 0; i < n; i++) {
    const t = start + i * spec.intervalS * 1000;
    timestamps[i] = t;
    const dayPhase = ((t / 1000) % DAY) / DAY;
    const weekday = Math.floor(t / 86_400_000 + 3) % 7; // 0 = Monday
    const season =
      spec.daily * Math.sin(2 * Math.PI * (dayPhase - 0.25)) + (weekday >= 5 ? -spec.weekly : spec.weekly * 0.4);
    values[i] = spec.level + season + spec.trendPerDay * (i / perDay) + spec.noise * r.n();
  }
  // Anomalies after the first quarter (history to learn from), spaced out.
  const slots = spec.inject.length;
  spec.inject.forEach((kind, k) => {
    const at = Math.floor(n * (0.3 + (0.65 * k) / Math.max(1, slots)) + r.u() * n * 0.05);
    const sd = Math.max(spec.noise, spec.level * 0.01);
    const amp = Math.max(spec.daily, sd) * (1.2 + r.u());
    if (kind === 'spike' || kind === 'dip') {
      const len = 1 + Math.floor(r.u() * 3);
      for (let j = at; j < Math.min(n, at + len); j++) {
        values[j] = values[j]! + (kind === 'spike' ? 1 : -1) * (6 * sd + amp);
        labels[j] = 1;
      }
    } else if (kind === 'shift') {
      const len = Math.floor(perDay / 4);
      for (let j = at; j < Math.min(n, at + len); j++) {
        values[j] = values[j]! + 6 * sd + 0.5 * amp;
        if (j < at + 5) {
          labels[j] = 1;
        }
      }
    } else if (kind === 'variance') {
      const len = Math.max(12, Math.floor(perDay / 24));
      for (let j = at; j < Math.min(n, at + len); j++) {
        values[j] = values[j]! + 5 * sd * r.n();
        labels[j] = 1;
      }
    } else {
      // A trend change: the series starts climbing fast; the first points clearly off the old path are the event.
      const len = Math.floor(perDay / 2);
      for (let j = at; j < Math.min(n, at + len); j++) {
        values[j] = values[j]! + ((j - at) / len) * (12 * sd + amp);
        if (j >= at + Math.floor(len / 2) && j < at + Math.floor(len / 2) + 5) {
          labels[j] = 1;
        }
      }
    }
  });
  for (let i = 0; i < n; i++) {
    if (spec.quantised) {
      values[i] = Math.max(0, Math.round(values[i]!));
    }
    if (spec.flat && !labels[i]) {
      values[i] = spec.level;
    }
  }
  if (spec.missing) {
    // Gaps of a few points to a few hours: missing, not anomalous.
    for (let g = 0; g < 6; g++) {
      const at = Math.floor(r.u() * n);
      const len = 1 + Math.floor(r.u() * perDay * 0.15);
      for (let j = at; j < Math.min(n, at + len); j++) {
        if (!labels[j]) {
          values[j] = NaN;
        }
      }
    }
  }
  return { name: spec.name, group: `synthetic/${spec.intervalS}s`, timestamps, values, labels };
}

/** Labelled generated series at 1 minute, 5 minutes and 1 hour; some have no anomaly at all. */
export function syntheticSeries(): LabelledSeries[] {
  const all: Injection[] = ['spike', 'dip', 'shift', 'variance', 'trend'];
  const out: LabelledSeries[] = [];
  let seed = 1;
  for (const [intervalS, days] of [
    [60, 14],
    [300, 35],
    [3600, 120],
  ] as const) {
    const points = Math.floor((days * DAY) / intervalS);
    const base = { intervalS, points };
    const specs: Spec[] = [
      { ...base, name: 'seasonal', level: 1000, noise: 20, daily: 300, weekly: 100, trendPerDay: 0, inject: all },
      { ...base, name: 'noisy-trend', level: 50, noise: 5, daily: 0, weekly: 0, trendPerDay: 0.5, inject: all },
      {
        ...base,
        name: 'counts',
        level: 6,
        noise: 2,
        daily: 3,
        weekly: 0,
        trendPerDay: 0,
        quantised: true,
        inject: ['spike', 'shift'],
      },
      {
        ...base,
        name: 'gappy',
        level: 200,
        noise: 8,
        daily: 60,
        weekly: 0,
        trendPerDay: 0,
        missing: true,
        inject: ['spike', 'dip', 'shift'],
      },
      { ...base, name: 'quiet-seasonal', level: 500, noise: 10, daily: 150, weekly: 60, trendPerDay: 0, inject: [] },
      {
        ...base,
        name: 'quiet-counts',
        level: 3,
        noise: 1.5,
        daily: 1,
        weekly: 0,
        trendPerDay: 0,
        quantised: true,
        inject: [],
      },
      { ...base, name: 'quiet-flat', level: 42, noise: 0, daily: 0, weekly: 0, trendPerDay: 0, flat: true, inject: [] },
      {
        ...base,
        name: 'quiet-gappy-trend',
        level: 80,
        noise: 4,
        daily: 20,
        weekly: 0,
        trendPerDay: 1,
        missing: true,
        inject: [],
      },
    ];
    for (const s of specs) {
      out.push(generate(s, seed++));
    }
  }
  return out;
}
