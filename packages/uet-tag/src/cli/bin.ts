#!/usr/bin/env node
/**
 * The `uet-tag` command: runs the CLI on the process's arguments. A command's failures are
 * reported by `runCli`, which sets the exit code; anything else is a bug, printed with its
 * stack, and the exit code 1.
 */
import { quietOnClosedStdout } from './cliIo.js';
import { runCli } from './main.js';

quietOnClosedStdout(process.stdout);
runCli(process.argv).catch((error: unknown) => {
  process.exitCode = 1;
  console.error(error);
});
