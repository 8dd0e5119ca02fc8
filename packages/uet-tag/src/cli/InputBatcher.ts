import type { MonitorInput, RejectedInput } from 'uet-tag-status';

/** Where a line ended: what a commit acknowledges, and where reading resumes after it. */
export interface LinePosition {
  /** The line's number in its file (or in the standard input). */
  readonly line: number;
  /** The byte offset just after it. */
  readonly offset: number;
}

/** Options of {@link InputBatcher}. */
export interface InputBatcherOptions {
  /** Commit once this many inputs wait. */
  readonly batchSize: number;
  /** Commit at the latest this long after the first input that waits, ms. */
  readonly commitIntervalMs: number;
  /**
   * Commits the inputs (applies them durably) and acknowledges `through`: the position of
   * the last line read, inputs or not. Returns the inputs the monitor rejected.
   */
  readonly commit: (
    inputs: readonly MonitorInput[],
    through: LinePosition,
  ) => readonly RejectedInput[];
  /** Told about each rejected input, with the number of its line. */
  readonly rejected: (line: number, error: RejectedInput['error']) => void;
  /** Told about a failure of a commit started by the timer. */
  readonly failed: (error: unknown) => void;
}

/**
 * Group commit for a stream of inputs: inputs wait until `batchSize` of them do, or
 * `commitIntervalMs` after the first one, whichever comes first, and then are applied in
 * one durable commit, which acknowledges every line read up to then (blank and bad lines
 * included). So durability costs one commit per batch, not one per line, and an input is
 * acknowledged only once it is durable.
 *
 * @example
 * ```ts
 * const batcher = new InputBatcher({ batchSize: 1_000, commitIntervalMs: 10, commit, rejected, failed });
 * batcher.add(input, 1, 42); // read from line 1, which ends at byte 42
 * batcher.flush(); // at the end of the input
 * ```
 */
export class InputBatcher {
  private inputs: MonitorInput[] = [];
  private lines: number[] = [];
  /** The last line read: its number and the offset just after it. */
  private lastLine = 0;
  private lastOffset = 0;
  /** How many lines were read, and how many of them the last commit covered. */
  private read = 0;
  private committed = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: InputBatcherOptions) {}

  /** An input read from line number `line`, which ends at byte `offset`. */
  add(input: MonitorInput, line: number, offset: number): void {
    this.inputs.push(input);
    this.lines.push(line);
    this.passed(line, offset);
    if (this.inputs.length >= this.options.batchSize) this.flush();
  }

  /** A line read that holds no input (blank, malformed): acknowledged with the next commit. */
  passed(line: number, offset: number): void {
    this.lastLine = line;
    this.lastOffset = offset;
    this.read += 1;
    if (this.timer === undefined) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        try {
          this.flush();
        } catch (error) {
          this.options.failed(error);
        }
      }, this.options.commitIntervalMs);
    }
  }

  /** Commits what waits now (at the end of the input, or before stopping). */
  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.read === this.committed) return;
    const through: LinePosition = { line: this.lastLine, offset: this.lastOffset };
    const inputs = this.inputs;
    const lines = this.lines;
    this.inputs = [];
    this.lines = [];
    this.committed = this.read;
    for (const { index, error } of this.options.commit(inputs, through)) {
      this.options.rejected(lines[index] ?? through.line, error);
    }
  }

  /** Drops what waits, uncommitted (the input is abandoned after a failure). */
  discard(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.inputs = [];
    this.lines = [];
  }
}
