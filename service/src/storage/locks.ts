import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { SqlConnection } from './connect';

/**
 * Pipeline locks in `_dtk_tasks`, with expiry.
 *
 * ClickHouse has no compare-and-set, so a lock is a claim protocol on an append-only table: a
 * contender appends a `running` row with its owner id, stamped by the server clock, then reads the
 * live claims for the key (latest row per owner is `running` and `updated_at + timeout_seconds` is
 * in the future). The earliest live claim wins; losers append a `skipped` row that withdraws their
 * claim. Heartbeats append fresh `running` rows; release appends the final status. An owner whose
 * claim expired is recorded as `expired` by whoever takes over.
 *
 * Within one process, claims for one key are serialised, which makes the protocol exact for the
 * embedded engine (one process per data directory). Between processes sharing a server, a short
 * settle delay before the read covers inserts that are still in flight. A claim whose owner process
 * on this host is gone (killed mid-run) is taken over at once instead of blocking until expiry.
 */
export interface LockKey {
  metricName: string;
  detectorId?: string;
  processType?: string;
}

export interface Lock {
  key: Required<LockKey>;
  owner: string;
  startedAt: number;
  timeoutSeconds: number;
}

export interface LockHolder {
  owner: string;
  startedAt: number;
  updatedAt: number;
  timeoutSeconds: number;
}

export type AcquireResult = { acquired: true; lock: Lock } | { acquired: false; holder: LockHolder };

export type FinalStatus = 'completed' | 'failed';

interface ClaimRow {
  owner: string;
  cur_status: string;
  started_ms: string | number;
  updated_ms: string | number;
  cur_timeout: number;
  live: number;
}

/** Owner ids name their host and pid, so a claim left by a killed process on this host is recognised. */
export function newOwnerId(): string {
  return `${os.hostname()}:${process.pid}:${randomUUID()}`;
}

/** True when the owner ran on this host in a process that no longer exists (killed, crashed). */
function abandoned(owner: string): boolean {
  const [host, pidText] = owner.split(':');
  const pid = Number(pidText);
  if (host !== os.hostname() || !Number.isInteger(pid) || pid <= 0 || pid === process.pid) {
    return false;
  }
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

function isLive(c: ClaimRow): boolean {
  return Number(c.live) === 1 && !abandoned(c.owner);
}

function fullKey(k: LockKey): Required<LockKey> {
  return { metricName: k.metricName, detectorId: k.detectorId ?? 'pipeline', processType: k.processType ?? 'pipeline' };
}

export class LockManager {
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly conn: SqlConnection,
    private readonly table: string,
    /** Milliseconds to wait between claiming and reading back; 0 for the embedded engine. */
    private readonly settleMs: number
  ) {}

  /** Runs fn after every earlier call for the same key in this process has finished. */
  private serialise<T>(k: Required<LockKey>, fn: () => Promise<T>): Promise<T> {
    const id = `${k.metricName}\u0000${k.detectorId}\u0000${k.processType}`;
    const prev = this.queues.get(id) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const tail = next.catch(() => undefined);
    this.queues.set(id, tail);
    void tail.then(() => {
      if (this.queues.get(id) === tail) {
        this.queues.delete(id);
      }
    });
    return next;
  }

  private async append(
    k: Required<LockKey>,
    owner: string,
    status: string,
    opts: { startedMs?: number; timeoutSeconds: number; error?: string | null; lastProcessedMs?: number | null }
  ): Promise<void> {
    await this.conn.command(
      `INSERT INTO ${this.table} (metric_name, detector_id, process_type, status, started_at, updated_at,
         last_processed_timestamp, error_message, timeout_seconds, lock_owner)
       SELECT {m:String}, {d:String}, {p:String}, {s:String},
         ${opts.startedMs === undefined ? 'now64(3)' : "fromUnixTimestamp64Milli({sa:Int64}, 'UTC')"}, now64(3),
         fromUnixTimestamp64Milli({lp:Nullable(Int64)}, 'UTC'),
         {e:Nullable(String)}, {to:Int32}, {o:String}`,
      {
        m: k.metricName,
        d: k.detectorId,
        p: k.processType,
        s: status,
        sa: opts.startedMs ?? 0,
        lp: opts.lastProcessedMs ?? null,
        e: opts.error ?? null,
        to: opts.timeoutSeconds,
        o: owner,
      }
    );
  }

  /** Latest row per owner for the key, with liveness judged by the server clock. */
  private async claims(k: Required<LockKey>): Promise<ClaimRow[]> {
    return this.conn.json<ClaimRow>(
      `SELECT lock_owner AS owner,
              argMax(status, (updated_at, status != 'running')) AS cur_status,
              toUnixTimestamp64Milli(argMax(started_at, (updated_at, status != 'running'))) AS started_ms,
              toUnixTimestamp64Milli(max(updated_at)) AS updated_ms,
              argMax(timeout_seconds, (updated_at, status != 'running')) AS cur_timeout,
              cur_status = 'running' AND max(updated_at) + toIntervalSecond(cur_timeout) > now64(3) AS live
       FROM ${this.table}
       WHERE metric_name = {m:String} AND detector_id = {d:String} AND process_type = {p:String}
       GROUP BY lock_owner
       ORDER BY started_ms, owner`,
      { m: k.metricName, d: k.detectorId, p: k.processType }
    );
  }

  async acquire(key: LockKey, opts: { timeoutSeconds?: number; owner?: string } = {}): Promise<AcquireResult> {
    const k = fullKey(key);
    const owner = opts.owner ?? newOwnerId();
    const timeoutSeconds = opts.timeoutSeconds ?? 3600;
    return this.serialise(k, async () => {
      const before = await this.claims(k);
      const holder = before.find((c) => isLive(c) && c.owner !== owner);
      if (holder) {
        return { acquired: false, holder: toHolder(holder) };
      }
      await this.append(k, owner, 'running', { timeoutSeconds });
      if (this.settleMs > 0) {
        await new Promise((r) => setTimeout(r, this.settleMs));
      }
      const after = await this.claims(k);
      const winner = after.find(isLive);
      if (!winner || winner.owner !== owner) {
        await this.append(k, owner, 'skipped', { timeoutSeconds, error: 'lost the lock to a concurrent run' });
        const h = winner ?? after[0];
        return {
          acquired: false,
          holder: h ? toHolder(h) : { owner: 'unknown', startedAt: 0, updatedAt: 0, timeoutSeconds },
        };
      }
      // Claims that expired without a release: record why they lost the lock.
      for (const c of before) {
        if (c.cur_status === 'running' && !isLive(c) && c.owner !== owner) {
          await this.append(k, c.owner, 'expired', {
            startedMs: Number(c.started_ms),
            timeoutSeconds: c.cur_timeout,
            error:
              Number(c.live) === 1
                ? `lock abandoned: its process is gone; taken over by ${owner}`
                : `lock expired: no heartbeat for ${c.cur_timeout}s; taken over by ${owner}`,
          });
        }
      }
      return { acquired: true, lock: { key: k, owner, startedAt: Number(winner.started_ms), timeoutSeconds } };
    });
  }

  /** Extends the lock; false when it expired and someone else holds it now. */
  async heartbeat(lock: Lock, lastProcessedMs?: number): Promise<boolean> {
    return this.serialise(lock.key, async () => {
      const winner = (await this.claims(lock.key)).find(isLive);
      if (winner && winner.owner !== lock.owner) {
        return false;
      }
      await this.append(lock.key, lock.owner, 'running', {
        startedMs: lock.startedAt,
        timeoutSeconds: lock.timeoutSeconds,
        lastProcessedMs: lastProcessedMs ?? null,
      });
      return true;
    });
  }

  async release(
    lock: Lock,
    status: FinalStatus,
    opts: { error?: string | null; lastProcessedMs?: number | null } = {}
  ): Promise<void> {
    await this.serialise(lock.key, () =>
      this.append(lock.key, lock.owner, status, {
        startedMs: lock.startedAt,
        timeoutSeconds: lock.timeoutSeconds,
        error: opts.error ?? null,
        lastProcessedMs: opts.lastProcessedMs ?? null,
      })
    );
  }

  /** The live holder of a key, if any. */
  async holder(key: LockKey): Promise<LockHolder | null> {
    const live = (await this.claims(fullKey(key))).find(isLive);
    return live ? toHolder(live) : null;
  }
}

function toHolder(c: ClaimRow): LockHolder {
  return {
    owner: c.owner,
    startedAt: Number(c.started_ms),
    updatedAt: Number(c.updated_ms),
    timeoutSeconds: c.cur_timeout,
  };
}
