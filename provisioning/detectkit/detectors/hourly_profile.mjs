/**
 * Example `type: custom` detector for dtk (docs/detectors-forecast.md, "Custom detectors").
 *
 * An hour-of-day profile learnt online: for every hour of the day (separately for weekdays and weekends, when
 * `split_weekends` is set) it keeps a running mean and variance of the values seen so far, in the detector's
 * persisted `state`. A point's band is mean ± k × standard deviation of its hour. Because the profile lives in the
 * state, the detector needs no history window: each run only sees the new points and continues where the last
 * run stopped. Anomalous points are not learnt, so an incident does not become the new normal.
 *
 * Used by the demo metric metrics/api_requests_custom.yml:
 *
 *   detectors:
 *     - type: custom
 *       params:
 *         module: detectors/hourly_profile.mjs      # relative to the project root
 *         options: { k: 5, split_weekends: true }     # checked against paramsSchema below
 *
 * The contract, in short: export `detect` (and optionally `paramsSchema` or `validateParams`, `meta`); detect
 * receives { timestamps, values, params, state, evaluateFrom, intervalMs } and returns one entry per input point in
 * `lower` / `upper` (numbers, or null for "no band"), optionally `anomaly`, `expected`, `metadata`, and `state`
 * to store for the next run. It runs in a worker thread with a timeout and a memory limit.
 */

export const meta = { name: 'hourly_profile', version: '1' };

/** JSON Schema of `options` (dtk validates it and fills the defaults before calling detect). */
export const paramsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    k: { type: 'number', exclusiveMinimum: 0, default: 4, description: 'band half-width in standard deviations' },
    alpha: {
      type: 'number',
      exclusiveMinimum: 0,
      maximum: 1,
      default: 0.05,
      description: 'weight of a new value once an hour has min_samples values (exponential forgetting)',
    },
    min_samples: { type: 'integer', minimum: 2, default: 12, description: 'values an hour needs before it has a band' },
    split_weekends: { type: 'boolean', default: false, description: 'separate profiles for Saturdays and Sundays' },
  },
};

const HOUR = 3_600_000;
const DAY = 86_400_000;

function slotOf(t, splitWeekends) {
  const hour = Math.floor((t % DAY) / HOUR);
  if (!splitWeekends) {
    return `h${hour}`;
  }
  const dow = new Date(t).getUTCDay();
  return `${dow === 0 || dow === 6 ? 'weekend' : 'weekday'}-h${hour}`;
}

/** Welford's running mean/variance until min_samples, then an exponentially weighted one. */
function learn(s, v, params) {
  if (s.n < params.min_samples) {
    s.n += 1;
    const d = v - s.mean;
    s.mean += d / s.n;
    s.m2 += d * (v - s.mean);
    s.variance = s.n > 1 ? s.m2 / (s.n - 1) : 0;
    return;
  }
  const d = v - s.mean;
  s.mean += params.alpha * d;
  s.variance = (1 - params.alpha) * (s.variance + params.alpha * d * d);
  s.n += 1;
}

export function detect({ timestamps, values, params, state, evaluateFrom }) {
  const n = values.length;
  // The first run gets state = null; later runs get what the previous run returned.
  const st = state ?? { version: 1, lastTimestamp: null, slots: {} };
  const lower = new Array(n).fill(null);
  const upper = new Array(n).fill(null);
  const expected = new Array(n).fill(null);
  const metadata = new Array(n).fill(null);
  for (let i = 0; i < n; i++) {
    const t = timestamps[i];
    if (evaluateFrom !== null && t < evaluateFrom) {
      continue; // history the pipeline loaded for context: not ours to judge
    }
    const key = slotOf(t, params.split_weekends);
    const slot = st.slots[key];
    if (slot && slot.n >= params.min_samples) {
      const sd = Math.max(Math.sqrt(slot.variance), 1e-9 * Math.abs(slot.mean), 1e-12);
      lower[i] = slot.mean - params.k * sd;
      upper[i] = slot.mean + params.k * sd;
      expected[i] = slot.mean;
      metadata[i] = { profile: key, samples: slot.n };
    } else {
      metadata[i] = { profile: key, samples: slot ? slot.n : 0, reason: 'warming_up' };
    }
    const v = values[i];
    // Learn each point once (a re-run over old points judges them but does not learn them twice), and never
    // learn an anomaly.
    const fresh = st.lastTimestamp === null || t > st.lastTimestamp;
    const outside = lower[i] !== null && (v < lower[i] || v > upper[i]);
    if (Number.isFinite(v) && fresh) {
      if (!outside) {
        st.slots[key] ??= { n: 0, mean: 0, m2: 0, variance: 0 };
        learn(st.slots[key], v, params);
      }
      st.lastTimestamp = t;
    }
  }
  return { lower, upper, expected, metadata, state: st };
}
