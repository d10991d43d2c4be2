import { errorMessage } from '../errors';
import { SourceError } from './errors';

/**
 * HTTP for the network sources (Prometheus, scrape targets) over Node's global fetch: a timeout through an
 * AbortSignal, a response size limit enforced while streaming (a huge answer is aborted, never buffered whole), and
 * a concurrency cap per origin so a tick over many metrics does not flood one server.
 */

export const DEFAULT_MAX_BYTES = 50 * 1024 * 1024;
export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_CONCURRENCY = 16;

export interface HttpRequest {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  timeoutMs: number;
  maxBytes?: number;
  /** Who asked, for messages: e.g. `metric 'cpu'`. */
  what: string;
}

export interface HttpResponse {
  status: number;
  contentType: string;
  text: string;
}

/** A URL as messages show it: without credentials in the user-info part. */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return url;
  }
}

/** A counting semaphore: at most `cap` holders at once, FIFO. */
class Semaphore {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(private readonly cap: number) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.cap) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.active++;
    }
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) {
        next(); // the slot passes straight to the next waiter
      } else {
        this.active--;
      }
    }
  }
}

const limits = new Map<string, Semaphore>();
let concurrency = DEFAULT_CONCURRENCY;

/** The cap per origin (scheme://host:port). Tests and the bench set it; it applies to origins seen afterwards. */
export function setHttpConcurrency(n: number): void {
  concurrency = Math.max(1, Math.floor(n));
  limits.clear();
}

function limiterFor(url: string): Semaphore {
  let origin = url;
  try {
    origin = new URL(url).origin;
  } catch {
    // an invalid URL fails in fetch with its own message
  }
  let s = limits.get(origin);
  if (!s) {
    s = new Semaphore(concurrency);
    limits.set(origin, s);
  }
  return s;
}

export async function httpRequest(req: HttpRequest): Promise<HttpResponse> {
  return limiterFor(req.url).run(() => doRequest(req));
}

async function doRequest(req: HttpRequest): Promise<HttpResponse> {
  const shown = displayUrl(req.url);
  const maxBytes = req.maxBytes ?? DEFAULT_MAX_BYTES;
  const ctrl = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    ctrl.abort();
  }, req.timeoutMs);
  const timeoutError = () =>
    new SourceError(
      'source_unreachable',
      `${req.what}: ${shown} did not answer within ${req.timeoutMs / 1000}s; check the server or raise source.timeout`
    );
  try {
    let res: Response;
    try {
      res = await fetch(req.url, {
        method: req.method ?? 'GET',
        headers: req.headers,
        body: req.body,
        signal: ctrl.signal,
        redirect: 'follow',
      });
    } catch (e) {
      if (timedOut) {
        throw timeoutError();
      }
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      throw new SourceError(
        'source_unreachable',
        `${req.what}: cannot reach ${shown}: ${cause?.code ?? cause?.message ?? errorMessage(e)}; check the URL and that the server is running`,
        { cause: e }
      );
    }
    const declared = Number(res.headers.get('content-length') ?? NaN);
    if (declared > maxBytes) {
      ctrl.abort();
      throw sizeError(req.what, shown, maxBytes);
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    try {
      if (res.body) {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          size += chunk.byteLength;
          if (size > maxBytes) {
            ctrl.abort();
            throw sizeError(req.what, shown, maxBytes);
          }
          chunks.push(chunk);
        }
      }
    } catch (e) {
      if (e instanceof SourceError) {
        throw e;
      }
      if (timedOut) {
        throw timeoutError();
      }
      throw new SourceError(
        'source_unreachable',
        `${req.what}: reading the answer of ${shown} failed: ${errorMessage(e)}`,
        {
          cause: e,
        }
      );
    }
    return {
      status: res.status,
      contentType: res.headers.get('content-type') ?? '',
      text: Buffer.concat(chunks, size).toString('utf8'),
    };
  } finally {
    clearTimeout(timer);
  }
}

function sizeError(what: string, url: string, maxBytes: number): SourceError {
  return new SourceError(
    'source_query',
    `${what}: the answer of ${url} is larger than the limit of ${Math.round(maxBytes / 1024 / 1024)} MB; ` +
      'narrow the query (fewer series, e.g. sum by (...), or a smaller loading_batch_size)'
  );
}

/** The `Authorization` and custom headers of a source. Custom headers win, so a user can override anything. */
export function authHeaders(src: {
  bearer_token?: string | null;
  basic_auth?: { username: string; password: string } | null;
  headers?: Record<string, string> | null;
}): Record<string, string> {
  const h: Record<string, string> = {};
  if (src.bearer_token) {
    h.Authorization = `Bearer ${src.bearer_token}`;
  } else if (src.basic_auth) {
    h.Authorization = `Basic ${Buffer.from(`${src.basic_auth.username}:${src.basic_auth.password}`).toString('base64')}`;
  }
  return { ...h, ...(src.headers ?? {}) };
}
