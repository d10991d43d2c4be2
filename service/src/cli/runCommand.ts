import path from 'node:path';
import type { Command } from 'commander';
import {
  findProjectRoot,
  formatIssue,
  loadProject,
  selectFromProject,
  selectProfile,
  type LoadedProject,
} from '../config';
import { createLogger } from '../logging/logger';
import {
  createReporter,
  fmtInt,
  fmtTime,
  runMany,
  type MetricRunResult,
  type PipelineMetric,
  type Reporter,
  type RunOptions,
} from '../pipeline';
import { expandMetric, runContext } from '../pipeline/fromConfig';
import { errorMessage } from '../errors';
import { grafanaTargets, syncAlertRules } from '../grafana';
import { Store } from '../storage';
import { parseCliDate, parseSteps } from './runOptions';
import { keepSelectedSeries, splitSeriesSelectors } from './seriesSelector';

interface RunFlags {
  select?: string[];
  exclude?: string[];
  steps?: string;
  from?: string;
  to?: string;
  fullRefresh?: boolean;
  force?: boolean;
  profile?: string;
  project?: string;
  strict?: boolean;
  threads?: string;
}

const collect = (v: string, prev: string[] = []) => [...prev, v];

export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description('load, detect and alert for the selected metrics (detectkit compatible)')
    .requiredOption(
      '-s, --select <selector>',
      "metric name, path glob (metrics/api/*.yml) or tag:<tag>; repeatable; '*' for all",
      collect
    )
    .option('-e, --exclude <selector>', 'exclude metrics matching this selector; repeatable', collect)
    .option('--steps <steps>', 'comma-separated subset of load,detect,alert', 'load,detect,alert')
    .option('--from <date>', "start (YYYY-MM-DD or 'YYYY-MM-DD HH:MM:SS', UTC); affects load and detect")
    .option('--to <date>', 'end, exclusive (same formats)')
    .option('--full-refresh', 'delete stored datapoints and detections in the range, then recompute them')
    .option('--force', 'ignore the pipeline locks')
    .option('--profile <name>', 'database profile from profiles.yml')
    .option('--project <dir>', 'project directory (default: the nearest one above the current directory)')
    .option('--strict', 'unknown configuration keys are errors, not warnings')
    .option('--threads <n>', 'metrics processed at once (their storage work is batched together)', '32')
    .action(async (flags: RunFlags, cmd: Command) => {
      const globals = cmd.optsWithGlobals() as { verbose?: boolean };
      const opts: RunOptions = {
        steps: parseSteps(flags.steps),
        from: parseCliDate(flags.from, '--from'),
        to: parseCliDate(flags.to, '--to'),
        fullRefresh: Boolean(flags.fullRefresh),
        force: Boolean(flags.force),
      };
      const threads = Math.max(1, Number.parseInt(flags.threads ?? '32', 10) || 1);
      const out = createReporter();
      const root = findProjectRoot(path.resolve(flags.project ?? '.'));
      out.line(`Project root: ${root}`);
      // A broken metric file fails that metric only; the others still run.
      const project = loadProject(root, { strict: flags.strict, profile: flags.profile, partial: true });
      printWarnings(out, project);
      // `name{label="v"}` picks one series of a fan-out metric: select the definition, filter after the fan-out.
      const seriesSel = splitSeriesSelectors(flags.select);
      const selection = selectFromProject(project, seriesSel.selectors, flags.exclude);
      for (const w of selection.warnings) {
        out.line(w, 'yellow');
      }
      const selected = selection.metrics;
      out.line(`Found ${selected.length + selection.failed.length} metric(s) to process`);
      out.line();
      const logger = createLogger({ level: globals.verbose ? 'debug' : 'warn', pretty: true });
      const profile = selectProfile(root, flags.profile);
      const store = await Store.open(profile.profile, { baseDir: root, logger, profileName: profile.name });
      const results: MetricRunResult[] = selection.failed.map((f) => {
        const errors = f.issues.filter((i) => i.severity === 'error');
        out.line(`Processing metric: ${f.name ?? f.relPath}`, 'cyan');
        out.line(`  Config file: ${f.relPath}`);
        for (const i of errors) {
          out.line(`  ✗ ${formatIssue(i)}`, 'red');
        }
        out.line();
        return {
          metric: f.name ?? f.relPath,
          status: 'failed',
          stepsCompleted: [],
          datapointsLoaded: 0,
          anomaliesDetected: 0,
          alertsSent: 0,
          detectors: [],
          error: `invalid configuration in ${f.relPath}: ${errors.map((i) => formatIssue(i)).join('; ')}`,
        };
      });
      try {
        // One tick: metrics that need the same Prometheus query or scrape URL share one request.
        const ctx = runContext({ from: opts.from, to: opts.to, alertChannels: project.profiles?.alert_channels });
        const metrics = (
          await Promise.all(
            selected.map(async (m) => keepSelectedSeries(m.name, await expandMetric(store, root, m, ctx), seriesSel))
          )
        ).flat();
        for (const m of selected) {
          const n = metrics.filter((x) => x.relPath === m.relPath && !x.failure).length;
          if (m.config.source?.type === 'prometheus' && n > 0) {
            out.line(`${m.name}: ${n} series`);
          }
        }
        await store.syncMetricInfo(metrics.filter((m) => !m.failure).map((m) => m.info));
        await syncGrafanaRules(
          out,
          store,
          metrics,
          selected.length === project.metrics.length && seriesSel.series.size === 0
        );
        results.push(...(await runMany({ store, reporter: out, logger }, metrics, opts, threads, printHeader)));
      } finally {
        await store.close();
      }
      const failed = results.filter((r) => r.status === 'failed');
      const anomalies = results.reduce((a, r) => a + r.anomaliesDetected, 0);
      out.line();
      out.line(
        `Done: ${results.length - failed.length} succeeded, ${failed.length} failed; ${fmtInt(results.reduce((a, r) => a + r.datapointsLoaded, 0))} datapoints loaded, ${fmtInt(anomalies)} anomalies detected`,
        failed.length ? 'red' : 'green'
      );
      for (const f of failed) {
        out.line(`  ✗ ${f.metric}: ${f.error}`, 'red');
      }
      // Cron-friendly: any failed metric makes the run fail.
      process.exitCode = failed.length > 0 ? 1 : 0;
    });
}

function printWarnings(out: Reporter, project: LoadedProject): void {
  for (const w of project.issues.filter((i) => i.severity === 'warning')) {
    out.line(`Warning: ${formatIssue(w)}`, 'yellow');
  }
}

/**
 * Keeps one Grafana-managed rule per metric that alerts through a `grafana` channel. A failure is reported and the
 * run goes on: the alert step still writes each metric's state to `_dtk_alerts`.
 */
async function syncGrafanaRules(out: Reporter, store: Store, metrics: PipelineMetric[], wholeProject: boolean) {
  for (const target of grafanaTargets(metrics)) {
    try {
      const r = await syncAlertRules({ grafana: target, metrics, store, prune: wholeProject });
      out.line(
        `Grafana rules (${target.name}): ${r.created.length} created, ${r.updated.length} updated, ${r.unchanged.length} unchanged, ${r.deleted.length} deleted`
      );
    } catch (e) {
      out.line(`✗ Grafana rules (${target.name}) not synced: ${errorMessage(e)}`, 'red');
    }
  }
}

/** detectkit's per-metric header (§3.3). */
function printHeader(r: Reporter, m: PipelineMetric, opts: RunOptions): void {
  r.line(`Processing metric: ${m.name}`, 'cyan');
  r.line(`  Config file: ${m.relPath}`);
  r.line(`  Steps: ${[...opts.steps].join(', ')}`);
  if (opts.from !== undefined) {
    r.line(`  From: ${fmtTime(opts.from)}`);
  }
  if (opts.to !== undefined) {
    r.line(`  To: ${fmtTime(opts.to)}`);
  }
  if (opts.fullRefresh) {
    r.line('  Full refresh: YES', 'yellow');
  }
  if (opts.force) {
    r.line('  Force: YES (ignoring locks)', 'yellow');
  }
}
