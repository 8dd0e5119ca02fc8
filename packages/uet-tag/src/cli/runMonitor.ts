import type { Readable } from 'node:stream';
import {
  createTagMonitor,
  type MonitorInput,
  type RuntimeClock,
  realClock,
  type TagMonitor,
} from 'uet-tag-status';
import { isValidTime } from 'uet-tag-status/engine';
import type { FileIdentity, FollowEvent, FollowPosition } from '../io/followFile.js';
import { LineSplitter } from '../io/LineSplitter.js';
import { openInput } from '../io/openInput.js';
import type { InputRecordResult } from '../records/inputRecord.js';
import { readPlainInputLine } from '../records/plainInputRecord.js';
import { DurableQueue } from '../sqlite/DurableQueue.js';
import type { SqliteMonitorStore } from '../sqlite/sqliteStore.js';
import type { CliIo } from './cliIo.js';
import { InputBatcher, type LinePosition } from './InputBatcher.js';
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
  readonly commitInterval: number;
  readonly poll: number;
  readonly ack?: boolean;
  readonly autoRegister?: boolean;
  readonly maxLineBytes?: number;
  /** `wall`: the monitor's time is the wall clock's; `records`: the inputs' own times. */
  readonly clock: 'wall' | 'records';
}

/** Where the command reads inputs and signals from; the process's unless replaced in tests. */
export interface MonitorEnvironment {
  readonly stdin: Readable;
  readonly signals: {
    once(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
    off(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
  };
  /** The monitor's clock; the real one when left out. */
  readonly clock?: RuntimeClock;
}

/**
 * Runs `uet-tag monitor` until its input ends, a signal arrives, stdout is closed, or a
 * failure: reads input records as NDJSON (stdin, or a followed file), applies them in
 * group commits, writes every status change as a JSON line once it is durable, and an
 * acknowledgement after every commit with `--ack`. Resolves once the store is closed.
 *
 * @example
 * ```ts
 * await runMonitor(options, processIo, { stdin: process.stdin, signals: process });
 * ```
 */
export async function runMonitor(
  options: MonitorCommandOptions,
  io: CliIo,
  environment: MonitorEnvironment,
): Promise<void> {
  const stop = new AbortController();
  let stdoutClosed = false;
  let failure: unknown;
  const fail = (error: unknown) => {
    failure ??= error;
    stop.abort();
  };
  const write = (text: string) => {
    if (!stdoutClosed) io.stdout.write(text);
  };
  let durableLines: DurableQueue<string> | undefined;
  // A change or an acknowledgement follows its commit; with SQLite it is written once the
  // commit is on disk (the store syncs off the event loop, while the next lines are read).
  const writeLine = (value: unknown) => {
    const text = `${JSON.stringify(value)}\n`;
    if (durableLines === undefined) write(text);
    else durableLines.push(text);
  };
  const recordsClock =
    options.clock === 'records' ? new RecordsClock(environment.clock ?? realClock) : undefined;
  let monitor: TagMonitor;
  try {
    const store = options.memory ? undefined : await sqliteStore(options.db);
    if (store !== undefined) durableLines = new DurableQueue(() => store.sync(), write, fail);
    monitor = createTagMonitor({
      store,
      windows: {
        activityWindowMs: options.activityWindow,
        conversionWindowMs: options.conversionWindow,
      },
      allowedSkewMs: options.allowedSkew,
      historyLimit: options.history,
      autoRegister: options.autoRegister,
      clock: recordsClock ?? environment.clock,
      onStatusChange: writeLine,
      onError: fail,
    });
  } catch (error) {
    reportFailure(io, error);
    return;
  }
  let resume: FollowPosition | undefined;
  try {
    resume = options.follow === undefined ? undefined : readCheckpoint(monitor.checkpoint);
  } catch (error) {
    monitor.close();
    reportFailure(io, error);
    return;
  }

  /** The followed file's identity, committed with every checkpoint (none for a FIFO or stdin). */
  let identity: FileIdentity | undefined;
  /** The file being read, when following: acknowledgements name it (rotation changes it). */
  let reading: string | undefined;
  const ack = (position: LinePosition) => {
    if (!options.ack) return;
    const file = reading === undefined ? {} : { file: reading };
    writeLine({ kind: 'ack', ...file, line: position.line, offset: position.offset });
  };
  const batcher = new InputBatcher({
    batchSize: options.batchSize,
    commitIntervalMs: options.commitInterval,
    commit: (inputs, through) => {
      const checkpoint =
        identity === undefined ? undefined : JSON.stringify({ ...identity, ...through });
      recordsClock?.read(inputs);
      const { rejected } = monitor.apply(inputs, {
        checkpoint,
        atInputTimes: recordsClock !== undefined,
      });
      ack(through);
      return rejected;
    },
    rejected: (line, error) => io.stderr.write(`line ${line}: ${error.message}\n`),
    failed: fail,
  });
  const lines = new LineReader(batcher, {
    badLine: (line, message) => io.stderr.write(`line ${line}: ${message}\n`),
    unreadable: (message) => io.stderr.write(`${message}\n`),
  });
  const splitterAt = (offset: number, line: number) =>
    new LineSplitter(
      (text, number, endOffset) => lines.line(text, number, endOffset),
      (problem) => lines.skipped(problem.number, problem.endOffset, problem.message),
      { startOffset: offset, startLine: line, maxLineBytes: options.maxLineBytes },
    );

  const onSignal = () => stop.abort();
  environment.signals.once('SIGINT', onSignal);
  environment.signals.once('SIGTERM', onSignal);
  const onStdoutError = (error: NodeJS.ErrnoException) => {
    stdoutClosed = true;
    if (error.code !== 'EPIPE') failure ??= error;
    stop.abort();
  };
  const stdout = io.stdout as Partial<NodeJS.WriteStream>;
  stdout.on?.('error', onStdoutError);
  if (options.follow !== undefined) reading = options.follow;
  ack(resume ?? { line: 0, offset: 0 });
  try {
    if (options.follow === undefined) {
      const splitter = splitterAt(0, 0);
      const input = await openInput('-', { stdin: environment.stdin });
      stop.signal.addEventListener('abort', () => input.close(), { once: true });
      for await (const chunk of input.chunks) {
        splitter.push(chunk);
        await lines.settle();
        if (stop.signal.aborted) break;
      }
      if (!stop.signal.aborted) {
        splitter.end();
        await lines.settle();
      }
    } else {
      let splitter: LineSplitter | undefined;
      // Loaded only to follow a file, so that reading stdin loads no more than it needs.
      const { followFile } = await import('../io/followFile.js');
      const events = followFile(options.follow, {
        from: resume,
        pollMs: options.poll,
        signal: stop.signal,
      });
      for await (const event of events as AsyncIterable<FollowEvent>) {
        if (event.kind === 'open') {
          if (event.note !== undefined) io.stderr.write(`warning: ${event.file}: ${event.note}\n`);
          identity = event.identity;
          reading = event.file;
          splitter = splitterAt(event.offset, event.line);
        } else if (event.kind === 'data') {
          identity = event.identity;
          splitter?.push(event.chunk);
          await lines.settle();
        } else {
          splitter?.end();
          await lines.settle();
          batcher.flush();
        }
        if (stop.signal.aborted) break;
      }
    }
    if (failure === undefined) batcher.flush();
  } catch (error) {
    failure ??= error;
    batcher.discard();
  } finally {
    environment.signals.off('SIGINT', onSignal);
    environment.signals.off('SIGTERM', onSignal);
    await durableLines?.drain();
    stdout.off?.('error', onStdoutError);
    try {
      monitor.close();
    } catch (error) {
      failure ??= error;
    }
  }
  if (failure !== undefined) reportFailure(io, failure);
}

/**
 * Turns the lines read into inputs for the batcher, in their order. The plain records
 * (most of a stream) are read at once without the schema library; the first line that
 * needs the schema (another kind, an ISO time, a problem to describe) waits, with every
 * line after it, until {@link LineReader.settle} has loaded the schema, so that a monitor
 * fed plain records never loads it and starts in about the time of Node itself.
 */
class LineReader {
  private parseLine: ((text: string) => InputRecordResult) | undefined;
  /** Lines waiting for the schema, in order: text to read, or a problem to report. */
  private waiting: { text?: string; problem?: string; line: number; offset: number }[] = [];

  constructor(
    private readonly batcher: InputBatcher,
    private readonly report: {
      /** A line that is not a valid input record, with the reasons. */
      readonly badLine: (line: number, message: string) => void;
      /** A line that could not be read at all (too long, not UTF-8). */
      readonly unreadable: (message: string) => void;
    },
  ) {}

  /** Line number `line` read, ending at byte `offset`. */
  line(text: string, line: number, offset: number): void {
    if (this.waiting.length > 0) {
      this.waiting.push({ text, line, offset });
      return;
    }
    if (!this.read(text, line, offset)) this.waiting.push({ text, line, offset });
  }

  /** A line that could not be read (too long, not UTF-8): reported, then passed. */
  skipped(line: number, offset: number, message: string): void {
    if (this.waiting.length > 0) {
      this.waiting.push({ problem: message, line, offset });
      return;
    }
    this.report.unreadable(message);
    this.batcher.passed(line, offset);
  }

  /** Reads the lines that wait for the schema (loading it once); call after each chunk. */
  async settle(): Promise<void> {
    if (this.waiting.length === 0) return;
    if (this.parseLine === undefined) {
      this.parseLine = (await import('../records/inputRecord.js')).parseInputLine;
    }
    const waiting = this.waiting;
    this.waiting = [];
    for (const { text, problem, line, offset } of waiting) {
      if (text === undefined) {
        this.report.unreadable(problem ?? '');
        this.batcher.passed(line, offset);
      } else {
        this.read(text, line, offset);
      }
    }
  }

  /** Reads one line; false when it needs the schema and the schema is not loaded yet. */
  private read(text: string, line: number, offset: number): boolean {
    const plain = readPlainInputLine(text);
    if (plain !== undefined) {
      this.batcher.add(plain, line, offset);
      return true;
    }
    if (text.trim() === '') {
      this.batcher.passed(line, offset);
      return true;
    }
    if (this.parseLine === undefined) return false;
    const result = this.parseLine(text);
    if (result.ok) {
      this.batcher.add(result.record, line, offset);
    } else {
      this.report.badLine(line, result.message);
      this.batcher.passed(line, offset);
    }
    return true;
  }
}

/**
 * The clock of `--clock records`: its time is the latest input time read (never later
 * than the wall clock's, so that inputs from the future are still refused), and it runs
 * no timer, so the monitor's time is only ever the inputs' own times: each input is
 * processed at its time, and silences are applied as those times pass them.
 */
class RecordsClock implements RuntimeClock {
  private latest = 0;

  constructor(private readonly wall: RuntimeClock) {}

  /** Moves the clock to the latest valid input time in `inputs`. */
  read(inputs: readonly MonitorInput[]): void {
    const wallNow = this.wall.now();
    for (const input of inputs) {
      const at = (input as { at?: unknown }).at;
      if (isValidTime(at) && at > this.latest) this.latest = Math.min(at, wallNow);
    }
  }

  now(): number {
    return this.latest;
  }

  setTimeout(): undefined {
    return undefined;
  }

  clearTimeout(): void {}
}

/**
 * The SQLite store, loaded only when it is used (so `--memory` needs no native module); it
 * syncs off the event loop (`deferSync`), so reading overlaps the disk's wait.
 */
async function sqliteStore(file: string): Promise<SqliteMonitorStore> {
  const { createSqliteStore } = await import('../sqlite/index.js');
  return createSqliteStore({ path: file, deferSync: true });
}

/** The position in a followed file that the last durable batch covered. */
function readCheckpoint(checkpoint: string | undefined): FollowPosition | undefined {
  if (checkpoint === undefined) return undefined;
  const parsed = JSON.parse(checkpoint) as Partial<FollowPosition>;
  const fields = [parsed.dev, parsed.ino, parsed.offset, parsed.line, parsed.headBytes];
  if (
    !fields.every((field) => Number.isSafeInteger(field) && (field as number) >= 0) ||
    typeof parsed.headHash !== 'string'
  ) {
    throw new Error(`the store's checkpoint ${checkpoint} is not a followed file's position`);
  }
  return parsed as FollowPosition;
}
