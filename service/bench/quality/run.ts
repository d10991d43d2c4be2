import { createDetector } from '../../src/detectors';
import { detectRobust, ROBUST_DEFAULTS } from '../../src/detectors/robust/robust';
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
  (type: 'mad' | 'zscore' | 'iqr'): Flagger =>
  (s) =>
    createDetector(type, {}).detect({ timestamps: s.timestamps, values: s.values, seasonality: {} }).isAnomaly;

const CONFIGS: Array<[string, Flagger]> = [
  ['recommended', (s) => detectRobust(ROBUST_DEFAULTS, s.timestamps, s.values).isAnomaly],
  ['detectkit mad', detectkit('mad')],
  ['detectkit zscore', detectkit('zscore')],
  ['detectkit iqr', detectkit('iqr')],
];

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

function main(): void {
  const series = [...loadDataset(), ...syntheticSeries()];
  const perFile: Array<Array<string | number>> = [];
  const totals = new Map<string, { all: EventScore[]; quiet: EventScore[]; ms: number; points: number }>();
  for (const s of series) {
    const row: Array<string | number> = [`${s.group}/${s.name}`, s.values.length];
    for (const [name, flag] of CONFIGS) {
      const t0 = performance.now();
      const flags = flag(s);
      const ms = performance.now() - t0;
      const sc = scoreEvents(s.labels, flags, TOLERANCE);
      const tot = totals.get(name) ?? { all: [], quiet: [], ms: 0, points: 0 };
      tot.all.push(sc);
      if (sc.labelled === 0) {
        tot.quiet.push(sc);
      }
      tot.ms += ms;
      tot.points += s.values.length;
      totals.set(name, tot);
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
  const rows = CONFIGS.map(([name]) => {
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
      Math.round(t.points / (t.ms / 1000)),
    ];
  });
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
