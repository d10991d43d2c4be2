import fs from 'node:fs';
import { Option, type Command } from 'commander';
import {
  DETECTOR_TYPES,
  type DetectionOutput,
  type SeasonalityComponent,
  type SeasonalityKey,
} from '../../../common/detectors';
import {
  createDetector,
  floatKeysFromJson,
  isTimeFeature,
  parseSeriesCsv,
  resolveType,
  timeFeature,
} from '../detectors';
import { bandScore } from '../../../common/detectors/score';
import { DtkError, errorMessage } from '../errors';

interface DetectOptions {
  input: string;
  type: string;
  params?: string;
  format: 'csv' | 'json';
}

/**
 * `dtk detect`: one detector over a CSV export, one output row per input point. How users try detectors on
 * their data and how we compare with other tools.
 */
export function registerDetectCommand(program: Command): void {
  program
    .command('detect')
    .description('run one detector over a CSV (timestamp,value[,seasonality columns]) and print one row per point')
    .requiredOption('--input <file>', 'CSV with header timestamp,value[,extra columns used as seasonality keys]')
    .requiredOption('--type <type>', `detector type: ${DETECTOR_TYPES.join(', ')}`)
    .option('--params <json>', 'detector parameters as a JSON object, e.g. \'{"threshold": 3, "window_size": 100}\'')
    .addOption(new Option('--format <format>', 'output format').choices(['csv', 'json']).default('csv'))
    .addHelpText(
      'after',
      `\nOutput columns: ${DETECT_COLUMNS.join(',')}\n` +
        'score: distance from the band centre in half band widths (> 1 outside the band; empty where not measurable).\n' +
        'A custom detector module path (--type custom --params \'{"module": "x.mjs"}\') is relative to the current\n' +
        'directory; its state store is not used.\n' +
        'Seasonality components may name CSV columns or the timestamp features hour, day_of_week, day_of_month,\n' +
        'month, is_weekend, is_holiday (UTC).'
    )
    .action(async (opts: DetectOptions) => {
      await runDetect(opts, (chunk) => process.stdout.write(chunk));
    });
}

function parseParams(text: string | undefined): { params: Record<string, unknown>; floatKeys: Set<string> } {
  if (text === undefined) {
    return { params: {}, floatKeys: new Set() };
  }
  let params: unknown;
  try {
    params = JSON.parse(text);
  } catch (e) {
    throw new DtkError('usage', `--params is not valid JSON: ${errorMessage(e)}`);
  }
  if (params === null || typeof params !== 'object' || Array.isArray(params)) {
    throw new DtkError('usage', '--params must be a JSON object, e.g. \'{"threshold": 3}\'');
  }
  return { params: params as Record<string, unknown>, floatKeys: floatKeysFromJson(text) };
}

function readInput(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new DtkError('usage', `cannot read --input ${file}: ${errorMessage(e)}`);
  }
}

/** Adds timestamp-derived features that components name but the CSV lacks. */
function withTimeFeatures(
  components: SeasonalityComponent[] | null | undefined,
  seasonality: Record<string, SeasonalityKey[]>,
  timestamps: Float64Array
): Record<string, SeasonalityKey[]> {
  const out = { ...seasonality };
  for (const c of components ?? []) {
    for (const col of typeof c === 'string' ? [c] : c) {
      if (!(col in out) && isTimeFeature(col)) {
        out[col] = timeFeature(col, timestamps);
      }
    }
  }
  return out;
}

/**
 * Through `run()`, as the pipeline does: Prophet's model loads asynchronously and custom modules run in a worker.
 * No metric is passed, so a custom detector's state store is neither read nor written.
 */
export async function runDetect(opts: DetectOptions, write: (chunk: string) => void): Promise<DetectionOutput> {
  const type = resolveType(opts.type);
  const { params, floatKeys } = parseParams(opts.params);
  let detector;
  try {
    detector = createDetector(type, params, { floatKeys, root: process.cwd() });
  } catch (e) {
    throw e instanceof DtkError ? new DtkError('usage', `--params: ${e.message}`, { cause: e }) : e;
  }
  const csv = parseSeriesCsv(readInput(opts.input));
  const components = 'seasonality_components' in detector.params ? detector.params.seasonality_components : null;
  const out = await detector.run({
    timestamps: csv.timestamps,
    values: csv.values,
    seasonality: withTimeFeatures(components, csv.seasonality, csv.timestamps),
  });
  if (opts.format === 'json') {
    writeJson(out, write);
  } else {
    writeCsv(out, write);
  }
  return out;
}

const pad2 = (v: number): string => (v < 10 ? `0${v}` : String(v));

/** toISOString with the date part cached per day: formatting dominated the output of a 1M-row run. */
export function isoFormatter(): (t: number) => string {
  let dayStart = NaN;
  let prefix = '';
  return (t: number) => {
    const off = t - dayStart;
    if (!(off >= 0 && off < 86_400_000)) {
      const iso = new Date(t).toISOString();
      dayStart = t - (((t % 86_400_000) + 86_400_000) % 86_400_000);
      prefix = iso.slice(0, 11);
      return iso;
    }
    const ms = off % 1000;
    const sec = Math.floor(off / 1000);
    return `${prefix}${pad2(Math.floor(sec / 3600))}:${pad2(Math.floor(sec / 60) % 60)}:${pad2(sec % 60)}.${ms < 10 ? '00' : ms < 100 ? '0' : ''}${ms}Z`;
  };
}

/** A CSV number cell: NaN (missing) is empty. */
export const num = (v: number): string => (Number.isNaN(v) ? '' : String(v));

/** The output columns of `dtk detect` (`dtk export` adds the detector's id and name). */
export const DETECT_COLUMNS = [
  'timestamp',
  'value',
  'processed_value',
  'is_anomaly',
  'confidence_lower',
  'confidence_upper',
  'score',
] as const;

function writeCsv(out: DetectionOutput, write: (chunk: string) => void): void {
  const iso = isoFormatter();
  let buf = `${DETECT_COLUMNS.join(',')}\n`;
  for (let i = 0; i < out.length; i++) {
    buf +=
      `${iso(out.timestamps[i]!)},${num(out.values[i]!)},${num(out.processed[i]!)},` +
      `${out.isAnomaly[i] ? 'true' : 'false'},${num(out.lower[i]!)},${num(out.upper[i]!)},` +
      `${num(bandScore(out.processed[i]!, out.lower[i]!, out.upper[i]!))}\n`;
    if (buf.length > 1 << 16) {
      write(buf);
      buf = '';
    }
  }
  write(buf);
}

/** JSON has no NaN/Infinity: non-finite numbers (e.g. severity inf on a zero spread) become strings. */
export const finite = (_key: string, v: unknown): unknown =>
  typeof v === 'number' && !Number.isFinite(v) ? (Number.isNaN(v) ? null : v > 0 ? 'Infinity' : '-Infinity') : v;

function writeJson(out: DetectionOutput, write: (chunk: string) => void): void {
  write('[');
  let buf = '';
  for (let i = 0; i < out.length; i++) {
    const row = {
      timestamp: new Date(out.timestamps[i]!).toISOString(),
      value: out.values[i],
      processed_value: out.processed[i],
      is_anomaly: out.isAnomaly[i] === 1,
      confidence_lower: Number.isNaN(out.lower[i]!) ? null : out.lower[i],
      confidence_upper: Number.isNaN(out.upper[i]!) ? null : out.upper[i],
      score: bandScore(out.processed[i]!, out.lower[i]!, out.upper[i]!),
      detection_metadata: out.metadata(i),
    };
    buf += `${i ? ',' : ''}\n${JSON.stringify(row, finite)}`;
    if (buf.length > 1 << 16) {
      write(buf);
      buf = '';
    }
  }
  write(`${buf}\n]\n`);
}
