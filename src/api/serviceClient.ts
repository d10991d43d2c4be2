import { lastValueFrom } from 'rxjs';
import type { z } from 'zod';
import { getBackendSrv } from '@grafana/runtime';
import { healthResponseSchema, type HealthResponse } from '../../common/api/health';
import { SERVICE_PROXY_URL } from '../constants';
import { ServiceError, toServiceError } from './errors';

export { describeError } from './errors';

export type QueryParams = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  params?: QueryParams;
  data?: unknown;
  /** Base URL of the service API; the app's proxy route unless a caller has another. */
  baseUrl?: string;
}

/**
 * The only code in the app that calls the dtk service. Requests go through a Grafana proxy route, which adds the
 * service token: the browser never sees it. Every answer is parsed with its schema from common/api, so a plugin and
 * a service of different versions fail here with a message instead of deep inside a page.
 */
export async function serviceRequest<S extends z.ZodType>(
  path: string,
  schema: S,
  opts: RequestOptions = {}
): Promise<z.infer<S>> {
  const params = opts.params
    ? Object.fromEntries(Object.entries(opts.params).filter(([, v]) => v !== undefined))
    : undefined;
  let data: unknown;
  try {
    const res = await lastValueFrom(
      getBackendSrv().fetch<unknown>({
        url: `${opts.baseUrl ?? SERVICE_PROXY_URL}${path}`,
        method: opts.method ?? 'GET',
        params,
        data: opts.data,
        // Pages show errors inline, next to what failed; Grafana's toasts would repeat them out of context.
        showErrorAlert: false,
        showSuccessAlert: false,
      })
    );
    data = res.data;
  } catch (e) {
    throw toServiceError(e);
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new ServiceError({
      kind: 'invalid_response',
      message: `the dtk service answered ${path.split('?')[0]} with an unexpected shape (${first ? `${first.path.join('.') || 'body'}: ${first.message}` : 'invalid'}); are the app plugin and the service the same version?`,
    });
  }
  return parsed.data;
}

/** `GET /api/health`: reachable, and what it runs on. */
export function fetchHealth(baseUrl: string = SERVICE_PROXY_URL): Promise<HealthResponse> {
  return serviceRequest('/health', healthResponseSchema, { baseUrl });
}
