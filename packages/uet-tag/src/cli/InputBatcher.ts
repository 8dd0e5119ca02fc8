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
 * batcher.add(input, { line: 1, offset: 42 });
 * batcher.flush(); // at the end of the input
 * ```
 */
export class InputBatcher {
  private inputs: MonitorInput[] = [];
  private lines: number[] = [];
  private last: LinePosition | undefined;
  private committed: LinePosition | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: InputBatcherOptions) {}

  /** An input read from the line that ends at `position`. */
  add(input: MonitorInput, position: LinePosition): void {
    this.inputs.push(input);
    this.lines.push(position.line);
    this.passed(position);
    if (this.inputs.length >= this.options.batchSize) this.flush();
  }

  /** A line read that holds no input (blank, malformed): acknowledged with the next commit. */
  passed(position: LinePosition): void {
    this.last = position;
    if (this.timer === undefined && this.last !== this.committed) {
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
    const through = this.last;
    if (through === undefined || through === this.committed) return;
    const inputs = this.inputs;
    const lines = this.lines;
    this.inputs = [];
    this.lines = [];
    this.committed = through;
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
