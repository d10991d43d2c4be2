/** Prints a throughput table in Markdown so results paste into issue notes unchanged. */
export function printTable(title: string, headers: string[], rows: Array<Array<string | number>>): void {
  const cells = rows.map((r) => r.map((c) => (typeof c === 'number' ? formatNumber(c) : c)));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => String(r[i] ?? '').length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  process.stdout.write(`\n### ${title}\n\n`);
  process.stdout.write(`${line(headers)}\n`);
  process.stdout.write(`| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |\n`);
  for (const r of cells) {
    process.stdout.write(`${line(r.map(String))}\n`);
  }
}

export function formatNumber(n: number): string {
  return Number.isInteger(n) ? n.toLocaleString('en-US') : n.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

/** Runs fn repeatedly until at least minMs elapsed; returns the best per-run time in ms. */
export async function bestOf(
  fn: () => unknown | Promise<unknown>,
  opts: { runs?: number; minMs?: number } = {}
): Promise<number> {
  const runs = opts.runs ?? 3;
  let best = Infinity;
  const started = performance.now();
  for (let i = 0; i < runs || performance.now() - started < (opts.minMs ?? 0); i++) {
    const t0 = performance.now();
    await fn();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}
