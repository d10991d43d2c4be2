import path from 'node:path';
import type { Argument, Command, Option } from 'commander';
import { buildProgram } from '../../service/src/cli/program';
import { cell, code, generatedBanner, inlineYaml, REPO, table } from './markdown';

/** docs/reference/cli.md: every command, argument and option of the commander program, as `dtk --help` has them. */

export interface CliReference {
  markdown: string;
  /** `dtk storage status` → its long flags (`--project`, …), for the completeness test. */
  commands: Array<{ name: string; flags: string[] }>;
}

/** A default as the reader should see it: paths inside this repository relative to it (the build machine's are noise). */
function shownDefault(v: unknown, description?: string): string {
  if (description !== undefined) {
    return code(description);
  }
  if (v === undefined || v === false) {
    return '—';
  }
  if (typeof v === 'string' && path.isAbsolute(v) && (v === REPO || v.startsWith(REPO + path.sep))) {
    return `${code(path.relative(REPO, v) || '.')} (in this repository)`;
  }
  return code(typeof v === 'string' ? v : inlineYaml(v));
}

/** The text a command prints after its generated help (`addHelpText('after', …)`), if any. */
function afterHelp(cmd: Command): string {
  let out = '';
  cmd.configureOutput({ writeOut: (s) => (out += s), writeErr: (s) => (out += s) });
  cmd.outputHelp();
  const base = cmd.helpInformation();
  const at = out.indexOf(base);
  return (at >= 0 ? out.slice(at + base.length) : '').trim();
}

function fullName(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) {
    names.unshift(c.name());
  }
  return names.join(' ');
}

function optionRows(cmd: Command, opts: readonly Option[]): string[][] {
  const help = cmd.createHelp();
  return opts.map((o) => [
    code(help.optionTerm(o)),
    cell(o.description),
    o.mandatory ? '**required**' : shownDefault(o.defaultValue, o.defaultValueDescription),
    o.argChoices ? o.argChoices.map(code).join(', ') : '—',
  ]);
}

function argumentRows(args: readonly Argument[]): string[][] {
  return args.map((a) => [
    code(a.name()),
    a.required ? 'yes' : 'no',
    cell(a.description),
    shownDefault(a.defaultValue, a.defaultValueDescription),
  ]);
}

function commandSection(cmd: Command, out: string[], commands: CliReference['commands']): void {
  const help = cmd.createHelp();
  const name = fullName(cmd);
  const options = help.visibleOptions(cmd).filter((o) => o.long !== '--help');
  out.push(`## ${code(name)}`, cell(cmd.description()));
  out.push(`Usage: ${code(help.commandUsage(cmd))}`);
  const args = help.visibleArguments(cmd);
  if (args.length) {
    out.push(table(['Argument', 'Required', 'Description', 'Default'], argumentRows(args)));
  }
  if (options.length) {
    out.push(table(['Option', 'Description', 'Default', 'Choices'], optionRows(cmd, options)));
  }
  const after = afterHelp(cmd);
  if (after) {
    out.push('```text\n' + after + '\n```');
  }
  commands.push({ name, flags: options.map((o) => o.long ?? o.short ?? o.flags) });
  const subs = help.visibleCommands(cmd).filter((c) => c.name() !== 'help');
  if (subs.length) {
    out.push(`Subcommands: ${subs.map((c) => code(`${name} ${c.name()}`)).join(', ')}.`);
  }
  for (const sub of subs) {
    commandSection(sub, out, commands);
  }
}

export function cliReference(): CliReference {
  const program = buildProgram();
  const help = program.createHelp();
  const out: string[] = [
    generatedBanner('the commander program in service/src/cli/program.ts'),
    '# CLI reference',
    "`dtk` runs detectkit 0.3.5 projects unchanged (`dtk run`, `dtk init`, `dtk test-alert` keep detectkit's flags) and adds the service (`dtk serve`) and tools. After `npm install`, `npx dtk --help` works without a build step. Selectors for `-s` / `-e`: a metric name, a path glob (`metrics/api/*.yml`, `**` for any depth) or `tag:<tag>`; `*` is every enabled metric ([configuration.md](../configuration.md#selectors--s--e)).",
    'Exit codes: `0` success; `1` when anything failed (any metric of a run, any configuration error); `2` usage errors (unknown option, bad date, no metric matching a selector). Errors are one line saying what is wrong and how to fix it; `--verbose` adds debug logs and stack traces. Environment: `DTK_API_TOKEN` (the API token of `dtk serve` and `dtk demo`), `DTK_LOG_LEVEL` (`debug`, `info`, `warn`, `error`), `NO_COLOR`.',
    '## Global options',
    table(['Option', 'Description', 'Default', 'Choices'], optionRows(program, help.visibleOptions(program))),
  ];
  const commands: CliReference['commands'] = [
    { name: 'dtk', flags: help.visibleOptions(program).map((o) => o.long ?? o.flags) },
  ];
  out.push(
    '## Commands',
    table(
      ['Command', 'What it does'],
      help
        .visibleCommands(program)
        .filter((c) => c.name() !== 'help')
        .map((c) => [code(`dtk ${c.name()}`), cell(c.description())])
    )
  );
  for (const cmd of help.visibleCommands(program).filter((c) => c.name() !== 'help')) {
    commandSection(cmd, out, commands);
  }
  return { markdown: out.join('\n\n') + '\n', commands };
}
