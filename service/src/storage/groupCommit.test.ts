import { GroupCommit } from './groupCommit';

describe('GroupCommit', () => {
  it('sends calls made together as one batch and answers each caller with its own result', async () => {
    const batches: number[][] = [];
    const gc = new GroupCommit<number, number>(
      async (xs) => {
        batches.push(xs);
        return xs.map((x) => x * 10);
      },
      { maxItems: 100 }
    );
    const out = await Promise.all([1, 2, 3, 4].map((x) => gc.submit(x)));
    expect(out).toEqual([10, 20, 30, 40]);
    expect(batches).toEqual([[1, 2, 3, 4]]);
  });

  it('queues calls that arrive during a flush into the next batch, bounded by maxItems and maxWeight', async () => {
    const batches: number[][] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const gc = new GroupCommit<number, number>(
      async (xs) => {
        batches.push(xs);
        if (batches.length === 1) {
          await gate;
        }
        return xs;
      },
      { maxItems: 3, weight: (x) => x, maxWeight: 10 }
    );
    const first = gc.submit(1);
    await new Promise((r) => setImmediate(r));
    const rest = [2, 3, 4, 5, 20].map((x) => gc.submit(x));
    release();
    await Promise.all([first, ...rest]);
    // 2+3+4 fit; 5 starts the next (weight 5), 20 is heavier than the limit and goes alone.
    expect(batches).toEqual([[1], [2, 3, 4], [5], [20]]);
  });

  it('retries a failed batch item by item, so only the bad item fails', async () => {
    const gc = new GroupCommit<number, number>(
      async (xs) => {
        if (xs.includes(13)) {
          throw new Error(`13 is unlucky (batch of ${xs.length})`);
        }
        return xs;
      },
      { maxItems: 10 }
    );
    const results = await Promise.allSettled([12, 13, 14].map((x) => gc.submit(x)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason.message).toBe('13 is unlucky (batch of 1)');
  });
});
