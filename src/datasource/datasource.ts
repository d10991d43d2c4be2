import { lastValueFrom } from 'rxjs';
import {
  DataSourceApi,
  type DataQueryRequest,
  type DataQueryResponse,
  type DataSourceInstanceSettings,
  type TestDataSourceResponse,
} from '@grafana/data';
import { getBackendSrv, getTemplateSrv } from '@grafana/runtime';
import { healthResponseSchema } from '../../common/api/health';
import { seriesResponseSchema } from '../../common/api/series';
import { describeError } from '../api/serviceClient';
import { seriesToFrame } from './frames';
import { DEFAULT_QUERY, type AnomalyDataSourceOptions, type AnomalyQuery } from './types';

export class DataSource extends DataSourceApi<AnomalyQuery, AnomalyDataSourceOptions> {
  /** The data source proxy URL; the `api` route in plugin.json adds the service token. */
  private readonly baseUrl: string;

  constructor(instanceSettings: DataSourceInstanceSettings<AnomalyDataSourceOptions>) {
    super(instanceSettings);
    this.baseUrl = `${instanceSettings.url ?? ''}/api`;
  }

  getDefaultQuery(): Partial<AnomalyQuery> {
    return DEFAULT_QUERY;
  }

  filterQuery(query: AnomalyQuery): boolean {
    return Boolean(query.metric);
  }

  async query(request: DataQueryRequest<AnomalyQuery>): Promise<DataQueryResponse> {
    const from = request.range.from.valueOf();
    const to = request.range.to.valueOf();
    const data = await Promise.all(
      request.targets
        .filter((t) => !t.hide && t.metric)
        .map(async (t) => {
          const metric = getTemplateSrv().replace(t.metric, request.scopedVars);
          const res = await lastValueFrom(
            getBackendSrv().fetch<unknown>({
              url: `${this.baseUrl}/metrics/${encodeURIComponent(metric)}/series`,
              params: { from, to },
              method: 'GET',
              showErrorAlert: false,
            })
          ).catch((e: unknown) => {
            throw new Error(`${metric}: ${describeError(e)}`);
          });
          return seriesToFrame(t.refId, seriesResponseSchema.parse(res.data));
        })
    );
    return { data };
  }

  /** Checks that Grafana reaches the dtk service with the stored token. */
  async testDatasource(): Promise<TestDataSourceResponse> {
    try {
      const res = await lastValueFrom(
        getBackendSrv().fetch<unknown>({ url: `${this.baseUrl}/health`, method: 'GET', showErrorAlert: false })
      );
      const health = healthResponseSchema.parse(res.data);
      return {
        status: health.status === 'ok' ? 'success' : 'warning',
        message: `dtk ${health.version}: ${health.status}`,
      };
    } catch (e) {
      return { status: 'error', message: describeError(e) };
    }
  }
}
