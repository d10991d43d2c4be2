import { Command, Option } from 'commander';
import { registerStorageCommands } from './storageCommands';
import { registerDetectCommand } from './detectCommand';
import { registerValidateCommand } from './validateCommand';
import { registerRunCommand } from './runCommand';
import { registerDemoCommand } from './demoCommand';
import { registerInitCommand } from './initCommand';
import { registerExportCommand } from './exportCommand';
import { registerTestAlertCommand } from './testAlertCommand';
import { registerServeCommand } from './serveCommand';
import { VERSION } from './version';

export { VERSION };

export function buildProgram(): Command {
  const program = new Command('dtk')
    .description(
      'detectkit for Grafana: load metrics, detect anomalies, alert. Runs detectkit 0.3.5 projects unchanged.'
    )
    .version(VERSION, '--version', 'print the version')
    .addOption(new Option('-v, --verbose', 'debug logs and stack traces on errors'))
    .showHelpAfterError('(run dtk --help for usage)')
    // Before any subcommand is added, so they inherit it: usage errors reach the boundary (exit 2).
    .exitOverride();
  registerInitCommand(program);
  registerRunCommand(program);
  registerServeCommand(program);
  registerValidateCommand(program);
  registerTestAlertCommand(program);
  registerExportCommand(program);
  registerDetectCommand(program);
  registerDemoCommand(program);
  registerStorageCommands(program);
  return program;
}
