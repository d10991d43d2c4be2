import type { Reporter } from './reporter';
import { runMetric, type PipelineDeps } from './runMetric';
import type { MetricRunResult, PipelineMetric, RunOptions } from './types';

/** Buffers one metric's lines so metrics that run at the same time print as whole blocks. */
function bufferedReporter(): Reporter & { flush(to: Reporter): void } {
  const lines: Array<[string, Parameters<Reporter['line']>[1]]> = [];
  return {
    line: (text = '', colour) => void lines.push([text, colour]),
    progress: () => undefined,
    flush: (to) => lines.forEach(([t, c]) => to.line(t, c)),
  };
}

/**
 * Runs metrics with at most `threads` at once (one metric's steps stay sequential). Storage calls
 * wait on the engine or the network, so a few metrics in flight keep both cores busy. Output stays
 * live for a single metric and is printed per metric, whole, otherwise.
 */
export async function runMany(
  deps: PipelineDeps,
  metrics: PipelineMetric[],
  opts: RunOptions,
  threads: number,
  header?: (r: Reporter, m: PipelineMetric, opts: RunOptions) => void
): Promise<MetricRunResult[]> {
  const results: MetricRunResult[] = new Array(metrics.length);
  const live = threads === 1 || metrics.length === 1;
  let next = 0;
  const worker = async () => {
    while (next < metrics.length) {
      const i = next++;
      const m = metrics[i]!;
      const r = live ? deps.reporter : bufferedReporter();
      header?.(r, m, opts);
      const res = await runMetric({ ...deps, reporter: r }, m, opts);
      r.line(
        res.status === 'success' ? '✓ Pipeline completed successfully' : `  ✗ Failed: ${res.error}`,
        res.status === 'success' ? 'green' : 'red'
      );
      r.line();
      if (!live) {
        (r as ReturnType<typeof bufferedReporter>).flush(deps.reporter);
      }
      results[i] = res;
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, threads), metrics.length) }, worker));
  return results;
}
