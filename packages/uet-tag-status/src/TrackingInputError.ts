/**
 * Why an input was rejected (SPEC D3, D4).
 *
 * - `invalidTime`: not an integer number of UTC epoch milliseconds, or negative.
 * - `futureTime`: later than the processor's time plus the allowed clock skew.
 * - `invalidId`: a tag or goal id that is not a non-empty string of visible characters.
 * - `unknownGoalType`: not a value of `ConversionGoalType`.
 * - `unknownGoal`: a goal id that is not attached.
 * - `duplicateGoal`: a goal id that is already attached.
 * - `unknownTag`: a tag id that is not registered.
 * - `duplicateTag`: a tag id that is already registered.
 * - `invalidOption`: a window, skew or other option out of range.
 * - `invalidInput`: an input or query argument of the wrong shape: not an object of a
 *   known kind, or not a value of its value set.
 */
export type TrackingInputErrorCode =
  | 'invalidTime'
  | 'futureTime'
  | 'invalidId'
  | 'unknownGoalType'
  | 'unknownGoal'
  | 'duplicateGoal'
  | 'unknownTag'
  | 'duplicateTag'
  | 'invalidOption'
  | 'invalidInput';

/**
 * The error every rejected input raises: it names the field and the value, and the
 * input changes nothing.
 *
 * @example
 * ```ts
 * try {
 *   runtime.recordActivity(-1);
 * } catch (error) {
 *   if (error instanceof TrackingInputError) console.log(error.code, error.field, error.value);
 * }
 * ```
 */
export class TrackingInputError extends Error {
  /** What kind of problem it is. */
  readonly code: TrackingInputErrorCode;
  /** The name of the bad field, for example `at` or `goalId`. */
  readonly field: string;
  /** The value that was rejected, as given. */
  readonly value: unknown;

  constructor(code: TrackingInputErrorCode, field: string, value: unknown, expected: string) {
    super(`${field}: ${describeValue(value)} is not valid: expected ${expected}`);
    this.name = 'TrackingInputError';
    this.code = code;
    this.field = field;
    this.value = value;
  }
}

/** How much of a rejected value an error message shows at most, in characters. */
const MAX_SHOWN = 100;

/**
 * A rejected value as an error message shows it: strings and other values as JSON, cut to
 * a bounded prefix (about 100 characters) when long, so that a huge input never makes a
 * huge message.
 *
 * @example
 * ```ts
 * describeValue('shop'); // '"shop"'
 * describeValue('x'.repeat(500)); // '"xxx…' (100 characters) + ' (500 characters)'
 * ```
 */
export function describeValue(value: unknown): string {
  let text: string;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') {
    text = String(value);
  } else if (value === undefined) {
    text = 'undefined';
  } else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  if (text.length <= MAX_SHOWN) return text;
  const length = typeof value === 'string' ? ` (${value.length} characters)` : '';
  return `${text.slice(0, MAX_SHOWN - 1)}…${length}`;
}
