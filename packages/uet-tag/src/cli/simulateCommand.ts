import type { Command } from 'commander';
import type { CliIo } from './cliIo.js';
import { integerAtLeast } from './parseOptions.js';
import type { SimulateCommandOptions } from './runSimulate.js';

export type { SimulateCommandOptions } from './runSimulate.js';

/**
 * The most runs `--runs` takes: each run's summary is kept for the percentiles, so the
 * bound keeps memory bounded (about 50 MB at this many runs of a one-tag scenario).
 */
export const MAX_RUNS = 100_000;

/**
 * Registers `uet-tag simulate <scenario>`: runs a scenario file and prints each tag's and
 * goal's status intervals, or with `--runs N` the spread over N seeds.
 *
 * @example
 * ```ts
 * registerSimulateCommand(program, processIo);
 * ```
 */
export function registerSimulateCommand(program: Command, io: CliIo): void {
  program
    .command('simulate')
    .description(
      'run a scenario (JSON or YAML) through the model and print the status intervals of each tag and goal',
    )
    .argument(
      '<scenario>',
      'the scenario file (.json, .yaml or .yml), or - to read YAML or JSON from stdin',
    )
    .option(
      '--seed <n>',
      "the seed of the random traffic (default: the scenario's)",
      integerAtLeast(0),
    )
    .option(
      '--runs <n>',
      `repeat with n consecutive seeds (at most ${MAX_RUNS}) and report mean and percentiles of time in each status and of status changes`,
      integerAtLeast(1, MAX_RUNS),
    )
    .option('--json', 'print JSON instead of tables')
    .option(
      '--svg <file>',
      'write a timeline chart as SVG, - for stdout (with --runs: of the first run)',
    )
    .option('--no-fast-path', 'step the machines on every single hit (slow; for comparison)')
    .action(async (path: string, options: SimulateCommandOptions) => {
      const { runSimulateCommand } = await import('./runSimulate.js');
      await runSimulateCommand(io, path, options);
    });
}
