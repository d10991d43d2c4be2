/**
 * Recent fits, by detector, refit point and training data. A scheduled run judges a few new points, whose refit
 * point was usually fitted by an earlier run: the cache turns that into a lookup, so a model is fitted about once
 * per `refit_every` points whatever the run cadence. The key includes a hash of the training values, so a
 * changed history (late data, a full refresh) is refitted, and results never depend on what is cached.
 */
export class FitCache<V> {
  private readonly entries = new Map<string, V>();

  constructor(private readonly capacity: number) {}

  get(key: string): V | undefined {
    const v = this.entries.get(key);
    if (v !== undefined) {
      // Map keeps insertion order: re-inserting marks the entry as recently used.
      this.entries.delete(key);
      this.entries.set(key, v);
    }
    return v;
  }

  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) {
        break;
      }
      this.entries.delete(oldest);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }
}
