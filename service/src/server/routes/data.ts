import { detectionsQuerySchema, detectionsResponseSchema } from '../../../../common/api/detections';
import { previewRequestSchema, previewResponseSchema } from '../../../../common/api/preview';
import { seriesQuerySchema, seriesResponseSchema } from '../../../../common/api/series';
import type { CatalogEntry } from '../../catalog';
import type { ApiContext } from '../context';
import { HttpError } from '../httpErrors';
import { catalogDetectors, detectorLabel } from '../present';
import { runPreview } from '../preview';
import { readDetectionRows } from '../reads';
import { finiteScore } from '../../../../common/detectors/score';
import { route, type AnyRoute } from '../route';
import type { BandSpec } from '../series';
import { metricOr404, nameParams } from './metrics';

/** Interval assumed for the range bound of a metric whose definition is currently invalid. */
const FALLBACK_INTERVAL_S = 60;

/**
 * What invalidates cached reads of a series: any run of it (or of its fan-out definition) starting, progressing or
 * finishing, and a new version of its definition.
 */
function dataVersion(ctx: ApiContext, name: string, e: CatalogEntry): string {
  const names = name === e.name ? [name] : [name, e.name];
  const runs = names.map((n) => {
    const r = ctx.runs.list({ metric: n, limit: 1 })[0];
    return r ? `${r.id}:${r.status}:${r.progress.done}:${r.finishedAt ?? ''}` : '';
  });
  return `${e.origin}:${e.version}|${runs.join('|')}`;
}

function metadataObject(text: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Stored series with bands, stored detections, and the in-memory preview. */
export function dataRoutes(ctx: ApiContext): AnyRoute[] {
  let previews = 0;
  return [
    route({
      method: 'GET',
      url: '/api/metrics/:name/series',
      summary: "Stored values with each current detector's band and anomaly flags over [from, to)",
      params: nameParams,
      query: seriesQuerySchema,
      response: seriesResponseSchema,
      errors: [404],
      handler: async ({ params, query }) => {
        const e = metricOr404(ctx, params.name);
        const iv = e.loaded?.intervalSeconds ?? FALLBACK_INTERVAL_S;
        const points = Math.ceil((query.to - query.from) / (iv * 1000));
        if (points > ctx.limits.seriesMaxPoints) {
          throw new HttpError(
            400,
            'range_too_large',
            `the range spans ${points.toLocaleString('en-US')} intervals of ${iv}s; at most ${ctx.limits.seriesMaxPoints.toLocaleString('en-US')} per request: narrow it`,
            { points, maxPoints: ctx.limits.seriesMaxPoints }
          );
        }
        const bands: BandSpec[] | null = e.loaded ? catalogDetectors(e).map((d) => ({ id: d.id, name: d.name })) : null;
        return ctx.series.read(params.name, query, dataVersion(ctx, params.name, e), bands, points);
      },
    }),
    route({
      method: 'GET',
      url: '/api/metrics/:name/detections',
      summary: 'Stored detections (anomalies only by default), newest first',
      params: nameParams,
      query: detectionsQuerySchema,
      response: detectionsResponseSchema,
      errors: [404],
      handler: async ({ params, query }) => {
        metricOr404(ctx, params.name);
        const rows = await readDetectionRows(ctx.store, params.name, {
          from: query.from,
          to: query.to,
          anomaliesOnly: query.anomalies,
          detectorId: query.detector,
          limit: query.limit + 1,
        });
        return {
          metric: params.name,
          truncated: rows.length > query.limit,
          detections: rows.slice(0, query.limit).map((r) => ({
            detectorId: r.detectorId,
            detectorName: detectorLabel(r.detectorName, r.detectorParams),
            timestamp: r.timestamp,
            isAnomaly: r.isAnomaly,
            value: r.value,
            lower: r.lower,
            upper: r.upper,
            processedValue: r.processedValue,
            score: finiteScore(r.processedValue ?? r.value, r.lower, r.upper),
            metadata: metadataObject(r.metadata),
          })),
        };
      },
    }),
    route({
      method: 'POST',
      url: '/api/preview',
      summary: "Load and detect a definition over a range in memory (nothing stored): the editor's live preview",
      body: previewRequestSchema,
      response: previewResponseSchema,
      errors: [413, 422, 429, 502, 503],
      handler: async ({ body }) => {
        if (previews >= ctx.limits.previewConcurrency) {
          throw new HttpError(
            429,
            'too_many_previews',
            `${previews} previews are running (at most ${ctx.limits.previewConcurrency} at once); try again when one finished`
          );
        }
        previews++;
        try {
          return await runPreview(
            {
              store: ctx.store,
              catalog: ctx.catalog,
              now: ctx.now,
              limits: {
                maxPoints: ctx.limits.previewMaxPoints,
                maxSeries: ctx.limits.previewMaxSeries,
                timeoutMs: ctx.limits.previewTimeoutMs,
              },
            },
            body
          );
        } finally {
          previews--;
        }
      },
    }),
  ];
}
