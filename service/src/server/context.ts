import type { MetricCatalog } from '../catalog';
import type { Logger } from '../logging/logger';
import type { RunController } from '../serve/contracts';
import type { Store } from '../storage';
import type { ListStats } from './reads';
import type { SeriesService } from './series';

/** Bounds on what one request may ask for. */
export interface ApiLimits {
  /** Request body size, bytes (413 beyond). */
  bodyBytes: number;
  /** Points one series request may cover (400 beyond). */
  seriesMaxPoints: number;
  /** Grid points one preview may load per series (400 beyond). */
  previewMaxPoints: number;
  /** Series of a fan-out query one preview evaluates. */
  previewMaxSeries: number;
  /** Wall time of one preview (422 beyond). */
  previewTimeoutMs: number;
  /** Previews running at once (429 beyond): each may run the user's SQL or query Prometheus. */
  previewConcurrency: number;
  /** How long a cached series read stays valid without a run of its metric (reads by other replicas). */
  seriesCacheMs: number;
  /** Memory bound of the series cache, in characters of formatted JSON (about bytes). */
  seriesCacheChars: number;
}

export const DEFAULT_LIMITS: ApiLimits = {
  bodyBytes: 1024 * 1024,
  seriesMaxPoints: 100_000,
  previewMaxPoints: 50_000,
  previewMaxSeries: 20,
  previewTimeoutMs: 20_000,
  previewConcurrency: 2,
  seriesCacheMs: 15_000,
  seriesCacheChars: 128 * 1024 * 1024,
};

/** What the route handlers share. */
export interface ApiContext {
  store: Store;
  catalog: MetricCatalog;
  runs: RunController;
  logger: Logger;
  version: string;
  now: () => number;
  limits: ApiLimits;
  series: SeriesService;
  /** Last points and alert states for the list (cached briefly); null when storage cannot say. */
  listStats(): Promise<ListStats | null>;
  /** Whether storage answers (cached for a second). */
  storageProbe(): Promise<{ ok: boolean; error?: string }>;
}
