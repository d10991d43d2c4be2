import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { RowBinaryWriter } from './codec';
import type { SqlConnection } from './connect';
import { GroupCommit } from './groupCommit';

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
 * Within one process, claims for one key are serialised. With the embedded engine the process owns
 * the store, so claims are kept in memory and only outcomes are written (see acquireInMemory). Between processes sharing a server, a short
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

function keyId(k: Required<LockKey>): string {
  return `${k.metricName}\u0000${k.detectorId}\u0000${k.processType}`;
}

function fullKey(k: LockKey): Required<LockKey> {
  return { metricName: k.metricName, detectorId: k.detectorId ?? 'pipeline', processType: k.processType ?? 'pipeline' };
}

/** One `_dtk_tasks` row; a null start is stamped by the server clock (claims compare server times). */
interface TaskRow {
  key: Required<LockKey>;
  owner: string;
  status: string;
  startedMs: number | null;
  timeoutSeconds: number;
  error: string | null;
  lastProcessedMs: number | null;
}

export class LockManager {
  /** Claims, heartbeats and outcomes of many metrics go in one insert (see groupCommit.ts). */
  private readonly rows: GroupCommit<TaskRow, void>;
  private readonly queues = new Map<string, Promise<unknown>>();
  /** Exclusive mode: the live claims, by key. */
  private readonly memory = new Map<string, LockHolder>();

  private readonly settleMs: number;
  private readonly exclusive: boolean;

  constructor(
    private readonly conn: SqlConnection,
    private readonly table: string,
    options: {
      /** Milliseconds to wait between claiming and reading back (other processes' inserts in flight). */
      settleMs?: number;
      /**
       * This process is the only writer (the embedded engine owns its directory): claims for a key are
       * serialised here, so the read-back that settles races between processes is not needed.
       */
      exclusive?: boolean;
    } = {}
  ) {
    this.settleMs = options.settleMs ?? 0;
    this.exclusive = options.exclusive ?? false;
    this.rows = new GroupCommit<TaskRow, void>(
      async (rows) => {
        await this.insert(rows);
        return rows.map(() => undefined);
      },
      { maxItems: 5_000 }
    );
  }

  private async insert(rows: TaskRow[]): Promise<void> {
    const w = new RowBinaryWriter();
    for (const r of rows) {
      w.string(r.key.metricName);
      w.string(r.key.detectorId);
      w.string(r.key.processType);
      w.string(r.status);
      w.nullableInt64(r.startedMs);
      w.nullableInt64(r.lastProcessedMs);
      w.nullableString(r.error);
      w.int32(r.timeoutSeconds);
      w.string(r.owner);
    }
    await this.conn.insertRowBinary(
      'm String, d String, p String, s String, sa Nullable(Int64), lp Nullable(Int64), e Nullable(String), tmo Int32, o String',
      (source) =>
        `INSERT INTO ${this.table} (metric_name, detector_id, process_type, status, started_at, updated_at,
           last_processed_timestamp, error_message, timeout_seconds, lock_owner)
         SELECT m, d, p, s, if(isNull(sa), now64(3), fromUnixTimestamp64Milli(assumeNotNull(sa), 'UTC')), now64(3),
           fromUnixTimestamp64Milli(lp, 'UTC'), e, tmo, o FROM ${source}`,
      w.finish()
    );
  }

  /** Runs fn after every earlier call for the same key in this process has finished. */
  private serialise<T>(k: Required<LockKey>, fn: () => Promise<T>): Promise<T> {
    const id = keyId(k);
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
    await this.rows.submit({
      key: k,
      owner,
      status,
      startedMs: opts.startedMs ?? null,
      timeoutSeconds: opts.timeoutSeconds,
      error: opts.error ?? null,
      lastProcessedMs: opts.lastProcessedMs ?? null,
    });
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
      if (this.exclusive) {
        return this.acquireInMemory(k, owner, timeoutSeconds);
      }
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
      await this.recordExpired(k, before, owner);
      return { acquired: true, lock: { key: k, owner, startedAt: Number(winner.started_ms), timeoutSeconds } };
    });
  }

  /**
   * The embedded engine belongs to this process alone, so its locks live in memory: nobody else can
   * read or write the store while it is open, and a crash ends every claim with the process. Only
   * the outcome of a run (and a takeover of an expired claim) is written to `_dtk_tasks`.
   */
  private async acquireInMemory(k: Required<LockKey>, owner: string, timeoutSeconds: number): Promise<AcquireResult> {
    const id = keyId(k);
    const now = Date.now();
    const current = this.memory.get(id);
    if (current && current.owner !== owner) {
      if (now < current.updatedAt + current.timeoutSeconds * 1000) {
        return { acquired: false, holder: { ...current } };
      }
      await this.append(k, current.owner, 'expired', {
        startedMs: current.startedAt,
        timeoutSeconds: current.timeoutSeconds,
        error: `lock expired: no heartbeat for ${current.timeoutSeconds}s; taken over by ${owner}`,
      });
    }
    this.memory.set(id, { owner, startedAt: now, updatedAt: now, timeoutSeconds });
    return { acquired: true, lock: { key: k, owner, startedAt: now, timeoutSeconds } };
  }

  /** Claims that expired (or whose process is gone) without a release: record why they lost the lock. */
  private async recordExpired(k: Required<LockKey>, claims: ClaimRow[], owner: string): Promise<void> {
    for (const c of claims) {
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
  }

  /** Extends the lock; false when it expired and someone else holds it now. */
  async heartbeat(lock: Lock, lastProcessedMs?: number): Promise<boolean> {
    return this.serialise(lock.key, async () => {
      if (this.exclusive) {
        const current = this.memory.get(keyId(lock.key));
        const now = Date.now();
        if (!current || current.owner !== lock.owner || now >= current.updatedAt + current.timeoutSeconds * 1000) {
          return false;
        }
        current.updatedAt = now;
        return true;
      }
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
    await this.serialise(lock.key, () => {
      const id = keyId(lock.key);
      if (this.memory.get(id)?.owner === lock.owner) {
        this.memory.delete(id);
      }
      return this.append(lock.key, lock.owner, status, {
        startedMs: lock.startedAt,
        timeoutSeconds: lock.timeoutSeconds,
        error: opts.error ?? null,
        lastProcessedMs: opts.lastProcessedMs ?? null,
      });
    });
  }

  /** Records a run that did not start because another run of the key was still going (the scheduler's overlap). */
  async recordSkipped(key: LockKey, reason: string): Promise<void> {
    await this.append(fullKey(key), newOwnerId(), 'skipped', { timeoutSeconds: 0, error: reason });
  }

  /** The live holder of a key, if any. */
  async holder(key: LockKey): Promise<LockHolder | null> {
    if (this.exclusive) {
      const current = this.memory.get(keyId(fullKey(key)));
      return current && Date.now() < current.updatedAt + current.timeoutSeconds * 1000 ? { ...current } : null;
    }
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
