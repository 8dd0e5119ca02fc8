#!/usr/bin/env node
/**
 * The `uet-tag` command: runs the CLI on the process's arguments. A command's failures are
 * reported by `runCli`; anything else is a bug, and ends the process as an uncaught error.
 */
import { quietOnClosedStdout } from './cliIo.js';
import { runCli } from './main.js';

quietOnClosedStdout(process.stdout);
void runCli(process.argv);
