/**
 * detectkit's run output: a tree per metric (`┌─ LOAD`, `│ …`, `└─ …`), colours only on a TTY, and
 * progress bars for multi-batch work (redrawn in place on a TTY, a line per 10% otherwise).
 */
export type Colour = 'green' | 'yellow' | 'red' | 'cyan' | 'dim' | 'bold';

const CODES: Record<Colour, [number, number]> = {
  green: [32, 39],
  yellow: [33, 39],
  red: [31, 39],
  cyan: [36, 39],
  dim: [2, 22],
  bold: [1, 22],
};

export interface Reporter {
  line(text?: string, colour?: Colour): void;
  progress(label: string, done: number, total: number): void;
  /** A step starts (the scheduler shows it as the run's progress). */
  step?(step: 'load' | 'detect' | 'alert'): void;
}

export function createReporter(out: NodeJS.WritableStream & { isTTY?: boolean } = process.stdout): Reporter {
  const tty = Boolean(out.isTTY) && !process.env.NO_COLOR;
  let lastDecile = -1;
  let inBar = false;
  const paint = (text: string, colour?: Colour) => {
    if (!colour || !tty) {
      return text;
    }
    const [open, close] = CODES[colour];
    return `\u001b[${open}m${text}\u001b[${close}m`;
  };
  return {
    line(text = '', colour) {
      if (inBar) {
        out.write('\n');
        inBar = false;
      }
      out.write(`${paint(text, colour)}\n`);
    },
    progress(label, done, total) {
      const frac = total > 0 ? Math.min(1, done / total) : 1;
      if (tty) {
        const width = 24;
        const filled = Math.round(frac * width);
        out.write(
          `\r  │   ${label} [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${Math.round(frac * 100)}% (${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')})`
        );
        inBar = frac < 1;
        if (frac >= 1) {
          out.write('\n');
        }
        return;
      }
      const decile = Math.floor(frac * 10);
      if (decile !== lastDecile || frac >= 1) {
        lastDecile = frac >= 1 ? -1 : decile;
        out.write(
          `  │   ${label}: ${Math.round(frac * 100)}% (${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')})\n`
        );
      }
    },
  };
}

/** A reporter that discards everything (scheduler, tests). */
export const silentReporter: Reporter = { line: () => undefined, progress: () => undefined };

/** `YYYY-MM-DD HH:MM:SS` in UTC, as detectkit prints times. */
export function fmtTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

export function fmtInt(n: number): string {
  return n.toLocaleString('en-US');
}
