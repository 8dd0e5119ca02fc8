import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { type CliIo, processIo } from './cliIo.js';
import { registerIngestCommand } from './ingestCommand.js';
import { registerMonitorCommand } from './monitorCommand.js';
import { registerReconcileCommand } from './reconcileCommand.js';
import { registerReplayCommand } from './replayCommand.js';
import { registerServeCommand } from './serveCommand.js';
import { registerSimulateCommand } from './simulateCommand.js';
import { registerStatusCommand } from './statusCommand.js';
import { registerWorkerCommand } from './workerCommand.js';
import { registerWorkersCommand } from './workersCommand.js';

/** Adds one command to the program; each command lives in its own `<name>Command.ts`. */
export type RegisterCommand = (program: Command, io: CliIo) => void;

/** One command of the CLI: its name, as typed, and the function that adds it. */
export interface CliCommand {
  readonly name: string;
  readonly register: RegisterCommand;
}

/** The CLI's commands, in help order. To add one: import its register function and list it. */
export const commands: readonly CliCommand[] = [
  { name: 'simulate', register: registerSimulateCommand },
  { name: 'replay', register: registerReplayCommand },
  { name: 'monitor', register: registerMonitorCommand },
  { name: 'status', register: registerStatusCommand },
  { name: 'reconcile', register: registerReconcileCommand },
  { name: 'serve', register: registerServeCommand },
  { name: 'worker', register: registerWorkerCommand },
  { name: 'ingest', register: registerIngestCommand },
  { name: 'workers', register: registerWorkersCommand },
];

/**
 * The `uet-tag` program with every command, writing through `io`; or, given the name of
 * the command to run, with that command alone (options are defined only for what parses
 * them, which is most of a start-up's work in commander; any other word, such as `help`
 * or a misspelt name, gets every command, for the help and the suggestions). Parse errors
 * throw a `CommanderError` instead of exiting (commands inherit this and the output from
 * the program), so arguments can be tested without a process.
 *
 * @example
 * ```ts
 * await createProgram(io).parseAsync(['simulate', 'examples/fortnight.yaml', '--json'], { from: 'user' });
 * ```
 */
export function createProgram(io: CliIo = processIo, only?: string): Command {
  const program = new Command('uet-tag')
    .description(
      'Microsoft Advertising UET tag and conversion goal tracking statuses: simulate tag lifecycles and replay real logs',
    )
    .version(packageVersion(), '-V, --version', 'print the version of uet-tag')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });
  const chosen = commands.filter((command) => command.name === only);
  for (const { register } of chosen.length === 0 ? commands : chosen) register(program, io);
  return program;
}

/**
 * Runs the CLI on `argv` (as `process.argv`), setting the exit code instead of exiting.
 *
 * @example
 * ```ts
 * await runCli(process.argv);
 * ```
 */
export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<void> {
  try {
    // argv[0] is Node and argv[1] the script: the command's name, if any, comes next.
    await createProgram(io, argv[2]).parseAsync([...argv]);
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    io.setExitCode(error.exitCode);
  }
}

/** This package's version, from its package.json (two folders up, from src/ and dist/ alike). */
function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  return (manifest as { version: string }).version;
}
