import type { InputRecord } from '../records/inputRecord.js';

/**
 * What a format makes of one line: a record (an input record of the one vocabulary, its
 * times in UTC epoch ms); several records and the problems of the rest (a Conversions API
 * body holds many events); nothing (a blank line or a header); a request left out by the
 * filters; or a malformed line, with the reason.
 */
export type LineOutcome =
  | { readonly kind: 'record'; readonly record: InputRecord }
  | {
      readonly kind: 'records';
      readonly records: readonly InputRecord[];
      readonly problems: readonly string[];
    }
  | { readonly kind: 'blank' }
  | { readonly kind: 'filtered' }
  | { readonly kind: 'malformed'; readonly reason: string }
  | { readonly kind: 'told' };

/**
 * Takes the activity records of lines without a record object being built (most lines of
 * most logs): `activity(tagId, at, …)` is the record `{ kind: 'activity', tagId, at }` of
 * line `lineNumber`, whose text is `text`.
 */
export interface ActivitySink {
  /** The activity record of line `lineNumber`. */
  activity(tagId: string, at: number, lineNumber: number, text: string): void;
}

/** Reads the lines of one file format, in order. */
export interface LineParser {
  /**
   * Parses one line; `lineNumber` counts from 1. When `activity` is given, a line whose
   * record is activity may be handed to it instead (the outcome is then `told`); the
   * record is the same either way.
   */
  parse(line: string, lineNumber: number, activity?: ActivitySink): LineOutcome;
}

/** The outcome for blank lines and headers. */
export const BLANK: LineOutcome = Object.freeze({ kind: 'blank' });
/** The outcome of a line whose activity record went to the parser's {@link ActivitySink}. */
export const TOLD: LineOutcome = Object.freeze({ kind: 'told' });
/** The outcome for requests the filters leave out. */
export const FILTERED: LineOutcome = Object.freeze({ kind: 'filtered' });

/**
 * A malformed line's outcome.
 *
 * @example
 * ```ts
 * malformed('status: "abc" is not an HTTP status');
 * ```
 */
export function malformed(reason: string): LineOutcome {
  return { kind: 'malformed', reason };
}

/**
 * A record's outcome.
 *
 * @example
 * ```ts
 * accepted({ kind: 'activity', tagId: 'site', at: 0 });
 * ```
 */
export function accepted(record: InputRecord): LineOutcome {
  return { kind: 'record', record };
}
