import { useCallback, useEffect, useState } from 'react';

export type AsyncState<T> =
  | { status: 'loading'; value?: T; error?: undefined }
  | { status: 'ok'; value: T; error?: undefined }
  | { status: 'error'; value?: T; error: unknown };

interface Settled<T> {
  load: () => Promise<T>;
  nonce: number;
  ok: boolean;
  value?: T;
  error?: unknown;
}

/**
 * Runs `load` (memoise it with useCallback: a new function means a new request) and keeps its result. A result that
 * arrives after a newer request started is dropped, so a slow answer never overwrites a fresh one. While reloading,
 * the previous value stays visible. "Loading" is derived (the last settled request is not the current one), so
 * nothing is set synchronously inside the effect.
 */
export function useAsync<T>(load: () => Promise<T>): AsyncState<T> & { reload: () => void } {
  const [nonce, setNonce] = useState(0);
  const [settled, setSettled] = useState<Settled<T> | null>(null);

  useEffect(() => {
    let current = true;
    load().then(
      (value) => current && setSettled({ load, nonce, ok: true, value }),
      (error: unknown) => current && setSettled((prev) => ({ load, nonce, ok: false, error, value: prev?.value }))
    );
    return () => {
      current = false;
    };
  }, [load, nonce]);

  const reload = useCallback(() => setNonce((n) => n + 1), []);
  const fresh = settled !== null && settled.load === load && settled.nonce === nonce;
  if (!fresh) {
    return { status: 'loading', value: settled?.value, reload };
  }
  return settled.ok
    ? { status: 'ok', value: settled.value as T, reload }
    : { status: 'error', error: settled.error, value: settled.value, reload };
}
