import type { InputType, SmoothingMethod } from '../../../common/detectors';

/**
 * detectkit's preprocessing (reference §4.2): smoothing first, then the input_type transform. Non-finite results
 * (±Infinity from a division by zero in `changes`, `log(0)`) become NaN, i.e. missing: detectkit treats them as
 * data, which poisons every window they enter (compatibility doc).
 */

export interface PreprocessOptions {
  inputType: InputType;
  smoothing: SmoothingMethod | null;
  smoothingAlpha: number;
  smoothingWindow: number;
}

export interface Preprocessed {
  /** After smoothing (the raw values, cleaned, when no smoothing is set). */
  smoothed: Float64Array;
  /** The compared value: NaN = missing. */
  processed: Float64Array;
}

/** Raw values with ±Infinity as missing: an infinite measurement carries no usable level. */
function finiteOrNaN(values: Float64Array): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    out[i] = Number.isFinite(v) ? v + 0 : NaN; // + 0 turns -0 into 0
  }
  return out;
}

/**
 * EMA: `ema[t] = ema[t-1]` on a missing point, else `α·v + (1-α)·ema[t-1]`. Seeded with the first valid value:
 * detectkit seeds with v[0], so a leading NaN made the whole series NaN.
 */
export function ema(values: Float64Array, alpha: number): Float64Array {
  const out = new Float64Array(values.length);
  let prev = NaN;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isNaN(prev)) {
      prev = v;
    } else if (!Number.isNaN(v)) {
      prev = alpha * v + (1 - alpha) * prev;
    }
    out[i] = prev;
  }
  return out;
}

/** SMA: mean of the non-missing values of the trailing window `[t-w+1, t]`, NaN when it has none. */
export function sma(values: Float64Array, window: number): Float64Array {
  const out = new Float64Array(values.length);
  let sum = 0;
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isNaN(v)) {
      sum += v;
      count++;
    }
    const leaving = i - window;
    if (leaving >= 0 && !Number.isNaN(values[leaving]!)) {
      sum -= values[leaving]!;
      count--;
    }
    if (leaving >= 0 && leaving % window === 0) {
      // Re-sum once per window so add/subtract rounding never accumulates past one window's worth.
      sum = 0;
      for (let j = leaving + 1; j <= i; j++) {
        const u = values[j]!;
        if (!Number.isNaN(u)) {
          sum += u;
        }
      }
    }
    out[i] = count > 0 ? sum / count : NaN;
  }
  return out;
}

function transform(v: Float64Array, inputType: InputType): Float64Array {
  const n = v.length;
  const out = new Float64Array(n);
  if (inputType === 'values') {
    out.set(v);
    return out;
  }
  if (n > 0) {
    out[0] = NaN;
  }
  for (let i = 1; i < n; i++) {
    const a = v[i - 1]!;
    const b = v[i]!;
    let r: number;
    if (inputType === 'changes') {
      r = (b - a) / a;
    } else if (inputType === 'absolute_changes') {
      r = b - a;
    } else {
      r = Math.log(b + 1) - Math.log(a + 1);
    }
    out[i] = Number.isFinite(r) ? r + 0 : NaN;
  }
  return out;
}

export function preprocess(values: Float64Array, opts: PreprocessOptions): Preprocessed {
  const clean = finiteOrNaN(values);
  let smoothed = clean;
  if (opts.smoothing === 'ema') {
    smoothed = ema(clean, opts.smoothingAlpha);
  } else if (opts.smoothing === 'sma') {
    smoothed = sma(clean, opts.smoothingWindow);
  }
  return { smoothed, processed: transform(smoothed, opts.inputType) };
}
