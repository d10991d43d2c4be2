import path from 'node:path';
import type { Command } from 'commander';
import {
  ConfigError,
  findProjectRoot,
  formatIssue,
  listMetricFiles,
  loadProject,
  selectFromProject,
  type ConfigIssue,
  type LoadedProject,
} from '../config';

interface ValidateFlags {
  project?: string;
  strict?: boolean;
  select?: string[];
  exclude?: string[];
  profile?: string;
}

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

/** `dtk validate`: every file, every error and warning with file:line:column; exit 1 when any error. */
export function registerValidateCommand(program: Command): void {
  program
    .command('validate')
    .description('check detectkit_project.yml, profiles.yml and the metric files; exit 1 on any error')
    .option('--project <dir>', 'project directory (default: the nearest one above the current directory)')
    .option('--strict', 'unknown keys are errors, not warnings')
    .option('-s, --select <selector>', 'only these metrics: name, path glob or tag:<tag>; repeatable', collect)
    .option('-e, --exclude <selector>', 'skip these metrics (same grammar); repeatable', collect)
    .option('--profile <name>', 'the database profile you will use (its unset variables are errors)')
    .action((flags: ValidateFlags) => {
      process.exitCode = runValidate(flags, (s) => process.stdout.write(s), Boolean(process.stdout.isTTY));
    });
}

export function runValidate(
  flags: ValidateFlags,
  write: (s: string) => void,
  colour = false,
  env: NodeJS.ProcessEnv = process.env
): number {
  const paint = (code: number, s: string): string => (colour ? `\u001b[${code}m${s}\u001b[0m` : s);
  const root = findProjectRoot(path.resolve(flags.project ?? '.'));
  let project: LoadedProject | undefined;
  let issues: ConfigIssue[];
  try {
    project = loadProject(root, { strict: flags.strict, env, profile: flags.profile, partial: true });
    issues = project.issues;
  } catch (e) {
    if (!(e instanceof ConfigError)) {
      throw e;
    }
    issues = e.issues;
  }
  let metricCount = project
    ? project.metrics.length + project.failed.length
    : listMetricFiles(path.join(root, 'metrics')).length;
  if (project && (flags.select?.length || flags.exclude?.length)) {
    const sel = selectFromProject(project, flags.select, flags.exclude);
    const files = new Set([...sel.metrics.map((m) => m.file), ...sel.failed.map((f) => f.file)]);
    const metricFiles = new Set([...project.metrics.map((m) => m.file), ...project.failed.map((f) => f.file)]);
    issues = issues.filter((i) => !metricFiles.has(i.file) || files.has(i.file));
    metricCount = files.size;
  }
  const sorted = [...issues].sort(
    (a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0)
  );
  for (const i of sorted) {
    const label = i.severity === 'error' ? paint(31, 'error') : paint(33, 'warning');
    write(`${label}: ${formatIssue(i)}\n`);
  }
  const errors = issues.filter((i) => i.severity === 'error').length;
  const warnings = issues.length - errors;
  const plural = (n: number, w: string): string => `${n} ${w}${n === 1 ? '' : 's'}`;
  const summary = `${plural(metricCount, 'metric file')} checked in ${root}: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
  write(`${sorted.length ? '\n' : ''}${errors ? paint(31, `✗ ${summary}`) : paint(32, `✓ ${summary}`)}\n`);
  return errors ? 1 : 0;
}
