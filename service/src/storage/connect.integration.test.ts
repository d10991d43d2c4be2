import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { clickhouseProfileSchema } from '../../../common/config/profile';
import { StorageError } from '../errors';
import { createLogger, silentLogger } from '../logging/logger';
import { freePort } from '../../test/net';
import { httpUrl } from './connect';
import { Store } from './store';

const REPO = path.resolve(__dirname, '../../..');

async function openError(profile: Parameters<typeof Store.open>[0], baseDir = '/'): Promise<StorageError> {
  try {
    const s = await Store.open(profile, { logger: silentLogger, baseDir });
    await s.close();
  } catch (e) {
    expect(e).toBeInstanceOf(StorageError);
    return e as StorageError;
  }
  throw new Error('expected Store.open to fail');
}

describe('bad storage input gives one clear, actionable error', () => {
  test('an unreachable ClickHouse server', async () => {
    const port = await freePort();
    const err = await openError(
      clickhouseProfileSchema.parse({ type: 'clickhouse', host: '127.0.0.1', http_port: port, internal_database: 'x' })
    );
    expect(err.code).toBe('storage_unreachable');
    expect(err.message).toContain(`Cannot reach ClickHouse at http://127.0.0.1:${port}`);
    expect(err.message).toMatch(/Check that the server is running/);
  });

  test('wrong credentials (ClickHouse HTTP error shape for AUTHENTICATION_FAILED)', async () => {
    // ClickHouse answers a bad password with HTTP 516 and this body (documented error format).
    const server = http.createServer((_req, res) => {
      res.writeHead(516, { 'X-ClickHouse-Exception-Code': '516', 'Content-Type': 'text/plain; charset=UTF-8' });
      res.end(
        'Code: 516. DB::Exception: alice: Authentication failed: password is incorrect, or there is no user with such name. (AUTHENTICATION_FAILED) (version 24.8.4.13 (official build))\n'
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const { port } = server.address() as AddressInfo;
    try {
      const err = await openError(
        clickhouseProfileSchema.parse({
          type: 'clickhouse',
          host: '127.0.0.1',
          http_port: port,
          user: 'alice',
          password: 'nope',
          internal_database: 'x',
        })
      );
      expect(err.code).toBe('storage_auth');
      expect(err.message).toMatch(
        /refused the credentials: .*Authentication failed.*Fix user and password in profiles.yml/
      );
      expect(err.message).not.toContain('nope');
    } finally {
      server.close();
    }
  });

  test('a data directory that is not writable', async () => {
    const file = path.join(os.tmpdir(), `dtk-not-a-dir-${process.pid}`);
    fs.writeFileSync(file, '');
    const err = await openError({
      type: 'embedded',
      path: path.join(file, 'data'),
      internal_database: 'dtk',
      data_database: 'default',
      settings: {},
    });
    expect(err.code).toBe('storage_not_writable');
    expect(err.message).toMatch(/is not writable .* give this user write access/);
    if (process.getuid?.() !== 0) {
      // Permission bits are only enforced for non-root users.
      const ro = fs.mkdtempSync(path.join(os.tmpdir(), 'dtk-ro-'));
      fs.chmodSync(ro, 0o555);
      const e2 = await openError({
        type: 'embedded',
        path: ro,
        internal_database: 'dtk',
        data_database: 'default',
        settings: {},
      });
      expect(e2.code).toBe('storage_not_writable');
    }
  });

  test('a data directory already used by another dtk process; its data is untouched', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dtk-held-'));
    const holder = spawn(
      process.execPath,
      [path.join(REPO, 'bin/run-ts.js'), path.join(REPO, 'service/test/holdStore.ts'), dir],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      }
    );
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
        holder.on('exit', (code) => reject(new Error(`holder exited early with ${code}`)));
      });
      const err = await openError({
        type: 'embedded',
        path: dir,
        internal_database: 'dtk',
        data_database: 'default',
        settings: {},
      });
      expect(err.code).toBe('storage_locked');
      expect(err.message).toContain(`in use by another dtk process (pid ${holder.pid})`);
    } finally {
      holder.kill('SIGTERM');
      await new Promise((r) => holder.on('exit', r));
    }
    // The holder wrote 3 rows and exited; they are all there, and the directory opens again.
    const store = await runInChild(dir);
    expect(store).toContain('_dtk_datapoints 3');
  });

  test("detectkit's native port is mapped to HTTP, logged once", () => {
    const lines: string[] = [];
    const logger = createLogger({ destination: { write: (l: string) => lines.push(l) } });
    expect(httpUrl(clickhouseProfileSchema.parse({ type: 'clickhouse', host: 'ch', port: 9000 }), logger, 'prod')).toBe(
      'http://ch:8123'
    );
    expect(httpUrl(clickhouseProfileSchema.parse({ type: 'clickhouse', host: 'ch', port: 9440 }))).toBe(
      'https://ch:8443'
    );
    expect(
      httpUrl(clickhouseProfileSchema.parse({ type: 'clickhouse', host: 'ch', port: 9000, http_port: 18123 }))
    ).toBe('http://ch:18123');
    expect(httpUrl(clickhouseProfileSchema.parse({ type: 'clickhouse', host: 'ch', port: 8123 }))).toBe(
      'http://ch:8123'
    );
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ native_port: 9000, http_port: 8123, profile: 'prod' });
  });
});

/** Opens the store in a fresh process (the engine binds one directory per process) and reports counts. */
async function runInChild(dir: string): Promise<string> {
  const child = spawn(process.execPath, [path.join(REPO, 'bin/dtk.js'), 'storage', 'status', '--data-dir', dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise((r) => child.on('exit', r));
  expect(code).toBe(0);
  return out.replace(/ +/g, ' ');
}
