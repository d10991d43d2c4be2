import { z } from 'zod';

/**
 * Building blocks of the detector parameter schemas. Each message names the parameter, the allowed range and the
 * offending value, because the service prefixes it with the metric and the detector's position.
 */

export const got = (v: unknown): string => (typeof v === 'string' ? `'${v}'` : (JSON.stringify(v) ?? String(v)));

export function positiveNumber(name: string, def: number, range = '> 0') {
  return z
    .number({ error: (iss) => `${name} must be a number (allowed: ${range}), got ${got(iss.input)}` })
    .refine((v) => v > 0, { error: (iss) => `${name} must be positive (allowed: ${range}), got ${got(iss.input)}` })
    .default(def)
    .describe(name);
}

export function atLeast(name: string, min: number, def: number, why = '') {
  return z
    .number({ error: (iss) => `${name} must be an integer (allowed: >= ${min}), got ${got(iss.input)}` })
    .refine((v) => Number.isInteger(v), {
      error: (iss) => `${name} must be an integer (allowed: >= ${min}), got ${got(iss.input)}`,
    })
    .refine((v) => v >= min, {
      error: (iss) => `${name} must be at least ${min}${why} (allowed: >= ${min}), got ${got(iss.input)}`,
    })
    .default(def);
}

/** An integer in [min, max]. */
export function intBetween(name: string, min: number, max: number, def: number) {
  const range = `${min}..${max}`;
  return z
    .number({ error: (iss) => `${name} must be an integer (allowed: ${range}), got ${got(iss.input)}` })
    .refine((v) => Number.isInteger(v) && v >= min && v <= max, {
      error: (iss) => `${name} must be an integer in ${range}, got ${got(iss.input)}`,
    })
    .default(def);
}

/** A number >= 0. */
export function nonNegative(name: string, def: number) {
  return z
    .number({ error: (iss) => `${name} must be a number (allowed: >= 0), got ${got(iss.input)}` })
    .refine((v) => Number.isFinite(v) && v >= 0, {
      error: (iss) => `${name} must be a finite number >= 0, got ${got(iss.input)}`,
    })
    .default(def);
}

/** Execution parameters (reference §2.4): split off before the detector is built, never hashed. */
export const EXECUTION_PARAMS = ['start_time', 'batch_size'] as const;
export const executionParams = {
  start_time: z.string({ error: 'start_time must be a date-time string' }).optional(),
  batch_size: z
    .number({ error: 'batch_size must be an integer (allowed: >= 1)' })
    .int({ error: 'batch_size must be an integer (allowed: >= 1)' })
    .min(1, { error: 'batch_size must be at least 1 (allowed: >= 1)' })
    .optional(),
};

export function unknownKeyMessage(iss: { code?: string; keys?: string[] }): string | undefined {
  if (iss.code === 'unrecognized_keys') {
    return `unknown parameter${(iss.keys?.length ?? 0) > 1 ? 's' : ''} ${(iss.keys ?? []).map((k) => `'${k}'`).join(', ')}`;
  }
  if (iss.code === 'invalid_type') {
    return 'params must be a mapping of parameter names to values';
  }
  return undefined;
}

/** Which side of the band may be anomalous. */
export const BAND_DIRECTIONS = ['both', 'up', 'down'] as const;
export type BandDirection = (typeof BAND_DIRECTIONS)[number];

/**
 * Post-processing shared by every detector (DESIGN §7), applied to the detector's own verdicts. At their defaults
 * they change nothing and are not part of `detector_id`, so detectkit's detectors keep detectkit's numbers, ids
 * and metadata unless one of them is set.
 */
export const POSTPROCESS_DEFAULTS = { direction: 'both', min_deviation: 0, min_relative_deviation: 0 } as const;
export const POSTPROCESS_PARAMS = Object.keys(POSTPROCESS_DEFAULTS) as Array<keyof typeof POSTPROCESS_DEFAULTS>;

export const postprocessParams = {
  /** `up`: only points above the band are anomalies; `down`: only points below it. */
  direction: z
    .enum(BAND_DIRECTIONS, {
      error: (iss) => `direction must be one of: ${BAND_DIRECTIONS.join(', ')}; got ${got(iss.input)}`,
    })
    .default('both'),
  /** Absolute floor: a point is an anomaly only if it lies outside the band by more than this. */
  min_deviation: nonNegative('min_deviation', 0),
  /** Relative floor: … by more than this fraction of |expected value| (0.1 = 10 %). */
  min_relative_deviation: nonNegative('min_relative_deviation', 0),
};

export interface PostprocessParams {
  direction: BandDirection;
  min_deviation: number;
  min_relative_deviation: number;
}
