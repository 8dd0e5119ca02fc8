import { isoTime } from 'uet-tag-status';
import type { SimulateReport } from '../records/reportSchemas.js';
import type { LoggedSimulation } from '../simulation/simulateScenario.js';
import { formatDuration, formatTime } from '../time.js';
import { ChangeJsonText } from './ChangeJsonText.js';
import type { CliIo } from './cliIo.js';
import { PieceWriter } from './PieceWriter.js';
import { writeTimelineJson } from './timelineJsonText.js';
import { writeTimelinesText } from './timelineText.js';

/** A writer of pieces of output to `stdout`. */
function pieceWriter(io: CliIo): PieceWriter {
  return new PieceWriter((bytes) => io.stdout.write(bytes));
}

/**
 * Writes `uet-tag simulate`'s text report of a run, one timeline at a time: the same
 * text as `formatTimelines` of all its timelines after the header, in memory bounded by
 * one timeline.
 *
 * @example
 * ```ts
 * writeSimulationText(io, simulateToLog(scenario));
 * ```
 */
export function writeSimulationText(io: CliIo, run: LoggedSimulation): void {
  const output = pieceWriter(io);
  const { windows, inputs } = run;
  output.text(
    [
      `${run.name} (seed ${run.seed}): ${formatTime(run.start)} to ${formatTime(run.end)} (${formatDuration(run.end - run.start, 3)})`,
      `windows: activity ${formatDuration(windows.activityWindowMs)}, conversion ${formatDuration(windows.conversionWindowMs)}; inputs: ${inputs.hits} hits, ${inputs.conversions} conversions`,
      '',
      '',
    ].join('\n'),
  );
  writeTimelinesText(output, run.log.timelines());
  output.flush();
}

/**
 * Writes `uet-tag simulate --json` (`simulate-report.v1`) of a run, one timeline and one
 * change at a time: the text `JSON.stringify(report, null, 2)` and a newline would give
 * for the whole report, each item written as bytes (`PieceWriter`), in memory bounded by one
 * timeline and a piece of output.
 *
 * @example
 * ```ts
 * writeSimulationJson(io, simulateToLog(scenario));
 * ```
 */
export function writeSimulationJson(io: CliIo, run: LoggedSimulation): void {
  const output = pieceWriter(io);
  const head: Omit<SimulateReport, 'timelines' | 'changes'> = {
    schema: 'simulate-report.v1',
    name: run.name,
    seed: run.seed,
    start: run.start,
    startTime: isoTime(run.start),
    end: run.end,
    endTime: isoTime(run.end),
    windows: run.windows,
    inputs: run.inputs,
  };
  const header = JSON.stringify(head, null, 2);
  output.text(header.slice(0, header.lastIndexOf('\n}')));
  const timelines = arrayWriter(output, 'timelines');
  for (const timeline of run.log.timelines()) {
    timelines.next();
    writeTimelineJson(output, timeline);
  }
  timelines.close();
  const changes = arrayWriter(output, 'changes');
  const changeText = new ChangeJsonText();
  run.log.forEachChange((subject, from, to, effectiveAt, noticedAt) => {
    changes.next();
    changeText.write(output, subject, from, to, effectiveAt, noticedAt);
  });
  changes.close();
  output.text('\n}\n');
  output.flush();
}

const FIRST_ITEM = PieceWriter.encode('\n');
const NEXT_ITEM = PieceWriter.encode(',\n');

/**
 * Writes `,\n  "key": [...]` as `JSON.stringify(..., null, 2)` prints a top-level member
 * of a report, around items written after each call of `next`.
 */
function arrayWriter(output: PieceWriter, key: string): { next(): void; close(): void } {
  output.text(`,\n  ${JSON.stringify(key)}: [`);
  let written = false;
  return {
    next() {
      output.bytes(written ? NEXT_ITEM : FIRST_ITEM);
      written = true;
    },
    close() {
      output.text(written ? '\n  ]' : ']');
    },
  };
}
