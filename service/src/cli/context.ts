import path from 'node:path';
import type { Command } from 'commander';
import { selectProfile, type SelectedProfile } from '../config/profiles';
import { createLogger, type Logger } from '../logging/logger';

export interface ProjectOptions {
  project?: string;
  profile?: string;
  dataDir?: string;
}

/** Adds the options every command that touches a project shares. */
export function withProjectOptions(cmd: Command): Command {
  return cmd
    .option('--project <dir>', 'project root (the directory with detectkit_project.yml)', '.')
    .option('--profile <name>', 'database profile from profiles.yml (default: default_profile, else embedded)')
    .option('--data-dir <dir>', 'embedded engine data directory (overrides the profile path)');
}

export interface CliContext {
  projectDir: string;
  selected: SelectedProfile;
  logger: Logger;
}

export function cliContext(opts: ProjectOptions, globals: { verbose?: boolean }): CliContext {
  const projectDir = path.resolve(opts.project ?? '.');
  const selected = selectProfile(projectDir, opts.profile);
  if (opts.dataDir) {
    if (selected.profile.type !== 'embedded') {
      selected.profile = {
        type: 'embedded',
        path: opts.dataDir,
        internal_database: 'dtk',
        data_database: 'default',
        settings: {},
      };
    } else {
      selected.profile = { ...selected.profile, path: opts.dataDir };
    }
  }
  const logger = createLogger({ level: globals.verbose ? 'debug' : 'info', pretty: true });
  return { projectDir, selected, logger };
}
