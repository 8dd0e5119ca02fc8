import type { StepMemo } from '../engine/StepMemo.js';
import type { TagFacts } from '../engine/tagFacts.js';
import type { TagEvent } from '../machines/types.js';
import type { MonitorParts } from './monitorParts.js';
import type { SilenceTarget } from './SilenceScheduler.js';

/**
 * Applies a monitor's due silences (SPEC R4, G3), for its scheduler: each as a full
 * machine step would, by the step the machines took for the first tag of its kind
 * (`StepMemo`); a storm's run of goalless tags of one kind by the silence step derived
 * for it, straight on the tag table's columns, with the tags of each run of due silences
 * read ahead.
 *
 * @example
 * ```ts
 * const silences = new SilenceApplier(parts, memo);
 * silences.settle(now); // every silence due by now applied, in effective-time order
 * ```
 */
export class SilenceApplier implements SilenceTarget {
  constructor(
    private readonly parts: MonitorParts,
    private readonly steps: StepMemo,
  ) {}

  /** Applies every silence due by `now` (or the first `limit`), in effective-time order. */
  settle(now: number, limit = Number.POSITIVE_INFINITY): void {
    const { scheduler } = this.parts;
    if (scheduler.earliest > now) return;
    scheduler.fireDue(now, this.parts.windows, limit, this);
  }

  /** Makes room for the changes of about `count` silences about to fire. */
  expect(count: number): void {
    this.parts.reporter.expect(count);
  }

  /**
   * Reads the tags of a run of due silences and their histories ahead (see
   * `TagTable.warm`); returns a number made of what it read.
   */
  warm(tags: Int32Array, from: number, to: number): number {
    return this.parts.table.warm(tags, from, to) + this.parts.reporter.warm(tags, from, to);
  }

  /**
   * Applies the due silence of tag `no` by the silence step the memo derived for the run
   * being fired, on the table's columns (`TagTable.stepSilence`); returns the tag's next
   * silence, or NaN when the step does not fit (nothing changed).
   */
  fireFast(no: number, key: number, now: number): number {
    const step = this.steps.silenceStep;
    if (step === undefined) return Number.NaN;
    const { table, pending, reporter } = this.parts;
    const windows = this.parts.windows;
    const changes = table.stepSilence(no, key, step, windows);
    if (changes === undefined) return Number.NaN;
    pending?.touch(no);
    reporter.record(no, table.idOf(no), changes, now);
    return step.nextSilenceAfter(windows);
  }

  /**
   * Applies one due silence to tag `no` as a full machine step does,
   * by the step the machines took for the first tag of its kind (`StepMemo`).
   */
  apply(no: number, facts: TagFacts, event: TagEvent, now: number): void {
    const { table, pending, reporter } = this.parts;
    const windows = this.parts.windows;
    const changes =
      event.type === 'tag.silenceElapsed'
        ? this.steps.stepSilence(facts, event, windows)
        : this.steps.step(facts, event, windows);
    if (changes.length === 0) {
      const at = 'at' in event ? event.at : undefined;
      throw new Error(
        `internal: the silence of tag ${table.idOf(no)} due at ${at} changed no status`,
      );
    }
    table.write(no, facts);
    pending?.touch(no);
    reporter.record(no, table.idOf(no), changes, now);
  }
}
