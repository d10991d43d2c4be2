import { lastValueFrom } from 'rxjs';
import { getBackendSrv, isFetchError } from '@grafana/runtime';
import { apiErrorSchema, healthResponseSchema, type HealthResponse } from '../../common/api/health';

/**
 * The only code in the app that calls the dtk service. Requests go through a Grafana proxy route,
 * which adds the service token: the browser never sees it.
 */
export async function fetchHealth(baseUrl: string): Promise<HealthResponse> {
  try {
    const res = await lastValueFrom(
      getBackendSrv().fetch<unknown>({ url: `${baseUrl}/health`, method: 'GET', showErrorAlert: false })
    );
    return healthResponseSchema.parse(res.data);
  } catch (e) {
    throw new Error(describeError(e));
  }
}

/** One readable line for any failure: the service's own error message when it sent one. */
export function describeError(e: unknown): string {
  if (isFetchError(e)) {
    const body = apiErrorSchema.safeParse(e.data);
    if (body.success) {
      return body.data.error.message;
    }
    if (e.status === 502 || e.status === 504) {
      return `the dtk service is not reachable through Grafana (HTTP ${e.status}): check the service URL and that \`dtk serve\` runs`;
    }
    return `HTTP ${e.status}${e.statusText ? ` ${e.statusText}` : ''}`;
  }
  return e instanceof Error ? e.message : String(e);
}
