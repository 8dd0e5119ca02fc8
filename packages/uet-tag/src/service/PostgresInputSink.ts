import type pg from 'pg';
import { hitOf, type MonitorInput, type RejectedInput, TrackingInputError } from 'uet-tag-status';
import { appendInputs } from '../postgres/inputLog.js';
import type { InputSink, SubmissionResult } from './InputSink.js';

/**
 * The input sink of a `uet-tag serve --db postgresql://…` node: each submission is
 * appended to the cluster's input log in one transaction ({@link appendInputs}) and
 * resolves after its COMMIT; the shards' owners (`uet-tag worker`) apply the inputs in
 * order. A hit whose tag cannot be read is refused here, alone; the monitor's own checks
 * (an unregistered tag, a time too far ahead) run in the worker, which counts what it
 * rejects (SPEC D4).
 *
 * @example
 * ```ts
 * const sink = new PostgresInputSink(createClusterPool(url, 'uet'));
 * await sink.submit([{ kind: 'activity', tagId: '5', at: Date.now() }]);
 * ```
 */
export class PostgresInputSink implements InputSink {
  constructor(
    private readonly pool: pg.Pool,
    private readonly committed?: (inputs: number, seconds: number) => void,
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
    const started = process.hrtime.bigint();
    await appendInputs(this.pool, kept);
    this.committed?.(kept.length, Number(process.hrtime.bigint() - started) / 1e9);
    return { applied: kept.length, rejected };
  }
}
