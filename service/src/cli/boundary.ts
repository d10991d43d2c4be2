import { CommanderError, type Command } from 'commander';
import { isDtkError } from '../errors';

/**
 * The CLI's error boundary: typed errors become one line on stderr (the stack only with
 * --verbose); usage errors exit 2, failures exit 1.
 */
export async function runCli(program: Command, argv: string[]): Promise<void> {
  const verbose = argv.includes('--verbose') || argv.includes('-v');
  program.exitOverride();
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version also arrive here, with exit code 0.
      process.exitCode = e.exitCode === 0 ? 0 : 2;
      return;
    }
    const message = isDtkError(e) ? e.message : `unexpected failure: ${(e as Error)?.message ?? String(e)}`;
    process.stderr.write(`error: ${message}\n`);
    if (verbose && e instanceof Error && e.stack) {
      process.stderr.write(`${e.stack}\n`);
      if (e.cause instanceof Error && e.cause.stack) {
        process.stderr.write(`caused by: ${e.cause.stack}\n`);
      }
    } else if (!isDtkError(e)) {
      process.stderr.write('run again with --verbose for the stack trace\n');
    }
    process.exitCode = isDtkError(e) && e.code === 'usage' ? 2 : 1;
  }
}
