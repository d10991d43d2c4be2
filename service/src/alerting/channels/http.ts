import { ChannelError } from './types';

/** `scheme://host:port/…`: webhook URLs and bot tokens in paths are secrets and never printed. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}/…`;
  } catch {
    return '<invalid URL>';
  }
}

/** POSTs JSON; any non-2xx answer, timeout or connection failure becomes a ChannelError naming the receiver. */
export async function postJson(
  url: string,
  body: unknown,
  opts: { headers?: Record<string, string>; timeoutSeconds: number; what: string }
): Promise<string> {
  const where = redactUrl(url);
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...opts.headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(opts.timeoutSeconds * 1000),
    });
  } catch (e) {
    const err = e as Error & { cause?: { code?: string; message?: string } };
    const why =
      err.name === 'TimeoutError'
        ? `no answer within ${opts.timeoutSeconds}s`
        : (err.cause?.code ?? err.cause?.message ?? err.message);
    throw new ChannelError(`${opts.what}: cannot reach ${where} (${why})`);
  }
  const text = await res.text().catch(() => '');
  if (!res.ok) {
    const snippet = text.replace(/\s+/g, ' ').trim().slice(0, 200);
    throw new ChannelError(
      `${opts.what}: ${where} answered HTTP ${res.status}${snippet ? `: ${snippet}` : ''}`,
      res.status
    );
  }
  return text;
}
