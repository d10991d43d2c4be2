/**
 * Synthetic series with known structure, for the forecast detectors' tests and benchmark: a daily cycle that
 * follows local wall-clock time (so it moves by an hour in UTC at a DST change), a weekly cycle (quieter
 * weekends), a linear trend and Gaussian noise, from a fixed seed; plus injected anomalies at known indices.
 */

/** mulberry32: a small, fast, seedable PRNG (uniform in [0, 1)). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draws (Box–Muller) from a uniform source. */
export function gaussian(uniform: () => number): () => number {
  return () => {
    const u = 1 - uniform();
    const v = uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
}

export interface SyntheticOptions {
  start: number;
  intervalMs: number;
  points: number;
  seed: number;
  /** Level at the start. */
  base?: number;
  /** Relative amplitude of the daily cycle. */
  daily?: number;
  /** Weekend level relative to weekdays. */
  weekend?: number;
  /** Level change per day, relative to base. */
  trendPerDay?: number;
  /** Noise standard deviation relative to base. */
  noise?: number;
  /** IANA zone whose wall clock the daily cycle follows (DST included). */
  timeZone?: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** UTC offset (ms) of a zone at an instant, from Intl (no tz database needed). */
export function zoneOffsetMs(t: number, timeZone: string): number {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  const parts = f.formatToParts(new Date(t));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return local - Math.floor(t / 1000) * 1000;
}

/** The expected (noise-free) value at t. */
export function expectedAt(t: number, o: SyntheticOptions): number {
  const base = o.base ?? 1000;
  const local = t + (o.timeZone ? zoneOffsetMs(t, o.timeZone) : 0);
  const dayFrac = (((local % 86_400_000) + 86_400_000) % 86_400_000) / 86_400_000;
  const dow = new Date(local).getUTCDay();
  const weekendFactor = dow === 0 || dow === 6 ? (o.weekend ?? 0.75) : 1;
  const days = (t - o.start) / 86_400_000;
  const level = base * (1 + (o.trendPerDay ?? 0.003) * days);
  return level * weekendFactor * (1 + (o.daily ?? 0.3) * Math.sin(2 * Math.PI * (dayFrac - 0.25)));
}

export function synthetic(o: SyntheticOptions): { timestamps: Float64Array; values: Float64Array } {
  const normal = gaussian(rng(o.seed));
  const base = o.base ?? 1000;
  const timestamps = new Float64Array(o.points);
  const values = new Float64Array(o.points);
  for (let i = 0; i < o.points; i++) {
    const t = o.start + i * o.intervalMs;
    timestamps[i] = t;
    values[i] = expectedAt(t, o) + (o.noise ?? 0.02) * base * normal();
  }
  return { timestamps, values };
}
