/**
 * Group commit: calls that arrive while the engine is busy with the previous batch are sent together as the next
 * one. Many metrics running at once (a scheduler tick) then cost one state query, one insert per table and one
 * series read per round instead of one of each per metric: the embedded engine runs one query at a time and a
 * MergeTree insert costs about the same for 1 row as for 10,000, so batching is where the throughput is.
 *
 * A lone caller pays one event-loop turn of delay (setImmediate), never a timer. A batch that fails is retried
 * item by item, so one bad item fails only its own caller and the error names it.
 */
export interface GroupCommitOptions<I> {
  /** Most items per batch. */
  maxItems: number;
  /** Size of an item (e.g. rows) and the most per batch; an item larger than the limit goes alone. */
  weight?: (item: I) => number;
  maxWeight?: number;
}

interface Pending<I, O> {
  item: I;
  resolve: (o: O) => void;
  reject: (e: unknown) => void;
}

export class GroupCommit<I, O> {
  private queue: Array<Pending<I, O>> = [];
  private running = false;
  private scheduled = false;

  constructor(
    private readonly flush: (items: I[]) => Promise<O[]>,
    private readonly opts: GroupCommitOptions<I>
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.running && !this.scheduled) {
        this.scheduled = true;
        // One turn of the loop lets every caller that resumed from the same previous answer join this batch.
        setImmediate(() => {
          this.scheduled = false;
          void this.drain();
        });
      }
    });
  }

  private take(): Array<Pending<I, O>> {
    const { maxItems, weight, maxWeight = Infinity } = this.opts;
    let n = 0;
    let w = 0;
    while (n < this.queue.length && n < maxItems) {
      const iw = weight ? weight(this.queue[n]!.item) : 1;
      if (n > 0 && w + iw > maxWeight) {
        break;
      }
      w += iw;
      n++;
    }
    return this.queue.splice(0, n);
  }

  private async drain(): Promise<void> {
    if (this.running) {
      return;
    }
    this.running = true;
    try {
      while (this.queue.length > 0) {
        await this.run(this.take());
      }
    } finally {
      this.running = false;
    }
  }

  private async run(batch: Array<Pending<I, O>>): Promise<void> {
    try {
      const out = await this.flush(batch.map((p) => p.item));
      batch.forEach((p, i) => p.resolve(out[i]!));
    } catch (e) {
      if (batch.length === 1) {
        batch[0]!.reject(e);
        return;
      }
      for (const p of batch) {
        try {
          p.resolve((await this.flush([p.item]))[0]!);
        } catch (err) {
          p.reject(err);
        }
      }
    }
  }
}
