import path from 'node:path';
import { Option, type Command } from 'commander';
import { ConfigError, findProjectRoot, loadProject, selectProfile } from '../config';
import { DtkError } from '../errors';
import { createLogger } from '../logging/logger';
import { Store, type Series, type StoredDetection } from '../storage';
import { bandScore } from '../../../common/detectors/score';
import { DETECT_COLUMNS, finite, isoFormatter, num } from './detectCommand';
import { parseCliDate } from './runOptions';

interface ExportFlags {
  from?: string;
  to?: string;
  format?: 'csv' | 'json';
  project?: string;
  profile?: string;
}

export const EXPORT_COLUMNS = [...DETECT_COLUMNS, 'detector_id', 'detector_name'] as const;

/** The score of a stored row (as `dtk detect` computes it), NaN where not measurable. */
const rowScore = (r: ExportRow): number => bandScore(r.processedValue, r.lower, r.upper);

/** One output row: a datapoint with one detector's result, or with none (detector fields null). */
export interface ExportRow {
  timestamp: number;
  /** The stored datapoint's value (NaN when missing). */
  value: number;
  processedValue: number | null;
  isAnomaly: boolean | null;
  lower: number | null;
  upper: number | null;
  detectorId: string | null;
  detectorName: string | null;
}

/**
 * `dtk export`: what a metric's runs stored, for notebooks and audits. The columns of `dtk detect` plus the
 * detector, one row per (timestamp, detector), so the output reads the same whichever command produced it.
 */
export function registerExportCommand(program: Command): void {
  program
    .command('export')
    .description("print a metric's stored datapoints with each detector's result (CSV or JSON) on stdout")
    .argument('<metric>', 'metric name')
    .option('--from <date>', "start, inclusive (YYYY-MM-DD or 'YYYY-MM-DD HH:MM:SS', UTC)")
    .option('--to <date>', 'end, exclusive (same formats)')
    .addOption(new Option('--format <format>', 'output format').choices(['csv', 'json']).default('csv'))
    .option('--project <dir>', 'project directory (default: the nearest one above the current directory)')
    .option('--profile <name>', 'database profile from profiles.yml')
    .addHelpText(
      'after',
      `\nColumns: ${EXPORT_COLUMNS.join(',')}\n` +
        'One row per timestamp and detector; a datapoint without detections has empty detector columns.'
    )
    .action(async (metric: string, flags: ExportFlags, cmd: Command) => {
      // `dtk export … | head` closes stdout early: that is not an error.
      process.stdout.on('error', (e: NodeJS.ErrnoException) => {
        if (e.code === 'EPIPE') {
          process.exit(process.exitCode ?? 0);
        }
        throw e;
      });
      const globals = cmd.optsWithGlobals() as { verbose?: boolean };
      await runExport(metric, flags, (s) => process.stdout.write(s), Boolean(globals.verbose));
    });
}

/** Runs the export; returns the number of rows written. */
export async function runExport(
  metric: string,
  flags: ExportFlags,
  write: (chunk: string) => void,
  verbose = false
): Promise<number> {
  const range = { from: parseCliDate(flags.from, '--from'), to: parseCliDate(flags.to, '--to') };
  if (range.from !== undefined && range.to !== undefined && range.from >= range.to) {
    throw new DtkError('usage', `--from (${flags.from}) must be before --to (${flags.to})`);
  }
  const root = findProjectRoot(path.resolve(flags.project ?? '.'));
  const configured = configuredNames(root, flags.profile);
  const profile = selectProfile(root, flags.profile);
  const logger = createLogger({ level: verbose ? 'debug' : 'warn', pretty: true });
  const store = await Store.open(profile.profile, { baseDir: root, logger, profileName: profile.name });
  let rows: ExportRow[];
  try {
    // A metric removed from the project keeps its rows: what is stored decides, the files only help the message.
    if ((await store.lastDatapointTimestamp(metric)) === null) {
      throw notStored(metric, configured, profile.name);
    }
    const [series, detections] = await Promise.all([
      store.readSeries(metric, range),
      store.readDetections(metric, range),
    ]);
    rows = exportRows(series, detections);
  } finally {
    await store.close();
  }
  if (flags.format === 'json') {
    writeExportJson(rows, write);
  } else {
    writeExportCsv(rows, write);
  }
  return rows.length;
}

/** Metric names of the project's files, for the not-found message; a broken project still exports. */
function configuredNames(root: string, profile: string | undefined): string[] {
  try {
    const p = loadProject(root, { partial: true, profile });
    return [...p.metrics.map((m) => m.name), ...p.failed.flatMap((f) => (f.name ? [f.name] : []))];
  } catch (e) {
    if (e instanceof ConfigError) {
      return [];
    }
    throw e;
  }
}

function notStored(metric: string, configured: string[], profile: string): DtkError {
  if (configured.includes(metric)) {
    return new DtkError(
      'not_found',
      `Metric '${metric}' has no stored datapoints (profile ${profile}); run dtk run -s ${metric} first`
    );
  }
  const similar = similarNames(metric, configured);
  const hint = similar.length
    ? ` Did you mean: ${similar.join(', ')}?`
    : configured.length
      ? ` Metrics in this project: ${[...configured].sort().join(', ')}.`
      : '';
  return new DtkError(
    'not_found',
    `Metric '${metric}' not found: no metric file names it and no datapoints are stored for it.${hint}`
  );
}

/** Names within a small edit distance of `name`, or containing it (closest first, at most five). */
export function similarNames(name: string, candidates: string[]): string[] {
  const lower = name.toLowerCase();
  const scored = [...new Set(candidates)]
    .map((c) => {
      const cl = c.toLowerCase();
      const d = editDistance(lower, cl);
      const contains = cl.includes(lower) || lower.includes(cl);
      return { c, d: contains ? Math.min(d, 1) : d };
    })
    .filter((x) => x.d <= Math.max(2, Math.floor(name.length / 3)))
    .sort((a, b) => a.d - b.d || a.c.localeCompare(b.c));
  return scored.slice(0, 5).map((x) => x.c);
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

/**
 * Joins datapoints and detections on the timestamp: one row per detector that judged a point (ordered by
 * detector_id), one empty-detector row for a point none judged. A detection whose datapoint was deleted is
 * kept, with the value the detector saw.
 */
export function exportRows(series: Series, detections: StoredDetection[]): ExportRow[] {
  const byTime = new Map<number, StoredDetection[]>();
  for (const d of detections) {
    const list = byTime.get(d.timestamp);
    if (list) {
      list.push(d);
    } else {
      byTime.set(d.timestamp, [d]);
    }
  }
  const values = new Map<number, number>();
  for (let i = 0; i < series.timestamps.length; i++) {
    values.set(series.timestamps[i]!, series.values[i]!);
  }
  const times = [...new Set([...values.keys(), ...byTime.keys()])].sort((a, b) => a - b);
  const rows: ExportRow[] = [];
  for (const t of times) {
    const ds = byTime.get(t);
    if (!ds) {
      rows.push({
        timestamp: t,
        value: values.get(t) ?? NaN,
        processedValue: null,
        isAnomaly: null,
        lower: null,
        upper: null,
        detectorId: null,
        detectorName: null,
      });
      continue;
    }
    ds.sort((a, b) => (a.detectorId < b.detectorId ? -1 : a.detectorId > b.detectorId ? 1 : 0));
    for (const d of ds) {
      rows.push({
        timestamp: t,
        value: values.get(t) ?? d.value ?? NaN,
        processedValue: d.processedValue,
        isAnomaly: d.isAnomaly,
        lower: d.lower,
        upper: d.upper,
        detectorId: d.detectorId,
        detectorName: d.detectorName,
      });
    }
  }
  return rows;
}

const cell = (v: number | null): string => (v === null ? '' : num(v));

/** RFC 4180 quoting: detector names hold parameters (`MADDetector:threshold=3.0,window_size=100`). */
const text = (v: string | null): string => (v === null ? '' : /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

export function writeExportCsv(rows: ExportRow[], write: (chunk: string) => void): void {
  const iso = isoFormatter();
  let buf = `${EXPORT_COLUMNS.join(',')}\n`;
  for (const r of rows) {
    buf +=
      `${iso(r.timestamp)},${num(r.value)},${cell(r.processedValue)},` +
      `${r.isAnomaly === null ? '' : r.isAnomaly ? 'true' : 'false'},${cell(r.lower)},${cell(r.upper)},` +
      `${num(rowScore(r))},${text(r.detectorId)},${text(r.detectorName)}\n`;
    if (buf.length > 1 << 16) {
      write(buf);
      buf = '';
    }
  }
  write(buf);
}

const orNull = (v: number | null): number | null => (v === null || Number.isNaN(v) ? null : v);

export function writeExportJson(rows: ExportRow[], write: (chunk: string) => void): void {
  write('[');
  let buf = '';
  rows.forEach((r, i) => {
    const row = {
      timestamp: new Date(r.timestamp).toISOString(),
      value: orNull(r.value),
      processed_value: orNull(r.processedValue),
      is_anomaly: r.isAnomaly,
      confidence_lower: orNull(r.lower),
      confidence_upper: orNull(r.upper),
      score: rowScore(r),
      detector_id: r.detectorId,
      detector_name: r.detectorName,
    };
    buf += `${i ? ',' : ''}\n${JSON.stringify(row, finite)}`;
    if (buf.length > 1 << 16) {
      write(buf);
      buf = '';
    }
  });
  write(`${buf}\n]\n`);
}
