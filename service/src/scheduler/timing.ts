import { createHash } from 'node:crypto';
import { DtkError } from '../errors';

/**
 * When metrics run, and which replica runs them. Both are pure functions of the metric's name, so every replica
 * and every restart agrees without coordination.
 */

/** A stable 32-bit hash of a name (the first bytes of its SHA-1): the same on every machine and Node version. */
export function stableHash(name: string): number {
  return createHash('sha1').update(name).digest().readUInt32BE(0);
}

export interface Shard {
  /** 0-based. */
  index: number;
  count: number;
}

/** `--shard i/n` (1-based i, as operators count replicas: 1/3, 2/3, 3/3). */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const i = m ? Number(m[1]) : NaN;
  const n = m ? Number(m[2]) : NaN;
  if (!m || n < 1 || i < 1 || i > n) {
    throw new DtkError(
      'usage',
      `--shard ${JSON.stringify(text)}: expected i/n with 1 ≤ i ≤ n (e.g. 1/3 for the first of three replicas)`
    );
  }
  return { index: i - 1, count: n };
}

/**
 * Whether this replica runs the metric definition. A fan-out definition is sharded as a whole (its series are
 * listed by one query per tick), so the key is the definition's name.
 */
export function ownsMetric(definitionName: string, shard: Shard | undefined): boolean {
  return !shard || shard.count === 1 || stableHash(definitionName) % shard.count === shard.index;
}

export interface TimingOptions {
  /** Wait after the interval boundary before running (sources ingest late), ms. */
  delayMs: number;
  /** Most extra wait, spread per metric so a thousand metrics do not start in the same millisecond, ms. */
  jitterMs: number;
}

/** This metric's fixed offset after each boundary: delay plus its share of the jitter. */
export function offsetMs(name: string, intervalSeconds: number, t: TimingOptions): number {
  // The jitter never pushes a run past a fifth of its interval: a 10-second metric must still run every 10 s.
  const jitter = Math.min(t.jitterMs, intervalSeconds * 200);
  return t.delayMs + (jitter > 0 ? stableHash(`jitter:${name}`) % jitter : 0);
}

/** The first due time strictly after `now`, and the interval boundary that run serves. */
export function nextDue(now: number, intervalSeconds: number, offset: number): { due: number; tick: number } {
  const I = intervalSeconds * 1000;
  const tick = Math.floor((now - offset) / I) * I + I;
  return { due: tick + offset, tick };
}
