import { type Command, Option } from 'commander';
import type { MonitorInput, RuntimeClock } from 'uet-tag-status';
import { createTagMonitor, type TagMonitor } from 'uet-tag-status';
import { type FileFollower, followFile } from '../io/followFile.js';
import { type InputLine, LineSplitter, parseInputLine } from '../io/ndjsonInputs.js';
import { createSqliteStore } from '../sqlite/index.js';
import type { CliIo } from './cliIo.js';
import { durationArgument, integerAtLeast } from './parseOptions.js';
import { reportFailure } from './reportFailure.js';

/** The options `uet-tag monitor` takes. */
export interface MonitorCommandOptions {
  readonly db: string;
  readonly memory?: boolean;
  readonly follow?: string;
  readonly activityWindow?: number;
  readonly conversionWindow?: number;
  readonly allowedSkew?: number;
  readonly history?: number;
  readonly batchSize: number;
  readonly poll: number;
  readonly ack?: boolean;
}

/** Where the command reads inputs and signals from; the process's unless replaced in tests. */
export interface MonitorEnvironment {
  readonly stdin: NodeJS.ReadableStream & { destroy?: () => void };
  readonly signals: {
    once(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
    off(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
  };
  /** The monitor's clock; the real one when left out. */
  readonly clock?: RuntimeClock;
}

const processEnvironment: MonitorEnvironment = { stdin: process.stdin, signals: process };

/**
 * Registers `uet-tag monitor`: reads monitor inputs as NDJSON from stdin (or follows a
 * file), keeps the tags' state in a SQLite file, and writes every status change as one
 * JSON line on stdout once it is durable. SIGINT or SIGTERM commit, close the file and
 * end with exit code 0.
 *
 * @example
 * ```ts
 * registerMonitorCommand(program, processIo);
 * ```
 */
export function registerMonitorCommand(
  program: Command,
  io: CliIo,
  environment: MonitorEnvironment = processEnvironment,
): void {
  program
    .command('monitor')
    .description(
      'watch many tags: read inputs as NDJSON, keep state in SQLite, print status changes as NDJSON',
    )
    .option('--db <file>', 'the SQLite file that keeps the state', 'uet-tag-monitor.db')
    .addOption(new Option('--memory', 'keep the state in memory only').conflicts('db'))
    .option(
      '--follow <file>',
      'read inputs appended to this file (like tail -f) instead of stdin; resumes where the last run stopped',
    )
    .option('--activity-window <duration>', 'the activity window (default 24h)', durationArgument())
    .option(
      '--conversion-window <duration>',
      'the conversion window (default 7d)',
      durationArgument(),
    )
    .option(
      '--allowed-skew <duration>',
      'how far in the future an input may be stamped (default 5m)',
      durationArgument(true),
    )
    .option('--history <n>', 'status changes kept per tag (default 10)', integerAtLeast(0))
    .option('--batch-size <n>', 'most inputs per commit', integerAtLeast(1), 1_000)
    .option(
      '--poll <duration>',
      'with --follow: how often to look for new lines',
      durationArgument(),
      200,
    )
    .option('--ack', 'after each commit, print {"kind":"ack","line":N,"offset":B} on stdout')
    .action(async (options: MonitorCommandOptions) => {
      await runMonitor(options, io, environment);
    });
}

/** The position in a followed file that the last durable batch covered. */
interface FollowCheckpoint {
  readonly offset: number;
  readonly line: number;
}

function readCheckpoint(checkpoint: string | undefined): FollowCheckpoint {
  if (checkpoint === undefined) return { offset: 0, line: 0 };
  const parsed = JSON.parse(checkpoint) as Partial<FollowCheckpoint>;
  if (!Number.isSafeInteger(parsed.offset) || !Number.isSafeInteger(parsed.line)) {
    throw new Error(`the store's checkpoint ${checkpoint} is not a followed file's position`);
  }
  return { offset: parsed.offset as number, line: parsed.line as number };
}

/**
 * Runs the monitor until stdin ends, a signal arrives, or a failure; resolves once the
 * store is closed.
 */
async function runMonitor(
  options: MonitorCommandOptions,
  io: CliIo,
  environment: MonitorEnvironment,
): Promise<void> {
  const writeLine = (value: unknown) => io.stdout.write(`${JSON.stringify(value)}\n`);
  let finish: (error?: unknown) => void = () => {};
  let monitor: TagMonitor;
  let resume: FollowCheckpoint;
  try {
    monitor = createTagMonitor({
      store: options.memory ? undefined : createSqliteStore({ path: options.db }),
      windows: {
        activityWindowMs: options.activityWindow,
        conversionWindowMs: options.conversionWindow,
      },
      allowedSkewMs: options.allowedSkew,
      historyLimit: options.history,
      clock: environment.clock,
      onStatusChange: writeLine,
      onError: (error) => finish(error),
    });
    resume = readCheckpoint(options.follow === undefined ? undefined : monitor.checkpoint);
  } catch (error) {
    reportFailure(io, error);
    return;
  }
  const ack = (line: number, offset: number) => {
    if (options.ack) writeLine({ kind: 'ack', line, offset });
  };
  ack(resume.line, resume.offset);

  const splitter = new LineSplitter(resume.offset, resume.line);
  let batch: MonitorInput[] = [];
  let batchLines: number[] = [];
  let last: InputLine | undefined;
  let committed: InputLine | undefined;

  const commit = () => {
    if (last === undefined || last === committed) return;
    const through = last;
    const checkpoint =
      options.follow === undefined
        ? undefined
        : JSON.stringify({ offset: through.endOffset, line: through.number });
    const result = monitor.apply(batch, { checkpoint });
    for (const { index, error } of result.rejected) {
      io.stderr.write(`line ${batchLines[index]}: ${error.message}\n`);
    }
    batch = [];
    batchLines = [];
    committed = through;
    ack(through.number, through.endOffset);
  };

  const accept = (lines: readonly InputLine[]) => {
    for (const line of lines) {
      last = line;
      if (line.text.trim() === '') continue;
      const input = parseInputLine(line.text);
      if (typeof input === 'string') {
        io.stderr.write(`line ${line.number}: ${input}\n`);
        continue;
      }
      batch.push(input);
      batchLines.push(line.number);
      if (batch.length >= options.batchSize) commit();
    }
    commit();
  };

  await new Promise<void>((resolve) => {
    let follower: FileFollower | undefined;
    let finished = false;
    const onSignal = () => finish();
    const onData = (chunk: Buffer) => {
      try {
        accept(splitter.push(chunk));
      } catch (error) {
        finish(error);
      }
    };
    const onEnd = () => {
      try {
        accept(splitter.end());
        finish();
      } catch (error) {
        finish(error);
      }
    };
    finish = (error?: unknown) => {
      if (finished) return;
      finished = true;
      environment.signals.off('SIGINT', onSignal);
      environment.signals.off('SIGTERM', onSignal);
      follower?.stop();
      environment.stdin.off('data', onData);
      environment.stdin.off('end', onEnd);
      environment.stdin.destroy?.();
      let failure = error;
      try {
        monitor.close();
      } catch (closeError) {
        failure ??= closeError;
      }
      if (failure !== undefined) reportFailure(io, failure);
      resolve();
    };
    environment.signals.once('SIGINT', onSignal);
    environment.signals.once('SIGTERM', onSignal);
    if (options.follow === undefined) {
      environment.stdin.on('data', onData);
      environment.stdin.on('end', onEnd);
    } else {
      follower = followFile(options.follow, {
        fromOffset: resume.offset,
        pollMs: options.poll,
        onData,
        onError: (error) => finish(error),
      });
    }
  });
}
