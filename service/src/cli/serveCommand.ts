import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { parseInterval } from '../../../common/config/interval';
import type { AlertChannelConfig } from '../../../common/config/profiles';
import { MetricCatalog } from '../catalog';
import { findProjectRoot, loadProject, selectProfile } from '../config';
import { DtkError, errorMessage } from '../errors';
import { grafanaTargets, syncAlertRules } from '../grafana';
import { createLogger, type Logger } from '../logging/logger';
import { expandMetric, runContext } from '../pipeline/fromConfig';
import {
  DEFAULT_CONCURRENCY,
  DEFAULT_TIMING,
  parseShard,
  Scheduler,
  type Shard,
  type TimingOptions,
} from '../scheduler';
import { buildServer, ServiceMetrics } from '../server';
import { Store } from '../storage';
import { VERSION } from './version';

interface ServeFlags {
  project?: string;
  profile?: string;
  port: string;
  host: string;
  shard?: string;
  concurrency: string;
  delay: string;
  jitter: string;
  grace: string;
  reload: string;
  tokenFile?: string;
  insecureDev?: boolean;
  publicMetrics?: boolean;
  strict?: boolean;
}

/** The token: `--token-file`, else `DTK_API_TOKEN`; none is an error unless `--insecure-dev`. */
function readToken(flags: ServeFlags): string | null {
  if (flags.tokenFile) {
    try {
      return fs.readFileSync(path.resolve(flags.tokenFile), 'utf8').trim();
    } catch (e) {
      throw new DtkError('usage', `--token-file ${flags.tokenFile}: ${errorMessage(e)}`);
    }
  }
  const env = process.env.DTK_API_TOKEN?.trim();
  if (env) {
    return env;
  }
  if (flags.insecureDev) {
    return null;
  }
  throw new DtkError(
    'usage',
    'dtk serve needs an API token: set DTK_API_TOKEN (e.g. `export DTK_API_TOKEN=$(openssl rand -hex 32)`) or pass --token-file; --insecure-dev serves without one (local development only)'
  );
}

function seconds(text: string, flag: string): number {
  if (/^\s*0+\s*[a-z]*\s*$/i.test(text)) {
    return 0; // the interval grammar has no zero; "no delay" is a valid choice here
  }
  const r = parseInterval(text);
  if (r.ok) {
    return r.seconds;
  }
  if (/^\d+$/.test(text.trim())) {
    return Number(text);
  }
  throw new DtkError('usage', `${flag} ${JSON.stringify(text)}: expected a duration such as 5s, 1min or 0`);
}

function positiveInt(text: string, flag: string, max = 65_535): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > max) {
    throw new DtkError('usage', `${flag} ${JSON.stringify(text)}: expected a whole number from 0 to ${max}`);
  }
  return n;
}

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('run metrics on their schedule and serve the HTTP API for the Grafana app')
    .option('--project <dir>', 'project directory (default: the nearest one above the current directory)')
    .option('--profile <name>', 'database profile from profiles.yml')
    .option('--port <n>', 'HTTP port', '8080')
    .option('--host <addr>', 'address to listen on', '0.0.0.0')
    .option('--shard <i/n>', 'run only the metrics of shard i of n (replicas split the work by a stable hash)')
    .option('--concurrency <n>', 'metric definitions running at once', String(DEFAULT_CONCURRENCY))
    .option(
      '--delay <duration>',
      'wait after each interval boundary before running',
      `${DEFAULT_TIMING.delayMs / 1000}s`
    )
    .option(
      '--jitter <duration>',
      'most extra per-metric wait, spreading the start',
      `${DEFAULT_TIMING.jitterMs / 1000}s`
    )
    .option('--grace <duration>', 'on SIGTERM, how long running work may finish before it is stopped', '20s')
    .option('--reload <duration>', 'how often metric files and UI definitions are checked for changes', '5s')
    .option('--token-file <path>', 'file holding the API bearer token (default: DTK_API_TOKEN)')
    .option('--insecure-dev', 'serve the API without a token (local development only)')
    .option('--public-metrics', 'serve /metrics without the token (for scrapers that cannot send one)')
    .option('--strict', 'unknown configuration keys are errors, not warnings')
    .action(async (flags: ServeFlags, cmd: Command) => {
      const globals = cmd.optsWithGlobals() as { verbose?: boolean };
      const logger = createLogger({ level: globals.verbose ? 'debug' : undefined });
      await serve(flags, logger);
    });
}

export interface ServiceOptions {
  root: string;
  store: Store;
  logger: Logger;
  port: number;
  host: string;
  token: string | null;
  insecureDev?: boolean;
  publicMetrics?: boolean;
  shard?: Shard;
  concurrency?: number;
  timing?: TimingOptions;
  reloadMs?: number;
  strict?: boolean;
  profile?: string;
}

export interface ServiceHandle {
  url: string;
  scheduler: Scheduler;
  /** Stops the API, then the scheduler (running work gets `graceMs`), then the catalog. The store stays open. */
  stop(graceMs: number): Promise<void>;
}

/** The scheduler and the HTTP API over an open store (`dtk serve`, and `dtk demo` after its backfill). */
export async function startService(o: ServiceOptions): Promise<ServiceHandle> {
  const { root, store, logger } = o;
  const project = loadProject(root, { strict: o.strict, profile: o.profile, partial: true });
  const catalog = await MetricCatalog.open({ root, store, logger, strict: o.strict, profile: o.profile });
  const metrics = new ServiceMetrics();
  const alertChannels = project.profiles?.alert_channels;
  const scheduler = new Scheduler({
    store,
    catalog,
    root,
    logger,
    alertChannels,
    shard: o.shard,
    concurrency: o.concurrency,
    timing: o.timing,
    hooks: { runFinished: (info) => metrics.runFinished(info) },
  });
  const app = buildServer({
    store,
    catalog,
    runs: scheduler,
    logger,
    token: o.token,
    insecureDev: o.insecureDev,
    version: VERSION,
    metrics,
    publicMetrics: o.publicMetrics,
  });
  const syncRules = () => syncGrafana(store, catalog, root, alertChannels, logger);
  catalog.onChange(() => void syncRules());
  try {
    await app.listen({ port: o.port, host: o.host });
  } catch (e) {
    await catalog.close();
    const code = (e as NodeJS.ErrnoException).code;
    throw new DtkError(
      'usage',
      code === 'EADDRINUSE'
        ? `port ${o.port} on ${o.host} is in use by another program; pass --port with a free one`
        : `cannot listen on ${o.host}:${o.port}: ${errorMessage(e)}`
    );
  }
  catalog.watch({ pollMs: o.reloadMs ?? 5_000 });
  scheduler.startSchedule();
  void syncRules();
  for (const m of catalog.list().filter((x) => !x.loaded)) {
    logger.error({ metric: m.name, file: m.relPath, err: m.error }, 'metric definition is invalid; it will not run');
  }
  const url = `http://${o.host === '0.0.0.0' ? '127.0.0.1' : o.host}:${o.port}`;
  logger.info(
    { address: url, project: root, storage: store.location.where, metrics: catalog.list().length },
    'dtk serve is up'
  );
  return {
    url,
    scheduler,
    stop: async (graceMs) => {
      await app.close();
      await scheduler.stop(graceMs);
      await catalog.close();
    },
  };
}

async function serve(flags: ServeFlags, logger: Logger): Promise<void> {
  const token = readToken(flags);
  const port = positiveInt(flags.port, '--port');
  const graceMs = seconds(flags.grace, '--grace') * 1000;
  const root = findProjectRoot(path.resolve(flags.project ?? '.'));
  const profile = selectProfile(root, flags.profile);
  const store = await Store.open(profile.profile, { baseDir: root, logger, profileName: profile.name });
  let service: ServiceHandle;
  try {
    service = await startService({
      root,
      store,
      logger,
      port,
      host: flags.host,
      token,
      insecureDev: flags.insecureDev,
      publicMetrics: flags.publicMetrics,
      shard: flags.shard ? parseShard(flags.shard) : undefined,
      concurrency: Math.max(1, positiveInt(flags.concurrency, '--concurrency', 100_000)),
      timing: { delayMs: seconds(flags.delay, '--delay') * 1000, jitterMs: seconds(flags.jitter, '--jitter') * 1000 },
      reloadMs: Math.max(1, seconds(flags.reload, '--reload')) * 1000,
      strict: flags.strict,
      profile: flags.profile,
    });
  } catch (e) {
    await store.close();
    throw e;
  }
  await untilSignal(logger, graceMs, async () => {
    await service.stop(graceMs);
    await store.close();
  });
}

/** Waits for SIGTERM or SIGINT, then runs `shutdown`; a second signal exits at once. */
export async function untilSignal(logger: Logger, graceMs: number, shutdown: () => Promise<void>): Promise<void> {
  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) {
        logger.warn({ signal }, 'second signal: exiting now; running work resumes on the next start');
        process.exit(1);
      }
      stopping = true;
      logger.info({ signal, graceMs }, 'shutting down: no new runs; running ones get the grace period');
      shutdown()
        .then(() => logger.info('stopped cleanly'))
        .catch((e: unknown) => {
          logger.error({ err: errorMessage(e) }, 'error while shutting down');
          process.exitCode = 1;
        })
        .finally(resolve);
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
  });
}

/** Grafana alert rules follow the metrics: on start and after every catalog change. Failures are logged. */
async function syncGrafana(
  store: Store,
  catalog: MetricCatalog,
  root: string,
  alertChannels: Readonly<Record<string, AlertChannelConfig>> | undefined,
  logger: Logger
): Promise<void> {
  const ctx = runContext({ alertChannels });
  const loaded = catalog.list().flatMap((e) => (e.loaded ? [e.loaded] : []));
  const alerting = loaded.filter((m) => m.config.alerting?.enabled);
  if (alerting.length === 0) {
    return;
  }
  const metrics = (await Promise.all(alerting.map((m) => expandMetric(store, root, m, ctx)))).flat();
  for (const target of grafanaTargets(metrics)) {
    try {
      const r = await syncAlertRules({ grafana: target, metrics, store, prune: true });
      logger.info(
        { channel: target.name, created: r.created.length, updated: r.updated.length, deleted: r.deleted.length },
        'Grafana alert rules synced'
      );
    } catch (e) {
      logger.error({ channel: target.name, err: errorMessage(e) }, 'Grafana alert rules not synced');
    }
  }
}
