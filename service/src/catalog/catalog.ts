import { ConfigError, loadProject, type ConfigIssue, type LoadedMetric, type LoadedProject } from '../config';
import { DtkError, errorMessage } from '../errors';
import { silentLogger, type Logger } from '../logging/logger';
import type { MetricCatalogView } from '../serve/contracts';
import type { Store } from '../storage';
import { MetricConfigStore, type StoredConfig } from './configStore';
import { fileEntries, uiEntry, type CatalogEntry } from './entries';
import { projectFingerprint } from './fingerprint';
import { restoreSecrets } from './secrets';
import { DefinitionLoader, flatDefinition } from './uiDefinition';

/**
 * The metrics the service runs: the project's metric files (provisioned, read-only through the API) merged with the
 * UI-managed definitions in `_dtk_metric_configs` (versioned; the latest version of a name wins; a tombstone
 * deletes). Every change of the set (hot reload, API write, another replica's write) notifies `onChange`.
 */

export type { CatalogEntry } from './entries';

export interface MetricCatalogOptions {
  /** Project root (the directory with detectkit_project.yml). */
  root: string;
  store: Store;
  logger?: Logger;
  /** Unknown keys are errors. */
  strict?: boolean;
  /** The database profile in use (its unset variables are errors). */
  profile?: string;
  /** Environment for `${VAR}` in metric files (default process.env). */
  env?: NodeJS.ProcessEnv;
  /**
   * Environment for `${VAR}` in UI-managed definitions. Default: only the variables named `DTK_UI_*`. A Grafana
   * editor writes these definitions, and a `${VAR}` in a URL or header would send any of the service's secrets
   * (storage password, Grafana token) wherever the editor points it; the operator chooses what the UI may read.
   */
  uiEnv?: NodeJS.ProcessEnv;
}

export interface WriteOptions {
  author: string;
  comment?: string;
}

export const UI_ENV_PREFIX = 'DTK_UI_';

function uiEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([k]) => k.startsWith(UI_ENV_PREFIX)));
}

interface FileState {
  fingerprint: string;
  project: LoadedProject;
  entries: CatalogEntry[];
}

interface UiState {
  row: StoredConfig;
  /** Null for a tombstone. */
  entry: CatalogEntry | null;
}

export class MetricCatalog implements MetricCatalogView {
  private readonly logger: Logger;
  private readonly configs: MetricConfigStore;
  private readonly loader: DefinitionLoader;
  private files: FileState | null = null;
  private ui = new Map<string, UiState>();
  private entries: CatalogEntry[] = [];
  private byName = new Map<string, CatalogEntry>();
  private signature = '';
  private readonly listeners = new Set<() => void>();
  private queue: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private reportedError: string | null = null;
  /** The last reload's failure (a broken profiles.yml, storage down); the previous set stays in use meanwhile. */
  lastError: string | null = null;

  constructor(private readonly opts: MetricCatalogOptions) {
    this.logger = opts.logger ?? silentLogger;
    this.configs = new MetricConfigStore(opts.store);
    this.loader = new DefinitionLoader(opts.root, {
      strict: opts.strict,
      env: opts.uiEnv ?? uiEnvironment(opts.env ?? process.env),
      unsetHint: opts.uiEnv
        ? undefined
        : `metrics managed in the UI read only ${UI_ENV_PREFIX}* variables; name the variable ${UI_ENV_PREFIX}… or write the value`,
    });
  }

  /** A catalog with the project and the UI definitions loaded; throws when the project itself cannot be loaded. */
  static async open(opts: MetricCatalogOptions): Promise<MetricCatalog> {
    const c = new MetricCatalog(opts);
    await c.load();
    return c;
  }

  get root(): string {
    return this.opts.root;
  }

  /** The loaded project (profiles.yml alert channels, paths); throws before load. */
  get project(): LoadedProject {
    if (!this.files) {
      throw new DtkError('internal', 'the metric catalog is used before load()');
    }
    return this.files.project;
  }

  list(): readonly CatalogEntry[] {
    return this.entries;
  }

  /** The metric of that name; a file metric before a UI metric it shadows. */
  get(name: string): CatalogEntry | undefined {
    return this.byName.get(name);
  }

  /** The definition a name stands for: itself, or the fan-out metric of a series name `base{label="v"}`. */
  resolve(name: string): CatalogEntry | undefined {
    const exact = this.byName.get(name);
    if (exact) {
      return exact;
    }
    const brace = name.indexOf('{');
    if (brace <= 0 || !name.endsWith('}')) {
      return undefined;
    }
    const base = this.byName.get(name.slice(0, brace));
    return base?.loaded?.config.source?.type === 'prometheus' ? base : undefined;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** First load: a project that cannot be loaded (broken detectkit_project.yml or profiles.yml) throws. */
  async load(): Promise<void> {
    await this.exclusive(async () => {
      this.refreshFiles(true);
      await this.refreshUi(true);
      this.rebuild();
    });
  }

  /**
   * Re-reads the files (when their contents changed) and the UI definitions (another replica may have written).
   * A failure keeps the previous set and is reported in `lastError`. True when the set changed.
   */
  reload(): Promise<boolean> {
    return this.exclusive(async () => {
      const errors: string[] = [];
      try {
        this.refreshFiles(false);
      } catch (e) {
        errors.push(`project files: ${errorMessage(e)}`);
      }
      try {
        await this.refreshUi(false);
      } catch (e) {
        errors.push(`UI-managed metrics: ${errorMessage(e)}`);
      }
      this.noteError(errors.length ? errors.join('\n') : null);
      return this.rebuild();
    });
  }

  /** Validates a definition like a saved one, without saving (the preview): the loaded metric or a ConfigError. */
  validate(def: unknown): LoadedMetric {
    const flat = this.flat(def);
    const name = typeof flat.name === 'string' && flat.name ? flat.name : 'preview';
    const r = this.loader.load(name, restoreSecrets(flat, this.ui.get(name)?.entry?.definition ?? null));
    if (!r.ok) {
      throw this.invalid(r.issues);
    }
    return r.metric;
  }

  /** Saves a new UI-managed metric (version 1, or the next version after a delete). */
  create(def: unknown, opts: WriteOptions): Promise<CatalogEntry> {
    return this.exclusive(async () => {
      const flat = this.flat(def);
      const checked = this.check(typeof flat.name === 'string' ? flat.name : '', restoreSecrets(flat, null));
      const name = checked.metric.name;
      this.refuseFileMetric(name, 'create');
      const latest = await this.configs.latestOf(name);
      if (latest && !latest.deleted) {
        throw new DtkError(
          'conflict',
          `Metric '${name}' already exists (version ${latest.version}, saved by ${latest.author || 'unknown'}); change it with PUT /api/metrics/${encodeURIComponent(name)}`,
          { details: { version: latest.version } }
        );
      }
      return this.save(name, checked.definition, (latest?.version ?? 0) + 1, opts);
    });
  }

  /** Saves a new version of a UI-managed metric; with `expectedVersion`, only if nobody saved since that version. */
  update(name: string, def: unknown, opts: WriteOptions & { expectedVersion?: number }): Promise<CatalogEntry> {
    return this.exclusive(async () => {
      this.refuseFileMetric(name, 'change');
      const latest = await this.current(name);
      if (opts.expectedVersion !== undefined && latest.version !== opts.expectedVersion) {
        throw this.versionConflict(name, latest, opts.expectedVersion);
      }
      const flat = this.flat(def);
      if (flat.name !== undefined && flat.name !== name) {
        throw new DtkError(
          'usage',
          `definition.name '${String(flat.name)}' differs from the metric '${name}': a metric cannot be renamed (its name keys its stored data); create the new name and delete this one`,
          {
            details: {
              issues: [{ path: 'name', message: 'must equal the metric name in the URL', severity: 'error' }],
            },
          }
        );
      }
      const saved = JSON.parse(latest.definition) as Record<string, unknown>;
      const checked = this.check(name, restoreSecrets({ ...flat, name }, saved));
      return this.save(name, checked.definition, latest.version + 1, opts);
    });
  }

  /** Deletes a UI-managed metric (a tombstone version); its stored datapoints and detections stay. */
  remove(name: string, opts: WriteOptions & { expectedVersion?: number }): Promise<{ version: number }> {
    return this.exclusive(async () => {
      const uiEntry = this.ui.get(name)?.entry;
      if (!uiEntry) {
        this.refuseFileMetric(name, 'delete');
      }
      const latest = await this.current(name);
      if (opts.expectedVersion !== undefined && latest.version !== opts.expectedVersion) {
        throw this.versionConflict(name, latest, opts.expectedVersion);
      }
      const { stored, won } = await this.configs.append({
        name,
        version: latest.version + 1,
        definition: '',
        deleted: true,
        author: opts.author,
        comment: opts.comment ?? '',
      });
      if (!won) {
        throw this.raceConflict(name, stored);
      }
      this.ui.set(name, { row: stored, entry: null });
      this.rebuild();
      this.logger.info({ metric: name, version: stored.version, author: opts.author }, 'UI-managed metric deleted');
      return { version: stored.version };
    });
  }

  /** Polls the files and the configs table every `pollMs` and reloads on change (other replicas write too). */
  watch(opts: { pollMs?: number } = {}): void {
    if (this.timer || this.closed) {
      return;
    }
    const pollMs = Math.max(100, opts.pollMs ?? 5000);
    const tick = async () => {
      try {
        await this.reload();
      } catch (e) {
        this.logger.warn({ err: errorMessage(e) }, 'metric catalog reload failed');
      }
      if (!this.closed) {
        this.timer = setTimeout(() => void tick(), pollMs);
        this.timer.unref();
      }
    };
    this.timer = setTimeout(() => void tick(), pollMs);
    this.timer.unref();
  }

  /** Stops watching and waits for a reload in progress. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    await this.queue.catch(() => undefined);
    this.loader.close();
  }

  // --- internals -------------------------------------------------------------------------------------------

  /** Runs reloads and writes one at a time, so the merged set is never rebuilt from a half-applied change. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private flat(def: unknown): Record<string, unknown> {
    const flat = flatDefinition(def);
    if (!flat) {
      throw new DtkError('usage', 'definition must be an object: the JSON form of a metric YAML file');
    }
    return flat;
  }

  private invalid(issues: ConfigIssue[]): ConfigError {
    return new ConfigError(issues);
  }

  /** Validates a definition to be saved; returns it and the loaded metric, or throws a ConfigError. */
  private check(
    name: string,
    def: Record<string, unknown>
  ): { definition: Record<string, unknown>; metric: LoadedMetric } {
    const r = this.loader.load(name || 'new', def);
    if (!r.ok) {
      throw this.invalid(r.issues);
    }
    return { definition: def, metric: r.metric };
  }

  private refuseFileMetric(name: string, action: string): void {
    const file = this.files?.entries.find((e) => e.name === name);
    if (file) {
      throw new DtkError(
        'conflict',
        `Metric '${name}' is provisioned from ${file.relPath} and is read-only here; ${action === 'create' ? 'choose another name, or ' : ''}edit that file to ${action === 'create' ? 'change it' : action + ' it'}`,
        { details: { origin: 'file', relPath: file.relPath } }
      );
    }
  }

  /** The latest saved row of a live UI metric (re-read: another replica may have saved), or not_found. */
  private async current(name: string): Promise<StoredConfig> {
    const latest = await this.configs.latestOf(name);
    if (!latest || latest.deleted) {
      throw new DtkError('not_found', `Metric '${name}' not found`);
    }
    return latest;
  }

  private versionConflict(name: string, latest: StoredConfig, expected: number): DtkError {
    return new DtkError(
      'conflict',
      `Metric '${name}' is at version ${latest.version} (saved by ${latest.author || 'unknown'}), not the version ${expected} you edited; reload it and apply your change again`,
      { details: { version: latest.version, expectedVersion: expected } }
    );
  }

  private raceConflict(name: string, stored: StoredConfig): DtkError {
    return new DtkError(
      'conflict',
      `Metric '${name}' version ${stored.version} was saved at the same moment by ${stored.author || 'someone else'}; reload it and apply your change again`,
      { details: { version: stored.version } }
    );
  }

  private async save(
    name: string,
    definition: Record<string, unknown>,
    version: number,
    opts: WriteOptions
  ): Promise<CatalogEntry> {
    const { stored, won } = await this.configs.append({
      name,
      version,
      definition: JSON.stringify(definition),
      deleted: false,
      author: opts.author,
      comment: opts.comment ?? '',
    });
    if (!won) {
      throw this.raceConflict(name, stored);
    }
    this.applyUiRow(stored);
    this.rebuild();
    this.logger.info({ metric: name, version, author: opts.author }, 'UI-managed metric saved');
    return this.ui.get(name)!.entry!;
  }

  private refreshFiles(initial: boolean): void {
    const metricsDir = this.files?.project.metricsDir ?? 'metrics';
    const fingerprint = projectFingerprint(this.opts.root, metricsDir);
    if (!initial && this.files?.fingerprint === fingerprint) {
      return;
    }
    const project = loadProject(this.opts.root, {
      partial: true,
      strict: this.opts.strict,
      profile: this.opts.profile,
      env: this.opts.env,
    });
    // paths.metrics may have changed: the fingerprint must cover the directory now in use.
    const fp = project.metricsDir === metricsDir ? fingerprint : projectFingerprint(this.opts.root, project.metricsDir);
    const entries = fileEntries(project);
    this.files = { fingerprint: fp, project, entries };
  }

  private async refreshUi(initial: boolean): Promise<void> {
    const rows = await this.configs.latest();
    const seen = new Set<string>();
    for (const row of rows) {
      seen.add(row.name);
      const prev = this.ui.get(row.name);
      if (!initial && prev && prev.row.version === row.version && prev.row.createdAt === row.createdAt) {
        continue;
      }
      this.applyUiRow(row);
    }
    for (const name of [...this.ui.keys()]) {
      if (!seen.has(name)) {
        this.ui.delete(name);
      }
    }
  }

  private applyUiRow(row: StoredConfig): void {
    this.ui.set(row.name, { row, entry: row.deleted ? null : uiEntry(row, this.loader) });
  }

  /** Merges files and UI definitions, notifies listeners when the set changed; true when it did. */
  private rebuild(): boolean {
    const files = this.files?.entries ?? [];
    const fileNames = new Map(files.map((e) => [e.name, e]));
    const ui: CatalogEntry[] = [];
    for (const { entry } of this.ui.values()) {
      if (!entry) {
        continue;
      }
      const file = fileNames.get(entry.name);
      // A file that appeared under a UI metric's name wins: the UI definition stays saved but does not run.
      ui.push(
        file
          ? {
              ...entry,
              loaded: null,
              error: `shadowed by the provisioned file ${file.relPath} with the same name; delete this UI-managed metric or rename the file's metric`,
            }
          : entry
      );
    }
    const all = [...files, ...ui].sort(
      (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) || (a.origin === 'file' ? -1 : 1)
    );
    this.entries = all;
    this.byName = new Map();
    for (const e of all) {
      if (!this.byName.has(e.name)) {
        this.byName.set(e.name, e);
      }
    }
    const signature = JSON.stringify([
      this.files?.project.profiles?.alert_channels ?? null,
      all.map((e) => [
        e.name,
        e.origin,
        e.relPath,
        e.version,
        e.error ?? '',
        e.loaded ? [e.loaded.config, e.loaded.detectors.map((d) => d.detector.identity.id)] : null,
      ]),
    ]);
    if (signature === this.signature) {
      return false;
    }
    const first = this.signature === '';
    this.signature = signature;
    if (!first) {
      for (const l of this.listeners) {
        try {
          l();
        } catch (e) {
          this.logger.error({ err: errorMessage(e) }, 'metric catalog change listener failed');
        }
      }
    }
    return true;
  }

  private noteError(error: string | null): void {
    this.lastError = error;
    if (error && error !== this.reportedError) {
      this.logger.error({ err: error }, 'metric catalog reload failed; the previous metric set stays in use');
    } else if (!error && this.reportedError) {
      this.logger.info('metric catalog reloads again');
    }
    this.reportedError = error;
  }
}
