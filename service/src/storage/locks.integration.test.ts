import os from 'node:os';
import { openTestStore } from '../../test/embedded';
import type { SqlConnection } from './connect';
import { LockManager } from './locks';
import type { Store } from './store';

describe('pipeline locks in _dtk_tasks', () => {
  let store: Store;
  let sql: SqlConnection;
  let db: string;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ store, sql, db, close } = await openTestStore('locks'));
  });

  afterAll(() => close());

  test('of two concurrent acquisitions for one metric exactly one wins', async () => {
    for (let round = 0; round < 5; round++) {
      const metricName = `concurrent-${round}`;
      const results = await Promise.all([
        store.locks.acquire({ metricName }, { owner: 'a' }),
        store.locks.acquire({ metricName }, { owner: 'b' }),
      ]);
      expect(results.filter((r) => r.acquired)).toHaveLength(1);
      const loser = results.find((r) => !r.acquired);
      const winner = results.find((r) => r.acquired);
      expect(loser && !loser.acquired && loser.holder.owner).toBe(winner && winner.acquired && winner.lock.owner);
    }
  });

  test('the claim protocol alone (two managers, as two processes would be) lets exactly one win', async () => {
    const a = new LockManager(sql, `${db}._dtk_tasks`);
    const b = new LockManager(sql, `${db}._dtk_tasks`);
    for (let round = 0; round < 10; round++) {
      const metricName = `two-processes-${round}`;
      const results = await Promise.all([
        a.acquire({ metricName }, { owner: `a${round}` }),
        b.acquire({ metricName }, { owner: `b${round}` }),
      ]);
      expect(results.filter((r) => r.acquired)).toHaveLength(1);
    }
  });

  test('a held lock blocks, a released lock can be taken again', async () => {
    const first = await store.locks.acquire({ metricName: 'cpu' }, { owner: 'one' });
    expect(first.acquired).toBe(true);
    const blocked = await store.locks.acquire({ metricName: 'cpu' }, { owner: 'two' });
    expect(blocked).toMatchObject({ acquired: false, holder: { owner: 'one' } });
    // Other keys are independent.
    expect((await store.locks.acquire({ metricName: 'cpu', detectorId: 'x', processType: 'detect' })).acquired).toBe(
      true
    );
    if (!first.acquired) {
      throw new Error('unreachable');
    }
    expect(await store.locks.heartbeat(first.lock, 1_700_000_000_000)).toBe(true);
    await store.locks.release(first.lock, 'completed', { lastProcessedMs: 1_700_000_000_000 });
    expect(await store.locks.holder({ metricName: 'cpu' })).toBeNull();
    expect((await store.locks.acquire({ metricName: 'cpu' }, { owner: 'two' })).acquired).toBe(true);
  });

  test('an expired lock can be taken over, and its owner learns it lost it', async () => {
    const stale = await store.locks.acquire({ metricName: 'mem' }, { owner: 'crashed', timeoutSeconds: 1 });
    expect(stale.acquired).toBe(true);
    expect((await store.locks.acquire({ metricName: 'mem' }, { owner: 'next' })).acquired).toBe(false);
    await new Promise((r) => setTimeout(r, 1300));
    const takeover = await store.locks.acquire({ metricName: 'mem' }, { owner: 'next' });
    expect(takeover.acquired).toBe(true);
    if (!stale.acquired) {
      throw new Error('unreachable');
    }
    expect(await store.locks.heartbeat(stale.lock)).toBe(false);
    const rows = await sql.json<{ lock_owner: string; status: string; error_message: string | null }>(
      `SELECT lock_owner, status, error_message FROM ${db}._dtk_tasks WHERE metric_name = 'mem' AND status = 'expired'`
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ lock_owner: 'crashed' });
    expect(rows[0]!.error_message).toMatch(/lock expired: no heartbeat for 1s; taken over by next/);
  });

  test('server claims: a claim left by a killed process on this host is taken over at once', async () => {
    // The claim protocol used with a ClickHouse server (several dtk processes share the table).
    const server = new LockManager(sql, `${db}._dtk_tasks`);
    const dead = `${os.hostname()}:2147483646:killed-run`;
    // The row a run writes when it takes the lock, as left behind by a process that was then killed.
    await sql.command(`INSERT INTO ${db}._dtk_tasks (metric_name, detector_id, process_type, status, started_at, updated_at,
        timeout_seconds, lock_owner) VALUES ('killed', 'pipeline', 'pipeline', 'running', now64(3), now64(3), 3600, '${dead}')`);
    expect(await server.holder({ metricName: 'killed' })).toBeNull();
    const next = await server.acquire({ metricName: 'killed' });
    expect(next.acquired).toBe(true);
    const rows = await sql.json<{ error_message: string }>(
      `SELECT error_message FROM ${db}._dtk_tasks WHERE metric_name = 'killed' AND status = 'expired'`
    );
    expect(rows[0]?.error_message).toMatch(/lock abandoned: its process is gone/);
    // A live claim from another host is not second-guessed.
    expect((await server.acquire({ metricName: 'remote' }, { owner: 'other-host:1:x' })).acquired).toBe(true);
    expect((await server.acquire({ metricName: 'remote' })).acquired).toBe(false);
  });

  test('server claims: expiry and heartbeats', async () => {
    const server = new LockManager(sql, `${db}._dtk_tasks`);
    const a = await server.acquire({ metricName: 'srv' }, { owner: 'a', timeoutSeconds: 1 });
    expect(a.acquired).toBe(true);
    expect((await server.acquire({ metricName: 'srv' }, { owner: 'b' })).acquired).toBe(false);
    await new Promise((r) => setTimeout(r, 1300));
    expect((await server.acquire({ metricName: 'srv' }, { owner: 'b' })).acquired).toBe(true);
    if (!a.acquired) {
      throw new Error('unreachable');
    }
    expect(await server.heartbeat(a.lock)).toBe(false);
  });

  test('a failed run records its error', async () => {
    const r = await store.locks.acquire({ metricName: 'disk' }, { owner: 'f' });
    if (!r.acquired) {
      throw new Error('expected the lock');
    }
    await store.locks.release(r.lock, 'failed', { error: 'Connection timeout' });
    const rows = await sql.json<{ status: string; error_message: string }>(
      `SELECT status, error_message FROM ${db}._dtk_tasks WHERE metric_name = 'disk' ORDER BY updated_at DESC, status = 'running' LIMIT 1`
    );
    expect(rows[0]).toEqual({ status: 'failed', error_message: 'Connection timeout' });
  });
});
