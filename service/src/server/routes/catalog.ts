import { z } from 'zod';
import { alertsQuerySchema, alertsResponseSchema, testAlertResponseSchema } from '../../../../common/api/alerts';
import { detectorsResponseSchema, type DetectorInfo } from '../../../../common/api/detectors';
import { DETECTOR_PARAM_SCHEMAS } from '../../../../common/detectors';
import { DETECTOR_CATALOG } from '../../detectors';
import type { ApiContext } from '../context';
import { alertEvent } from '../present';
import { route, type AnyRoute } from '../route';
import { sendTestAlert } from '../testAlert';
import { metricOr404, nameParams } from './metrics';

/** Type aliases a metric file may use for a detector type. */
const ALIASES: Record<string, string[]> = { manual_bounds: ['manual'] };

let detectorInfo: DetectorInfo[] | undefined;
function detectors(): DetectorInfo[] {
  detectorInfo ??= DETECTOR_CATALOG.map((d) => {
    const params = z.toJSONSchema(DETECTOR_PARAM_SCHEMAS[d.type], { io: 'input', unrepresentable: 'any' }) as Record<
      string,
      unknown
    >;
    return { ...d, aliases: ALIASES[d.type] ?? [], params };
  });
  return detectorInfo;
}

/** The detector catalog, alert history and test alerts. */
export function catalogRoutes(ctx: ApiContext): AnyRoute[] {
  return [
    route({
      method: 'GET',
      url: '/api/detectors',
      summary: 'Detector types with their parameters as JSON Schema',
      response: detectorsResponseSchema,
      handler: async () => ({ detectors: detectors() }),
    }),
    route({
      method: 'GET',
      url: '/api/alerts',
      summary: 'Alert history (state changes and tests), newest first',
      query: alertsQuerySchema,
      response: alertsResponseSchema,
      handler: async ({ query }) => ({
        alerts: (await ctx.store.alerts.events({ metricName: query.metric, limit: query.limit })).map(alertEvent),
      }),
    }),
    route({
      method: 'POST',
      url: '/api/metrics/:name/test-alert',
      summary: "Send detectkit's test alert through each of the metric's channels and record it",
      params: nameParams,
      response: testAlertResponseSchema,
      errors: [404, 422],
      handler: async ({ params }) =>
        sendTestAlert(
          { store: ctx.store, catalog: ctx.catalog, logger: ctx.logger, now: ctx.now },
          metricOr404(ctx, params.name)
        ),
    }),
  ];
}
