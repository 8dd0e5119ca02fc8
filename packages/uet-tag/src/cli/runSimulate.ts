import { loadScenario } from '../simulation/loadScenario.js';
import type { Scenario } from '../simulation/scenario.js';
import { simulateRuns } from '../simulation/simulateRuns.js';
import { simulateScenario, simulateToLog } from '../simulation/simulateScenario.js';
import type { CliIo } from './cliIo.js';
import { formatRuns } from './formatRuns.js';
import { runsReport } from './jsonReport.js';
import { createProgress } from './progressBar.js';
import { reportFailure } from './reportFailure.js';
import { reportOnStdout, writeChart } from './writeChart.js';
import { writeSimulationJson, writeSimulationText } from './writeSimulation.js';

/** The options `uet-tag simulate` takes. */
export interface SimulateCommandOptions {
  readonly seed?: number;
  readonly runs?: number;
  readonly json?: boolean;
  readonly svg?: string;
  readonly fastPath: boolean;
}

/**
 * Runs `uet-tag simulate` on the scenario file at `path` (loaded here, with the command's
 * modules, so that other commands do not load them): prints the report, or the failure.
 *
 * @example
 * ```ts
 * await runSimulateCommand(processIo, 'examples/fortnight.yaml', { fastPath: true });
 * ```
 */
export async function runSimulateCommand(
  io: CliIo,
  path: string,
  options: SimulateCommandOptions,
): Promise<void> {
  try {
    await runSimulate(io, await loadScenario(path), options);
  } catch (error) {
    reportFailure(io, error);
  }
}

async function runSimulate(io: CliIo, scenario: Scenario, options: SimulateCommandOptions) {
  const printReport = reportOnStdout(options);
  const seed = options.seed ?? scenario.seed;
  const progress = createProgress(io, options.runs === undefined ? 'simulated' : 'runs');
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
  const run = simulateToLog(scenario, {
    seed,
    fastPath: options.fastPath,
    onProgress: (done, total) => progress.update(done, total),
  });
  progress.stop();
  if (!printReport) {
    // The chart goes to stdout instead.
  } else if (options.json) {
    writeSimulationJson(io, run);
  } else {
    writeSimulationText(io, run);
  }
  if (options.svg !== undefined) {
    await writeChart(io, options.svg, [...run.log.timelines()], `${run.name} (seed ${run.seed})`);
  }
}
