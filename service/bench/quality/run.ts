import { createDetector } from '../../src/detectors';
import { printTable } from '../table';
import { figures, scoreEvents, sumScores, type EventScore } from './events';
import { loadDataset, syntheticSeries, type LabelledSeries } from './series';

/**
 * `npm run bench:quality`: event-level detection quality of the recommended configuration and of detectkit's
 * default detectors (mad, zscore, iqr with their default parameters) over the Cloud Monitoring Dataset and
 * generated labelled series. One configuration for every file: no per-file tuning.
 */
const TOLERANCE = 5;

type Flagger = (s: LabelledSeries) => Uint8Array;

const detectkit =
  (type: 'mad' | 'zscore' | 'iqr', params: Record<string, unknown> = {}): Flagger =>
  (s) =>
    createDetector(type, params).detect({ timestamps: s.timestamps, values: s.values, seasonality: {} }).isAnomaly;

/** Thresholds tried when detectkit's detectors are given the recommended configuration's alarm budget. */
const THRESHOLDS = [3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 50, 75, 100];

/**
 * Each detectkit detector with the smallest threshold (from THRESHOLDS) whose false alarms on the anomaly-free
 * series are within `budget` per 10k points: recall and F1 at the same alarm rate, the comparison an operator
 * with a pager cares about. One threshold for all series, like everything here.
 */
function atBudget(series: LabelledSeries[], budget: number): Array<Array<string | number>> {
  return (['mad', 'zscore', 'iqr'] as const).map((type) => {
    for (const threshold of THRESHOLDS) {
      const scores = series.map((s) => scoreEvents(s.labels, detectkit(type, { threshold })(s), TOLERANCE));
      const quiet = sumScores(scores.filter((x) => x.labelled === 0));
      const fa = (quiet.flagged / Math.max(1, quiet.points)) * 10_000;
      if (fa <= budget) {
        const f = figures(sumScores(scores));
        return [`detectkit ${type}`, threshold, pct(f.precision), pct(f.recall), f.f1.toFixed(3), fa.toFixed(2)];
      }
    }
    return [`detectkit ${type}`, `> ${THRESHOLDS[THRESHOLDS.length - 1]}`, '–', '–', '–', '–'];
  });
}

/**
 * A reference, not a detector: each point flagged at random with the probability that detectkit's MAD flags the
 * points of that series. It shows how much of a flooding detector's event recall the flood alone buys.
 */
const randomAtMadRate: Flagger = (s) => {
  const mad = detectkit('mad')(s);
  let flagged = 0;
  for (const f of mad) {
    flagged += f;
  }
  const rate = flagged / Math.max(1, mad.length);
  let seed = 12345;
  return Uint8Array.from(mad, () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 2 ** 32 < rate ? 1 : 0;
  });
};

const CONFIGS: Array<[string, Flagger]> = [
  [
    'recommended (robust)',
    (s) => createDetector('robust', {}).detect({ timestamps: s.timestamps, values: s.values }).isAnomaly,
  ],
  ['detectkit mad', detectkit('mad')],
  ['detectkit zscore', detectkit('zscore')],
  ['detectkit iqr', detectkit('iqr')],
];

/** Extra rows of the overall table only (their time is not a detector's). */
const REFERENCES: Array<[string, Flagger]> = [['random flags at mad’s rate (reference)', randomAtMadRate]];

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

function main(): void {
  const series = [...loadDataset(), ...syntheticSeries()];
  const perFile: Array<Array<string | number>> = [];
  const totals = new Map<string, { all: EventScore[]; quiet: EventScore[]; ms: number; points: number }>();
  /** Generated series by interval: event F1 and false alarms per 10k, per configuration. */
  const byInterval = new Map<string, Map<string, EventScore[]>>();
  for (const s of series) {
    const row: Array<string | number> = [`${s.group}/${s.name}`, s.values.length];
    for (const [name, flag] of [...CONFIGS, ...REFERENCES]) {
      const t0 = performance.now();
      const flags = flag(s);
      const ms = performance.now() - t0;
      const sc = scoreEvents(s.labels, flags, TOLERANCE);
      const tot = totals.get(name) ?? { all: [], quiet: [], ms: 0, points: 0 };
      tot.all.push(sc);
      if (sc.labelled === 0) {
        tot.quiet.push(sc);
      }
      if (s.group.startsWith('synthetic/')) {
        const g = byInterval.get(s.group) ?? new Map<string, EventScore[]>();
        g.set(name, [...(g.get(name) ?? []), sc]);
        byInterval.set(s.group, g);
      }
      tot.ms += ms;
      tot.points += s.values.length;
      totals.set(name, tot);
      if (REFERENCES.some(([r]) => r === name)) {
        continue;
      }
      const f = figures(sc);
      row.push(
        sc.labelled === 0 ? `${sc.flagged} alarms` : `${f.f1.toFixed(2)} (${sc.found}/${sc.labelled}, ${sc.flagged})`
      );
    }
    perFile.push(row);
  }
  printTable(
    `Per file: event F1 (labelled events found / labelled, events flagged); tolerance ±${TOLERANCE} points`,
    ['series', 'points', ...CONFIGS.map(([n]) => n)],
    perFile
  );
  printTable(
    'Generated series by interval: event F1 on the labelled ones / false alarms per 10k points on the anomaly-free ones',
    ['interval', ...CONFIGS.map(([n]) => n)],
    [...byInterval].map(([group, g]) => [
      group.replace('synthetic/', ''),
      ...CONFIGS.map(([n]) => {
        const xs = g.get(n) ?? [];
        const labelled = figures(sumScores(xs.filter((x) => x.labelled > 0)));
        const quiet = sumScores(xs.filter((x) => x.labelled === 0));
        return `${labelled.f1.toFixed(2)} / ${((quiet.flagged / Math.max(1, quiet.points)) * 10_000).toFixed(2)}`;
      }),
    ])
  );
  const rows = [...CONFIGS, ...REFERENCES].map(([name]) => {
    const t = totals.get(name)!;
    const all = figures(sumScores(t.all));
    const quiet = sumScores(t.quiet);
    return [
      name,
      pct(all.precision),
      pct(all.recall),
      all.f1.toFixed(3),
      all.earlyF1.toFixed(3),
      ((quiet.flagged / Math.max(1, quiet.points)) * 10_000).toFixed(2),
      REFERENCES.some(([r]) => r === name) ? '–' : Math.round(t.points / (t.ms / 1000)),
    ];
  });
  const ours = figures(sumScores(totals.get(CONFIGS[0]![0])!.all));
  const oursFa = sumScores(totals.get(CONFIGS[0]![0])!.quiet);
  const budget = (oursFa.flagged / Math.max(1, oursFa.points)) * 10_000;
  printTable(
    `detectkit's detectors at the recommended configuration's alarm rate (≤ ${budget.toFixed(2)} false alarms / 10k points): the smallest threshold that stays within it`,
    ['configuration', 'threshold', 'precision', 'recall', 'event F1', 'false alarms / 10k'],
    [
      [
        'recommended (robust)',
        'defaults',
        pct(ours.precision),
        pct(ours.recall),
        ours.f1.toFixed(3),
        budget.toFixed(2),
      ],
      ...atBudget(series, budget),
    ]
  );
  printTable(
    `Overall (${series.length} series, ${series.reduce((a, s) => a + s.values.length, 0).toLocaleString('en-US')} points)`,
    [
      'configuration',
      'precision',
      'recall',
      'event F1',
      'early F1',
      'false alarms / 10k points (anomaly-free series)',
      'points/s',
    ],
    rows
  );
}

main();
