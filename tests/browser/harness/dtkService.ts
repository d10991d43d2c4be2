import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, waitFor } from '../../../service/test/net';

const REPO = path.resolve(__dirname, '../../..');

export interface DtkService {
  url: string;
  token: string;
  /** The temporary copy of the demo project. */
  project: string;
  log(): string;
  stop(): Promise<void>;
}

/**
 * The demo project served by a real `dtk serve`: a temporary copy of provisioning/detectkit (the repo's .dtk stays
 * untouched), three days of demo data backfilled by `dtk demo --once`, then the service on a free port with a
 * token (the harness proxy adds it, as Grafana's does).
 */
export async function startDemoService(days = 3): Promise<DtkService> {
  const project = fs.mkdtempSync(path.join(os.tmpdir(), 'dtk-browser-'));
  fs.cpSync(path.join(REPO, 'provisioning/detectkit'), project, {
    recursive: true,
    filter: (src) => path.basename(src) !== '.dtk',
  });
  const dtk = path.join(REPO, 'bin/dtk.js');
  const demo = spawnSync(process.execPath, [dtk, 'demo', '--project', project, '--once', '--days', String(days)], {
    encoding: 'utf8',
    timeout: 240_000,
  });
  if (demo.status !== 0) {
    throw new Error(`dtk demo --once failed (${demo.status ?? demo.signal}):\n${demo.stdout}\n${demo.stderr}`);
  }
  const token = randomBytes(24).toString('hex');
  const port = await freePort();
  const args = ['serve', '--project', project, '--port', String(port), '--host', '127.0.0.1'];
  const proc = spawn(process.execPath, [dtk, ...args, '--delay', '0s', '--jitter', '0s', '--grace', '0s'], {
    env: { ...process.env, DTK_API_TOKEN: token },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (d: Buffer) => (out = (out + d.toString()).slice(-20_000));
  proc.stdout!.on('data', keep);
  proc.stderr!.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (proc.exitCode === null) {
      let timer: NodeJS.Timeout | undefined;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 10_000)))]);
      clearTimeout(timer);
      if (proc.exitCode === null) {
        proc.kill('SIGKILL');
      }
    }
    fs.rmSync(project, { recursive: true, force: true });
  };
  try {
    await waitFor(`${url}/api/health`, 'dtk serve', proc, () => out);
  } catch (e) {
    await stop();
    throw e;
  }
  return { url, token, project, log: () => out, stop };
}
