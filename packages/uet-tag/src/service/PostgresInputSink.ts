import type pg from 'pg';
import { hitOf, type MonitorInput, type RejectedInput, TrackingInputError } from 'uet-tag-status';
import { appendInputs } from '../postgres/inputLog.js';
import type { InputSink, SubmissionResult } from './InputSink.js';

interface Submission {
  readonly inputs: readonly MonitorInput[];
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/** Options of {@link PostgresInputSink}. */
export interface PostgresInputSinkOptions {
  /**
   * How many appends may run at once; submissions that arrive meanwhile wait and form the
   * next append together (group commit).
   * @default 4
   */
  readonly appendsInFlight?: number;
  /** Told after every append: how many inputs it held and how long it took, in seconds. */
  readonly committed?: (inputs: number, seconds: number) => void;
}

/**
 * The input sink of a `uet-tag serve --db postgresql://…` node: submissions are appended
 * to the cluster's input log ({@link appendInputs}) and resolve after the COMMIT of their
 * append; the shards' owners (`uet-tag worker`) apply the inputs in order. Concurrent
 * submissions share one append (one transaction) while `appendsInFlight` appends run, so
 * a burst of collector hits costs a few transactions, not one each; a submission's inputs
 * stay in their order. A hit whose tag cannot be read is refused here, alone; the
 * monitor's own checks (an unregistered tag, a time too far ahead) run in the worker,
 * which counts what it rejects (SPEC D4).
 *
 * @example
 * ```ts
 * const sink = new PostgresInputSink(createClusterPool(url, 'uet'));
 * await sink.submit([{ kind: 'activity', tagId: '5', at: Date.now() }]);
 * ```
 */
export class PostgresInputSink implements InputSink {
  private waiting: Submission[] = [];
  private inFlight = 0;

  constructor(
    private readonly pool: pg.Pool,
    private readonly options: PostgresInputSinkOptions = {},
  ) {}

  async submit(inputs: readonly MonitorInput[]): Promise<SubmissionResult> {
    const rejected: RejectedInput[] = [];
    const kept: MonitorInput[] = [];
    inputs.forEach((input, index) => {
      if (input.kind === 'hit') {
        try {
          hitOf('hit', input.hit);
        } catch (error) {
          if (!(error instanceof TrackingInputError)) throw error;
          rejected.push({ index, error });
          return;
        }
      }
      kept.push(input);
    });
    if (kept.length > 0) {
      await new Promise<void>((resolve, reject) => {
        this.waiting.push({ inputs: kept, resolve, reject });
        this.start();
      });
    }
    return { applied: kept.length, rejected };
  }

  /** Starts an append of everything that waits, unless enough are running already. */
  private start(): void {
    if (this.inFlight >= (this.options.appendsInFlight ?? 4) || this.waiting.length === 0) return;
    const group = this.waiting;
    this.waiting = [];
    this.inFlight += 1;
    const all: MonitorInput[] = [];
    for (const submission of group) for (const input of submission.inputs) all.push(input);
    const started = process.hrtime.bigint();
    appendInputs(this.pool, all)
      .then(
        () => {
          this.options.committed?.(all.length, Number(process.hrtime.bigint() - started) / 1e9);
          for (const submission of group) submission.resolve();
        },
        (error: unknown) => {
          for (const submission of group) submission.reject(error);
        },
      )
      .finally(() => {
        this.inFlight -= 1;
        this.start();
      });
  }
}
