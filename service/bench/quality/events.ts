/**
 * Event-level scoring of a detector's flags against labels. An event is a maximal run of consecutive labelled
 * (or flagged) points. A labelled event counts as found when a flag falls within `tolerance` points of it; a
 * flagged run counts as correct when it overlaps a labelled event widened by the tolerance. Operators act on
 * events (one page per incident), not on points, so this is what precision and recall mean here.
 */
export interface EventScore {
  labelled: number;
  found: number;
  flagged: number;
  correct: number;
  /** Σ over found events of (1 − delay / window): a flag at the start of the event scores 1. */
  earlyWeight: number;
  points: number;
}

export function runs(flags: ArrayLike<number | boolean>): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let start = -1;
  for (let i = 0; i <= flags.length; i++) {
    const on = i < flags.length && Boolean(flags[i]);
    if (on && start < 0) {
      start = i;
    } else if (!on && start >= 0) {
      out.push([start, i - 1]);
      start = -1;
    }
  }
  return out;
}

export function scoreEvents(
  labels: ArrayLike<number>,
  flags: ArrayLike<number | boolean>,
  tolerance: number
): EventScore {
  const truth = runs(labels);
  const predicted = runs(flags);
  const flagAt: number[] = [];
  for (let i = 0; i < flags.length; i++) {
    if (flags[i]) {
      flagAt.push(i);
    }
  }
  let found = 0;
  let earlyWeight = 0;
  let k = 0;
  for (const [s, e] of truth) {
    const lo = s - tolerance;
    const hi = e + tolerance;
    while (k < flagAt.length && flagAt[k]! < lo) {
      k++;
    }
    if (k < flagAt.length && flagAt[k]! <= hi) {
      found++;
      const delay = Math.max(0, flagAt[k]! - s);
      earlyWeight += Math.max(0, 1 - delay / (e - s + 1 + tolerance));
    }
  }
  let correct = 0;
  let t = 0;
  for (const [s, e] of predicted) {
    while (t < truth.length && truth[t]![1] + tolerance < s) {
      t++;
    }
    if (t < truth.length && truth[t]![0] - tolerance <= e) {
      correct++;
    }
  }
  return { labelled: truth.length, found, flagged: predicted.length, correct, earlyWeight, points: labels.length };
}

export function sumScores(xs: EventScore[]): EventScore {
  const z: EventScore = { labelled: 0, found: 0, flagged: 0, correct: 0, earlyWeight: 0, points: 0 };
  for (const x of xs) {
    z.labelled += x.labelled;
    z.found += x.found;
    z.flagged += x.flagged;
    z.correct += x.correct;
    z.earlyWeight += x.earlyWeight;
    z.points += x.points;
  }
  return z;
}

export interface Figures {
  precision: number;
  recall: number;
  f1: number;
  /** F1 with recall weighted by how early each event was flagged. */
  earlyF1: number;
  /** Flagged events per 10,000 points (meaningful on series without labels: every flag is a false alarm). */
  falseAlarmsPer10k: number;
}

const f1 = (p: number, r: number) => (p + r > 0 ? (2 * p * r) / (p + r) : 0);

export function figures(s: EventScore): Figures {
  const precision = s.flagged > 0 ? s.correct / s.flagged : s.labelled === 0 ? 1 : 0;
  const recall = s.labelled > 0 ? s.found / s.labelled : 1;
  const early = s.labelled > 0 ? s.earlyWeight / s.labelled : 1;
  return {
    precision,
    recall,
    f1: f1(precision, recall),
    earlyF1: f1(precision, early),
    falseAlarmsPer10k: s.points > 0 ? ((s.flagged - s.correct) / s.points) * 10_000 : 0,
  };
}
