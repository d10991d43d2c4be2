#!/usr/bin/env node
// `npm test`: typecheck, lint, build, then unit and integration tests (Jest projects plugin,
// service, integration). Prints each step's outcome and ends with one line
// `tests: N passed, N failed` (each check step counts as one test, plus every Jest test).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
let passed = 0;
let failed = 0;

function step(name, cmd, args) {
  const started = Date.now();
  process.stdout.write(`\n==> ${name}: ${cmd} ${args.join(' ')}\n`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, FORCE_COLOR: '0' } });
  const ok = r.status === 0;
  process.stdout.write(
    `<== ${name}: ${ok ? 'ok' : `FAILED (exit ${r.status ?? r.signal})`} in ${((Date.now() - started) / 1000).toFixed(1)}s\n`
  );
  return ok;
}

for (const [name, script] of [
  ['typecheck', 'typecheck'],
  ['lint', 'lint'],
  ['build', 'build'],
]) {
  if (step(name, npm, ['run', '--silent', script])) {
    passed++;
  } else {
    failed++;
  }
}

const report = path.join(os.tmpdir(), `dtk-jest-${process.pid}.json`);
const jestOk = step('unit + integration tests', process.execPath, [
  path.join(root, 'node_modules/jest/bin/jest.js'),
  '--ci',
  '--maxWorkers=2',
  '--json',
  `--outputFile=${report}`,
]);
if (fs.existsSync(report)) {
  const r = JSON.parse(fs.readFileSync(report, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  // A suite that fails to load has no failed tests of its own: count it.
  failed += r.testResults.filter(
    (s) => s.status === 'failed' && s.assertionResults.every((a) => a.status !== 'failed')
  ).length;
  fs.rmSync(report, { force: true });
} else if (!jestOk) {
  failed++;
}

process.stdout.write(`\ntests: ${passed} passed, ${failed} failed\n`);
process.exitCode = failed === 0 && jestOk ? 0 : 1;
