/**
 * A small concurrency gate: a list of many metrics asks for many sparklines at once, and the service (and the
 * browser's connection pool) should see a few at a time rather than a burst.
 */
export function createLimiter(max: number) {
  let active = 0;
  const waiting: Array<() => void> = [];

  const next = () => {
    active--;
    waiting.shift()?.();
  };

  return function run<T>(task: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const start = () => {
        active++;
        task().then(resolve, reject).finally(next);
      };
      if (active < max) {
        start();
      } else {
        waiting.push(start);
      }
    });
  };
}
