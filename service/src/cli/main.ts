import { buildProgram } from './program';
import { runCli } from './boundary';

void runCli(buildProgram(), process.argv);
