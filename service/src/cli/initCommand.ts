import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { DtkError, errorMessage } from '../errors';
import { createReporter, type Reporter } from '../pipeline';
import { scaffoldFiles, scaffoldTimes } from './scaffold/templates';

interface InitFlags {
  targetDir?: string;
}

/** detectkit's project name rule (reference §2.2): letters and digits of any script, `_`, `-` and spaces. */
const NAME_RULE = /^[\p{L}\p{N}_\- ]+$/u;

/** `dtk init`: detectkit's scaffold layout, with files that validate and run on the embedded store. */
export function registerInitCommand(program: Command): void {
  program
    .command('init')
    .description('create a detectkit project that validates and runs as generated (embedded store, example metric)')
    .argument('<project_name>', 'project name; the project is created in <target-dir>/<basename of the name>')
    .option('-d, --target-dir <dir>', 'directory to create the project in', '.')
    .action((projectName: string, flags: InitFlags) => {
      initProject(projectName, flags.targetDir ?? '.', createReporter());
    });
}

/** Creates the project and returns its directory. Throws DtkError: 'usage' for a bad name, 'conflict' if it exists. */
export function initProject(projectName: string, targetDir: string, out: Reporter, now = Date.now()): string {
  // detectkit takes the basename, so `dtk init path/to/x` names the project `x` (created in <target-dir>/x).
  const name = path.basename(projectName.trim());
  if (!name || !NAME_RULE.test(name) || !name.trim()) {
    throw new DtkError(
      'usage',
      `Invalid project name '${name}': use letters, digits, underscores, dashes and spaces (e.g. my_project)`
    );
  }
  const target = path.resolve(targetDir, name);
  if (fs.existsSync(target)) {
    throw new DtkError('conflict', `Directory '${target}' already exists! Choose another name or --target-dir.`);
  }
  out.line(`Creating detectkit project '${name}' in ${path.resolve(targetDir)}...`);
  const times = scaffoldTimes(now);
  try {
    for (const [rel, text] of Object.entries(scaffoldFiles(name, times))) {
      const file = path.join(target, rel);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      // `wx`: never overwrite, even if something appears at the target meanwhile.
      fs.writeFileSync(file, text, { flag: 'wx' });
    }
  } catch (e) {
    throw new DtkError('storage_not_writable', `cannot create the project in ${target}: ${errorMessage(e)}`, {
      cause: e,
    });
  }
  const rel = path.relative(process.cwd(), target) || '.';
  out.line('✓ Project created successfully!', 'green');
  out.line();
  out.line('Next steps:');
  out.line(`  cd ${/\s/.test(rel) ? JSON.stringify(rel) : rel}`);
  out.line('  dtk validate                  # check the configuration');
  out.line("  dtk run --select '*'          # load and detect the example metric (embedded store, .dtk/data)");
  out.line('  dtk export example_cpu_usage  # the stored points with each detector result');
  out.line();
  out.line('Edit metrics/example_cpu_usage.yml or add your own metrics; see README.md.');
  return target;
}
