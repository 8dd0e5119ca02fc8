import type { ConversionGoalType } from 'uet-tag-status';

/** Activity data received from a tag (SPEC R2, R3, R5). */
export interface ActivityRecord {
  readonly kind: 'activity';
  readonly tagId: string;
  /** When the data was received, UTC epoch ms. */
  readonly at: number;
}

/** A conversion recorded for a goal of a tag (SPEC G3, G6). */
export interface ConversionRecord {
  readonly kind: 'conversion';
  readonly tagId: string;
  readonly goalId: string;
  /** The goal's type, when the record names it; else the goal must be declared. */
  readonly goalType: ConversionGoalType | undefined;
  /** When the conversion was received, UTC epoch ms. */
  readonly at: number;
}

/** The account lost or regained access to a tag (SPEC G4). */
export interface AccessRecord {
  readonly kind: 'access';
  readonly tagId: string;
  readonly available: boolean;
  /** When access changed, UTC epoch ms. */
  readonly at: number;
}

/** One input read from a recorded file. */
export type ReplayRecord = ActivityRecord | ConversionRecord | AccessRecord;

/**
 * What a format makes of one line: a record; nothing (a blank line or a header); a
 * request left out by the filters; or a malformed line, with the reason.
 */
export type LineOutcome =
  | { readonly kind: 'record'; readonly record: ReplayRecord }
  | { readonly kind: 'blank' }
  | { readonly kind: 'filtered' }
  | { readonly kind: 'malformed'; readonly reason: string };

/** Reads the lines of one file format, in order. */
export interface LineParser {
  /** Parses one line; `lineNumber` counts from 1. */
  parse(line: string, lineNumber: number): LineOutcome;
}

/** The outcome for blank lines and headers. */
export const BLANK: LineOutcome = Object.freeze({ kind: 'blank' });
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
export function accepted(record: ReplayRecord): LineOutcome {
  return { kind: 'record', record };
}
