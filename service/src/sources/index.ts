/**
 * Metric sources: where datapoints come from. Semantics for users are in docs/sources.md.
 *
 * ClickHouse SQL (detectkit's only source):
 *
 *   loadClickHouseRange(runQuery, query, fromMs, toMs, intervalSeconds, options?) → LoadedRange
 *     - runQuery is Store.userQuery (unix-timestamp date output, JSONCompact); errors it throws come back as
 *       SourceError with the same code, the query file in the message and the rendered SQL in details.sql.
 *     - The grid is the complete intervals inside [fromMs, toMs): points at epoch multiples of the interval,
 *       from rounded up, to rounded down. The template sees dtk_start_time / dtk_end_time = that grid's bounds.
 *     - Result: one point per grid point (NaN where no row, or the row's value is NULL/NaN); seasonality per point
 *       (query-provided columns from the row on that point, else features of the UTC timestamp); counts of
 *       duplicate / off-grid / out-of-range rows in stats, with readable warnings.
 *     - Empty timestamps = nothing to store (no rows, or none on the grid): save nothing, retry the range later.
 *     - Throws SourceError('config_invalid') for template errors, missing columns, wrong column types, unreadable
 *       timestamps, an invalid seasonality column or interval, a missing query file.
 *
 *   renderQuery(template, { start, end, intervalSeconds }, file | { file, context, strict }) → SQL
 *     Jinja2-compatible (nunjucks) with detectkit's environment and Python `str()` output of values.
 *
 * Network sources (docs/sources.md): Prometheus `query_range` (prometheus.ts) and direct scrapes of an exposition
 * (exposition.ts), fetched through a SharedFetch that sends one request per tick for metrics that need the same data,
 * with a timeout, a size limit and a concurrency cap per origin (http.ts).
 *
 *   alignDown / alignUp / gridRange: the epoch-aligned grid, shared with the pipeline's resume logic.
 */
export { loadClickHouseRange } from './clickhouseSource';
export type { LoadedRange, LoadOptions, LoadStats, RunQuery, SourceQuery } from './clickhouseSource';
export { renderQuery, renderTemplate, templateVariables, formatUtc, TEMPLATE_VARIABLES } from './template';
export type { QueryVars, RenderOptions } from './template';
export { alignDown, alignUp, gridRange, gridTimestamps, placeRows, intervalMs } from './grid';
export type { GridRange, Placement } from './grid';
export { timeSeasonality, checkTimeFeatures, EMPTY_SEASONALITY } from './seasonality';
export { SourceError } from './errors';
export { SharedFetch } from './sharedFetch';
export type { PromQuery, Scrape } from './sharedFetch';
export { queryRange, canonicalLabels, promValue } from './prometheus';
export type { PromSeries, PromRangeRequest } from './prometheus';
export { parseExposition, ExpositionError } from './exposition';
export type { ExpositionSample } from './exposition';
export { loadPromSeries, loadScrape, discoverSeries, selectSample } from './networkSources';
export type { ScrapeSpec, GridPoints } from './networkSources';
export { authHeaders, setHttpConcurrency, DEFAULT_TIMEOUT_MS } from './http';
