import { defer, mergeMap, of, throwError, type Observable } from 'rxjs';
import type { BackendSrvRequest, FetchResponse } from '@grafana/runtime';
import { SERVICE_PROXY_URL } from '../../constants';

/**
 * A stand-in for Grafana's backendSrv.fetch in component tests (Grafana's server cannot run here): requests are
 * answered by route, like the app's proxy route and the service would, and every request is recorded.
 */
export interface MockRequest {
  method: string;
  /** Path below the service API (`/metrics/x`), or the full URL for Grafana's own API. */
  path: string;
  params: Record<string, unknown>;
  data: unknown;
}

export type MockReply = { status: number; data: unknown };
type Handler = (req: MockRequest) => unknown | MockReply | Promise<unknown | MockReply>;

interface Route {
  method: string;
  path: string | RegExp;
  handler: Handler;
}

/** A reply with a status: 2xx answers `data`, anything else fails like backendSrv does (a FetchError). */
export const reply = (status: number, data: unknown): MockReply => ({ status, data });
const isReply = (v: unknown): v is MockReply =>
  typeof v === 'object' && v !== null && 'status' in v && 'data' in v && Object.keys(v).length === 2;

/** The dtk service's error body (`{"error": {code, message, details}}`). */
export const serviceError = (status: number, code: string, message: string, details?: unknown) =>
  reply(status, { error: { code, message, ...(details === undefined ? {} : { details }) } });

export function createMockBackend() {
  const routes: Route[] = [];
  const requests: MockRequest[] = [];

  const on = (method: string, path: string | RegExp, handler: Handler) => {
    // Later routes win: a test overrides the defaults it set up in beforeEach.
    routes.unshift({ method, path, handler });
  };

  const fetch = (opts: BackendSrvRequest): Observable<FetchResponse<unknown>> => {
    const method = (opts.method ?? 'GET').toUpperCase();
    const path = opts.url.startsWith(SERVICE_PROXY_URL) ? opts.url.slice(SERVICE_PROXY_URL.length) : opts.url;
    const req: MockRequest = { method, path, params: opts.params ?? {}, data: opts.data };
    requests.push(req);
    const route = routes.find(
      (r) => r.method === method && (typeof r.path === 'string' ? r.path === path : r.path.test(path))
    );
    const respond = (out: unknown): Observable<FetchResponse<unknown>> => {
      const { status, data } = isReply(out) ? out : { status: 200, data: out };
      if (status >= 400) {
        return throwError(() => ({ status, data, statusText: '', config: opts }));
      }
      return of({ data, status, statusText: 'OK', ok: true, config: opts } as unknown as FetchResponse<unknown>);
    };
    if (!route) {
      return respond(serviceError(404, 'not_found', `no mock for ${method} ${path}`));
    }
    // Answered asynchronously, as the network would: pages must render their loading state first.
    return defer(() => Promise.resolve(route.handler(req))).pipe(mergeMap(respond));
  };

  return {
    fetch: jest.fn(fetch),
    on,
    get: (path: string | RegExp, handler: Handler) => on('GET', path, handler),
    post: (path: string | RegExp, handler: Handler) => on('POST', path, handler),
    put: (path: string | RegExp, handler: Handler) => on('PUT', path, handler),
    delete: (path: string | RegExp, handler: Handler) => on('DELETE', path, handler),
    requests,
    /** Requests to one method and path. */
    calls: (method: string, path: string | RegExp) =>
      requests.filter((r) => r.method === method && (typeof path === 'string' ? r.path === path : path.test(r.path))),
    reset: () => {
      routes.length = 0;
      requests.length = 0;
    },
  };
}

export type MockBackend = ReturnType<typeof createMockBackend>;
