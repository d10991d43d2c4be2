import type { Command } from 'commander';
import { Store } from '../storage';
import { cliContext, withProjectOptions, type CliContext, type ProjectOptions } from './context';

/** Opens the project's store for one command and always closes it. */
async function withStore(
  opts: ProjectOptions,
  cmd: Command,
  migrate: boolean,
  fn: (store: Store, ctx: CliContext) => Promise<void>
): Promise<void> {
  const ctx = cliContext(opts, cmd.optsWithGlobals());
  const store = await Store.open(ctx.selected.profile, {
    baseDir: ctx.projectDir,
    logger: ctx.logger,
    profileName: ctx.selected.name,
    migrate,
  });
  try {
    await fn(store, ctx);
  } finally {
    await store.close();
  }
}

export function registerStorageCommands(program: Command): void {
  const storage = program.command('storage').description('inspect and upgrade the _dtk_* tables');

  withProjectOptions(
    storage
      .command('status')
      .description('open the store (creating or upgrading tables) and print where it is and its row counts')
  ).action((opts: ProjectOptions, cmd: Command) =>
    withStore(opts, cmd, true, async (store, ctx) => {
      const loc = store.location;
      const counts = await store.tableCounts();
      const version = await store.schemaVersion();
      const out = process.stdout;
      out.write(`store: ${loc.kind} ${loc.where}\n`);
      out.write(
        `profile: ${ctx.selected.name}${ctx.selected.source ? ` (${ctx.selected.source})` : ' (built-in default)'}\n`
      );
      out.write(
        `database: ${loc.database}${loc.cluster ? ` on cluster ${loc.cluster}` : ''}, schema version ${version}\n`
      );
      for (const [table, n] of Object.entries(counts)) {
        out.write(`  ${table.padEnd(22)} ${String(n).padStart(12)} rows\n`);
      }
    })
  );

  withProjectOptions(
    storage.command('migrate').description('create missing tables and apply pending schema migrations')
  ).action((opts: ProjectOptions, cmd: Command) =>
    // Opened without migrating, so the command reports what it upgraded.
    withStore(opts, cmd, false, async (store) => {
      const r = await store.migrate();
      process.stdout.write(
        r.applied.length
          ? `schema upgraded from version ${r.from} to ${r.to}\n`
          : `schema is up to date (version ${r.from})\n`
      );
    })
  );
}
