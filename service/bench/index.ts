import fs from 'node:fs';
import path from 'node:path';

/**
 * `npm run bench`: runs every `*.bench.ts` beside this file (or those named on the command line,
 * e.g. `npm run bench -- storage`). Each prints its own throughput tables; nothing here asserts on
 * time — speed is reported, not tested.
 */
async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const files = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
    .sort();
  process.stdout.write(`# dtk benchmarks (node ${process.version}, ${new Date().toISOString()})\n`);
  for (const f of files) {
    // require, not import(): the tsx hook that runs these TypeScript files is a CommonJS one.
    const mod = require(path.join(__dirname, f)) as { run: () => Promise<void> };
    await mod.run();
  }
}

main().catch((e) => {
  process.stderr.write(`bench failed: ${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
