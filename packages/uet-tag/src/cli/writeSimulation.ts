import { isoTime } from 'uet-tag-status';
import type { SimulateReport } from '../records/reportSchemas.js';
import type { LoggedSimulation } from '../simulation/simulateScenario.js';
import { formatDuration, formatTime } from '../time.js';
import { ChangeJsonText } from './ChangeJsonText.js';
import type { CliIo } from './cliIo.js';
import { formatTimelines } from './formatTimelines.js';
import { timelineJsonText } from './timelineJsonText.js';

/** Output is written in pieces of about this many bytes. */
const PIECE_BYTES = 1 << 20;

/**
 * Encodes text into UTF-8 pieces of about {@link PIECE_BYTES} and writes each to
 * `stdout` as it fills (few writes, bounded memory, and each text encoded as soon as it
 * is made, so that it does not outlive its making). A text never spans two pieces.
 */
function pieceWriter(io: CliIo): { add(text: string): void; flush(): void } {
  let piece = Buffer.allocUnsafe(PIECE_BYTES);
  let used = 0;
  const flush = () => {
    if (used === 0) return;
    io.stdout.write(piece.subarray(0, used));
    piece = Buffer.allocUnsafe(PIECE_BYTES);
    used = 0;
  };
  return {
    add(text) {
      // A UTF-16 code unit takes at most 3 bytes in UTF-8.
      const most = 3 * text.length;
      if (used > 0 && used + most > piece.length) flush();
      if (most > piece.length) {
        io.stdout.write(text);
        return;
      }
      used += piece.write(text, used);
    },
    flush,
  };
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
  output.add(
    [
      `${run.name} (seed ${run.seed}): ${formatTime(run.start)} to ${formatTime(run.end)} (${formatDuration(run.end - run.start, 3)})`,
      `windows: activity ${formatDuration(windows.activityWindowMs)}, conversion ${formatDuration(windows.conversionWindowMs)}; inputs: ${inputs.hits} hits, ${inputs.conversions} conversions`,
      '',
      '',
    ].join('\n'),
  );
  let first = true;
  for (const timeline of run.log.timelines()) {
    output.add(`${first ? '' : '\n'}${formatTimelines([timeline])}`);
    first = false;
  }
  output.flush();
}

/**
 * Writes `uet-tag simulate --json` (`simulate-report.v1`) of a run, one timeline and one
 * change at a time: the text `JSON.stringify(report, null, 2)` and a newline would give
 * for the whole report, each item written by concatenation, in memory bounded by one
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
  output.add(header.slice(0, header.lastIndexOf('\n}')));
  const timelines = arrayWriter(output, 'timelines');
  for (const timeline of run.log.timelines()) timelines.add(timelineJsonText(timeline));
  timelines.close();
  const changes = arrayWriter(output, 'changes');
  const changeText = new ChangeJsonText();
  run.log.forEachChange((subject, from, to, effectiveAt, noticedAt) =>
    changes.add(changeText.of(subject, from, to, effectiveAt, noticedAt)),
  );
  changes.close();
  output.add('\n}\n');
  output.flush();
}

/**
 * Writes `,\n  "key": [...]` as `JSON.stringify(..., null, 2)` prints a top-level member
 * of a report, given the text of each item as it prints there.
 */
function arrayWriter(
  output: { add(text: string): void },
  key: string,
): { add(item: string): void; close(): void } {
  output.add(`,\n  ${JSON.stringify(key)}: [`);
  let written = false;
  return {
    add(item) {
      output.add(written ? `,\n${item}` : `\n${item}`);
      written = true;
    },
    close() {
      output.add(written ? '\n  ]' : ']');
    },
  };
}
