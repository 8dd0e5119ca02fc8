import type { Command } from 'commander';
import { loadScenario } from '../simulation/loadScenario.js';
import type { Scenario } from '../simulation/scenario.js';
import { simulateRuns } from '../simulation/simulateRuns.js';
import { simulateScenario } from '../simulation/simulateScenario.js';
import { formatDuration, formatTime } from '../time.js';
import type { CliIo } from './cliIo.js';
import { formatRuns } from './formatRuns.js';
import { formatTimelines } from './formatTimelines.js';
import { runsReport, simulateReport } from './jsonReport.js';
import { integerAtLeast } from './parseOptions.js';
import { createProgress } from './progressBar.js';
import { reportFailure } from './reportFailure.js';
import { reportOnStdout, writeChart } from './writeChart.js';

/** The options `uet-tag simulate` takes. */
export interface SimulateCommandOptions {
  readonly seed?: number;
  readonly runs?: number;
  readonly json?: boolean;
  readonly svg?: string;
  readonly fastPath: boolean;
}

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
      try {
        await runSimulate(io, await loadScenario(path), options);
      } catch (error) {
        reportFailure(io, error);
      }
    });
}

async function runSimulate(io: CliIo, scenario: Scenario, options: SimulateCommandOptions) {
  const printReport = reportOnStdout(options);
  const seed = options.seed ?? scenario.seed;
  const progress = createProgress(io, options.runs === undefined ? 'tags' : 'runs');
  if (options.runs !== undefined) {
    const runs = simulateRuns(scenario, options.runs, {
      seed,
      fastPath: options.fastPath,
      onRun: (done, total) => progress.update(done, total),
    });
    progress.stop();
    if (printReport) {
      io.stdout.write(
        options.json ? `${JSON.stringify(runsReport(runs), null, 2)}\n` : formatRuns(runs),
      );
    }
    if (options.svg !== undefined) {
      const first = simulateScenario(scenario, { seed, fastPath: options.fastPath });
      await writeChart(io, options.svg, first.timelines, `${scenario.name} (seed ${seed})`);
    }
    return;
  }
  const result = simulateScenario(scenario, {
    seed,
    fastPath: options.fastPath,
    onProgress: (done, total) => progress.update(done, total),
  });
  progress.stop();
  if (!printReport) {
    // The chart goes to stdout instead.
  } else if (options.json) {
    io.stdout.write(`${JSON.stringify(simulateReport(result), null, 2)}\n`);
  } else {
    io.stdout.write(
      [
        `${result.name} (seed ${result.seed}): ${formatTime(result.start)} to ${formatTime(result.end)} (${formatDuration(result.end - result.start, 3)})`,
        `windows: activity ${formatDuration(result.windows.activityWindowMs)}, conversion ${formatDuration(result.windows.conversionWindowMs)}; inputs: ${result.inputs.hits} hits, ${result.inputs.conversions} conversions`,
        '',
        formatTimelines(result.timelines),
      ].join('\n'),
    );
  }
  if (options.svg !== undefined) {
    await writeChart(io, options.svg, result.timelines, `${result.name} (seed ${result.seed})`);
  }
}
