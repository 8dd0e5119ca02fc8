#!/usr/bin/env node
import { readFileSync, realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Command, CommanderError } from 'commander';
import { type CliIo, processIo, quietOnClosedStdout } from './cliIo.js';
import { registerMonitorCommand } from './monitorCommand.js';
import { registerReconcileCommand } from './reconcileCommand.js';
import { registerReplayCommand } from './replayCommand.js';
import { registerServeCommand } from './serveCommand.js';
import { registerSimulateCommand } from './simulateCommand.js';
import { registerStatusCommand } from './statusCommand.js';

/** Adds one command to the program; each command lives in its own `<name>Command.ts`. */
export type RegisterCommand = (program: Command, io: CliIo) => void;

/** The CLI's commands, in help order. To add one: import its register function and list it. */
export const commands: readonly RegisterCommand[] = [
  registerSimulateCommand,
  registerReplayCommand,
  registerMonitorCommand,
  registerStatusCommand,
  registerReconcileCommand,
  registerServeCommand,
];

/**
 * The `uet-tag` program with every command, writing through `io`. Parse errors throw a
 * `CommanderError` instead of exiting (commands inherit this and the output from the
 * program), so arguments can be tested without a process.
 *
 * @example
 * ```ts
 * await createProgram(io).parseAsync(['simulate', 'examples/fortnight.yaml', '--json'], { from: 'user' });
 * ```
 */
export function createProgram(io: CliIo = processIo): Command {
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
  for (const register of commands) register(program, io);
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
    await createProgram(io).parseAsync([...argv]);
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

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(script)).href;
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  quietOnClosedStdout(process.stdout);
  await runCli(process.argv);
}
