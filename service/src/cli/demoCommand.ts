import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { loadProject, selectMetrics, selectProfile } from '../config';
import { ensureDemoData } from '../demo/demoData';
import { errorMessage } from '../errors';
import { createLogger } from '../logging/logger';
import {
  alignDown,
  createReporter,
  fmtInt,
  fmtTime,
  runMetric,
  silentReporter,
  STEPS,
  type MetricRunResult,
  type PipelineMetric,
  type Reporter,
} from '../pipeline';
import { pipelineMetric } from '../pipeline/fromConfig';
import { Store } from '../storage';
import { startService, untilSignal } from './serveCommand';

const DEFAULT_PROJECT = path.resolve(__dirname, '../../../provisioning/detectkit');

interface DemoFlags {
  project?: string;
  days?: string;
  once?: boolean;
  port?: string;
  host?: string;
}

/**
 * The demo's API token: DTK_API_TOKEN, else one made on the first start and kept in `.dtk/api-token` (so the
 * Grafana app's configuration stays valid across restarts).
 */
function demoToken(root: string): { value: string; from: string; file: string } {
  const file = path.join(root, '.dtk', 'api-token');
  if (process.env.DTK_API_TOKEN) {
    return { value: process.env.DTK_API_TOKEN, from: 'DTK_API_TOKEN', file };
  }
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
  }
  return { value: fs.readFileSync(file, 'utf8').trim(), from: file, file };
}

/**
 * `npm start`: the demo project end to end on the embedded store. Creates the synthetic table,
 * backfills the last N days, prints what was found, then starts the service (scheduler + HTTP API) until Ctrl-C.
 */
export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('run the demo project: synthetic ops metrics, 30-day backfill, then detection every interval')
    .option('--project <dir>', 'demo project directory', DEFAULT_PROJECT)
    .option('--days <n>', 'days to backfill on the first run', '30')
    .option('--once', 'backfill, print the summary and exit')
    .option('--port <n>', 'HTTP port of the service', '8080')
    .option('--host <addr>', 'address the service listens on', '127.0.0.1')
    .action(async (flags: DemoFlags, cmd: Command) => {
      const globals = cmd.optsWithGlobals() as { verbose?: boolean };
      const out = createReporter();
      const logger = createLogger({ level: globals.verbose ? 'debug' : 'warn', pretty: true });
      const root = path.resolve(flags.project ?? DEFAULT_PROJECT);
      const days = Math.max(1, Number.parseInt(flags.days ?? '30', 10) || 30);
      const project = loadProject(root);
      const profile = selectProfile(root);
      const store = await Store.open(profile.profile, { baseDir: root, logger, profileName: profile.name });
      try {
        out.line(`dtk demo — project ${root}`, 'bold');
        out.line(`store: ${store.location.kind} ${store.location.where}`);
        const started = Date.now();
        await ensureDemoData(store, Date.now(), days);
        const metrics = selectMetrics(project, ['*']).map((m) => pipelineMetric(store, root, m));
        await store.syncMetricInfo(metrics.map((m) => m.info));
        const backfillFrom = Date.now() - days * 86_400_000;
        const first = await runOnce(store, metrics, logger, backfillFrom);
        await printSummary(
          out,
          store,
          metrics,
          first,
          backfillFrom,
          `Backfill of the last ${days} days`,
          Date.now() - started
        );
        if (flags.once) {
          return;
        }
        // The service takes over: the scheduler runs every metric on its grid, the API serves the Grafana app.
        const token = demoToken(root);
        const service = await startService({
          root,
          store,
          logger,
          port: Number.parseInt(flags.port ?? '8080', 10),
          host: flags.host ?? '127.0.0.1',
          token: token.value,
        });
        // The synthetic table grows with the clock, just before each scheduled run reads it.
        const feed = setInterval(() => {
          ensureDemoData(store, Date.now(), days).catch((e: unknown) =>
            out.line(`✗ demo data: ${errorMessage(e)}`, 'red')
          );
        }, 30_000);
        out.line(`Service up: ${service.url}  (API token: ${token.from})`, 'green');
        out.line(`  curl -H "Authorization: Bearer $(cat ${token.file})" ${service.url}/api/metrics`, 'dim');
        out.line("Detection runs on every metric's interval as new data arrives. Ctrl-C to stop.", 'dim');
        await untilSignal(logger, 20_000, async () => {
          clearInterval(feed);
          await service.stop(20_000);
        });
        out.line('stopped');
      } finally {
        await store.close();
      }
    });
}

/** Runs every metric (first run: from `backfillFrom` for metrics with no data yet). */
async function runOnce(
  store: Store,
  metrics: PipelineMetric[],
  logger: ReturnType<typeof createLogger>,
  backfillFrom?: number
): Promise<MetricRunResult[]> {
  return Promise.all(
    metrics.map(async (m) => {
      const hasData = (await store.lastDatapointTimestamp(m.name)) !== null;
      return runMetric({ store, reporter: silentReporter, logger }, m, {
        steps: new Set(STEPS),
        fullRefresh: false,
        force: false,
        from: hasData || backfillFrom === undefined ? undefined : alignDown(backfillFrom, m.intervalSeconds),
      });
    })
  );
}

/** Consecutive anomalous points (gaps of at most one interval) form one episode. */
function episodes(times: number[], intervalMs: number): Array<{ start: number; end: number; points: number }> {
  const out: Array<{ start: number; end: number; points: number }> = [];
  for (const t of times) {
    const last = out[out.length - 1];
    if (last && t - last.end <= 2 * intervalMs) {
      last.end = t;
      last.points++;
    } else {
      out.push({ start: t, end: t, points: 1 });
    }
  }
  return out;
}

async function printSummary(
  out: Reporter,
  store: Store,
  metrics: PipelineMetric[],
  results: MetricRunResult[],
  from: number,
  title: string,
  ms: number
): Promise<void> {
  out.line();
  out.line(`${title}: ${metrics.length} metrics in ${(ms / 1000).toFixed(1)} s`, 'bold');
  for (const [i, r] of results.entries()) {
    const m = metrics[i]!;
    out.line(`${r.metric}  (${fmtInt(r.datapointsLoaded)} points, every ${m.intervalSeconds / 60} min)`, 'cyan');
    if (r.status === 'failed') {
      out.line(`  ✗ ${r.error}`, 'red');
      continue;
    }
    const stored = await store.readDetections(m.name, { from });
    for (const d of m.detectors) {
      const id = d.detector.identity.id;
      const times = stored.filter((x) => x.detectorId === id && x.isAnomaly).map((x) => x.timestamp);
      const eps = episodes(times, m.intervalSeconds * 1000);
      out.line(
        `  ${d.type} (${id}): ${fmtInt(times.length)} anomalous points in ${eps.length} episode(s)`,
        times.length ? 'yellow' : 'green'
      );
      for (const e of eps.slice(-6)) {
        const span = e.points > 1 ? ` – ${fmtTime(e.end).slice(11, 16)}` : '';
        out.line(`    ${fmtTime(e.start).slice(0, 16)}${span} UTC  (${e.points} point${e.points > 1 ? 's' : ''})`);
      }
      if (eps.length > 6) {
        out.line(`    … and ${eps.length - 6} earlier`, 'dim');
      }
    }
  }
  out.line();
}
