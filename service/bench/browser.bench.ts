import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { DIST, DIST_MODULES, ensureDist } from '../../tests/browser/harness/dist';
import { measureBandChartDraw } from '../../tests/browser/harness/drawBench';
import { CHROMIUM, chromiumAvailable, openSession } from '../../tests/browser/harness/session';
import { printTable } from './table';

/**
 * The plugin in the browser: BandChart drawing 100k points with 3 bands (setData → uPlot's draw hook, in Debian's
 * Chromium through the same harness as tests/browser; target ≤ 100 ms), and the size of what Grafana downloads
 * (each dist module.js, and the lazily loaded chunks of the app), raw and gzipped.
 */
export async function run(): Promise<void> {
  ensureDist((line) => process.stdout.write(`\n${line}\n`));
  printSizes();
  if (!chromiumAvailable()) {
    process.stdout.write(`\n### BandChart draw\n\nskipped: ${CHROMIUM} is absent (apt-get install chromium)\n`);
    return;
  }
  const session = await openSession();
  try {
    const rows: Array<Array<string | number>> = [];
    for (const points of [10_000, 100_000]) {
      const s = await measureBandChartDraw(session, { points, bands: 3, runs: 9 });
      rows.push([
        points,
        s.bands,
        s.runs,
        s.setDataToDraw.median,
        `${s.setDataToDraw.min}–${s.setDataToDraw.max}`,
        s.propsToDraw.median,
      ]);
    }
    printTable(
      `BandChart draw in Chromium ${session.chromiumVersion} (panel 1200×500, median of 9; target ≤ 100 ms at 100k)`,
      ['points', 'bands', 'runs', 'setData→draw ms', 'range ms', 'new props→draw ms'],
      rows
    );
  } finally {
    await session.close();
  }
}

function printSizes(): void {
  const size = (file: string) => {
    const bytes = fs.readFileSync(file);
    return { raw: bytes.length, gzip: zlib.gzipSync(bytes).length };
  };
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
  const rows = DIST_MODULES.map((m) => {
    const s = size(path.join(DIST, m));
    return [m, kb(s.raw), kb(s.gzip)];
  });
  // Chunks webpack splits off for lazy imports (the app's pages), loaded when a page opens.
  const chunks = fs.readdirSync(DIST).filter((f) => /^\d+\.js$/.test(f));
  const total = chunks
    .map((f) => size(path.join(DIST, f)))
    .reduce((a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip }), { raw: 0, gzip: 0 });
  rows.push([`${chunks.length} lazy chunks of module.js`, kb(total.raw), kb(total.gzip)]);
  printTable('Plugin bundle sizes (dist/, production build)', ['file', 'size', 'gzip'], rows);
}
