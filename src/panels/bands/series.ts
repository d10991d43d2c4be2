import { FieldType, type DataFrame, type Field } from '@grafana/data';
import type { DetectorBand, SeriesResponse } from '../../../common/api/series';
import { finiteScore } from '../../../common/detectors/score';

/**
 * Query results → the band chart's input. Any frame with a time field and numeric fields qualifies; the fields'
 * roles are read from their names, so frames from SQL or Prometheus work as well as this plugin's data source:
 *
 * - a band is a lower/upper pair with the same prefix (`cpu mad lower` + `cpu mad upper`, `lower_bound` +
 *   `upper_bound`, `yhat_lower` + `yhat_upper`), or an upper field whose `custom.fillBelowTo` names its lower one;
 * - anomalies are a field named `<prefix> anomaly` (also `anomalies`, `is_anomaly`) or a boolean field: a flag
 *   (true / non-zero) per point, or, when drawn as points (this data source's encoding), the value where
 *   anomalous and null elsewhere;
 * - every other numeric field is a value line. A band or anomaly field belongs to the value field whose name
 *   starts its prefix (`cpu` for `cpu mad lower`, the remainder naming the detector), else to the frame's first.
 *
 * The detector id comes from the field's `detector_id` label when the data source set one, else its name.
 */
export function framesToSeries(frames: DataFrame[]): SeriesResponse[] {
  return frames.flatMap(frameToSeries);
}

/** The detectors found in query results, for the panel's "detectors shown" option. */
export function detectorsIn(frames: DataFrame[]): Array<{ id: string; name: string }> {
  const seen = new Map<string, string>();
  for (const s of framesToSeries(frames)) {
    for (const d of s.detectors) {
      if (!seen.has(d.detectorId)) {
        seen.set(d.detectorId, d.detectorName);
      }
    }
  }
  return [...seen].map(([id, name]) => ({ id, name }));
}

type Role = { kind: 'lower' | 'upper' | 'anomaly'; prefix: string };

const BOUND = /^(.*?)[\s_.-]*(lower|upper)(?:[\s_.-]*bound)?$/i;
const ANOMALY = /^(.*?)[\s_.-]*(?:is[\s_.-]*)?anomal(?:y|ies)$/i;

const fieldName = (f: Field) => f.config.displayNameFromDS ?? f.name;

function roleOf(f: Field): Role | null {
  const name = fieldName(f);
  const bound = BOUND.exec(name);
  if (bound) {
    return { kind: bound[2]!.toLowerCase() as 'lower' | 'upper', prefix: bound[1]!.trim() };
  }
  const anomaly = ANOMALY.exec(name);
  if (anomaly || f.type === FieldType.boolean) {
    return { kind: 'anomaly', prefix: anomaly ? anomaly[1]!.trim() : name };
  }
  return null;
}

interface Group {
  prefix: string;
  lower?: Field;
  upper?: Field;
  anomaly?: Field;
}

function frameToSeries(frame: DataFrame): SeriesResponse[] {
  const time = frame.fields.find((f) => f.type === FieldType.time);
  const candidates = frame.fields.filter((f) => f.type === FieldType.number || f.type === FieldType.boolean);
  if (!time || candidates.length === 0 || frame.length === 0) {
    return [];
  }
  const byName = new Map(candidates.map((f) => [fieldName(f), f] as const));
  const roles = new Map<Field, Role>();
  // fillBelowTo is explicit: it wins over names.
  for (const f of candidates) {
    const target = f.config.custom?.fillBelowTo;
    const lower = typeof target === 'string' ? byName.get(target) : undefined;
    if (lower && lower !== f) {
      const prefix = roleOf(f)?.prefix ?? fieldName(f);
      roles.set(f, { kind: 'upper', prefix });
      roles.set(lower, { kind: 'lower', prefix });
    }
  }
  for (const f of candidates) {
    const r = roles.has(f) ? undefined : roleOf(f);
    if (r) {
      roles.set(f, r);
    }
  }
  const valueFields = candidates.filter((f) => !roles.has(f) && f.type === FieldType.number);
  const groups = new Map<string, Group>();
  for (const [f, r] of roles) {
    const g = groups.get(r.prefix) ?? { prefix: r.prefix };
    g[r.kind] = f;
    groups.set(r.prefix, g);
  }

  const timestamps = numbers(time).map((t) => t ?? NaN);
  const series: SeriesResponse[] = valueFields.map((f) => ({
    metric: fieldName(f),
    timestamps,
    values: numbers(f),
    detectors: [],
  }));
  for (const g of groups.values()) {
    const owner = ownerOf(g.prefix, series);
    const target = owner ?? {
      metric: g.prefix || 'value',
      timestamps,
      values: timestamps.map(() => null),
      detectors: [],
    };
    if (!owner) {
      series.push(target);
    }
    target.detectors.push(toBand(g, target, timestamps.length));
  }
  return series;
}

/** The value series whose name is the longest start of the prefix; the first one when none is. */
function ownerOf(prefix: string, series: SeriesResponse[]): SeriesResponse | undefined {
  let best: SeriesResponse | undefined;
  for (const s of series) {
    const starts = prefix === s.metric || prefix.startsWith(`${s.metric} `) || prefix.startsWith(`${s.metric}_`);
    if (starts && (!best || s.metric.length > best.metric.length)) {
      best = s;
    }
  }
  return best ?? series[0];
}

function toBand(g: Group, owner: SeriesResponse, n: number): DetectorBand {
  const rest = g.prefix.startsWith(owner.metric)
    ? g.prefix.slice(owner.metric.length).replace(/^[\s_]+/, '')
    : g.prefix;
  const labels = (g.upper ?? g.lower ?? g.anomaly)?.labels ?? {};
  const name = labels.detector ?? (rest || 'band');
  const nulls = () => new Array<number | null>(n).fill(null);
  const lower = g.lower ? numbers(g.lower) : nulls();
  const upper = g.upper ? numbers(g.upper) : nulls();
  return {
    detectorId: labels.detector_id ?? name,
    detectorName: name,
    lower,
    upper,
    anomaly: g.anomaly ? flags(g.anomaly) : new Array<boolean>(n).fill(false),
    // Frames carry no score: the service's formula on the frame's values (the raw value, which is what
    // detectkit's detectors judge).
    score: Array.from(lower, (lo, i) => finiteScore(owner.values[i] ?? null, lo, upper[i] ?? null)),
  };
}

// Plain loops: these run over every point of every field (a million values for 100k points and 3 bands).
// `v === v` is false only for NaN.

function numbers(f: Field): Array<number | null> {
  const src = f.values as ArrayLike<unknown>;
  const out = new Array<number | null>(src.length);
  for (let i = 0; i < src.length; i++) {
    const v = src[i];
    out[i] = typeof v === 'number' && v === v ? v : null;
  }
  return out;
}

function flags(f: Field): boolean[] {
  // Drawn as points: the value at each anomaly (which may be 0), null elsewhere.
  const valueAtAnomaly = f.config.custom?.drawStyle === 'points';
  const src = f.values as ArrayLike<unknown>;
  const out = new Array<boolean>(src.length);
  for (let i = 0; i < src.length; i++) {
    const v = src[i];
    out[i] = valueAtAnomaly
      ? v !== null && v !== undefined && v === v
      : v === true || (typeof v === 'number' && v !== 0 && v === v);
  }
  return out;
}
