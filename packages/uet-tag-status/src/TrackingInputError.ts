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
 * - `invalidHit`: a UET beacon that cannot be read: a path other than `/action/0` or
 *   `/actionp/0`, bad percent-encoding, or a number parameter that is not a finite number
 *   (SPEC U1, U3). A missing or malformed `ti` is `invalidId`, like every other id.
 * - `invalidGoalDefinition`: a conversion goal definition with a field of the wrong type
 *   or out of range, or a regular expression that JavaScript would not read as .NET does
 *   (SPEC A1, M2).
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
  | 'invalidInput'
  | 'invalidHit'
  | 'invalidGoalDefinition';

/**
 * The error every rejected input raises: it names the field and the value, and the
 * input changes nothing. The message echoes at most {@link MAX_ECHOED_LENGTH} characters
 * of the value, so that a multi-kilobyte URL does not flood a log; `value` keeps it whole.
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
  /** What the field should hold. */
  readonly expected: string;

  constructor(code: TrackingInputErrorCode, field: string, value: unknown, expected: string) {
    super(`${field}: ${describeValue(value)} is not valid: expected ${expected}`);
    this.name = 'TrackingInputError';
    this.code = code;
    this.field = field;
    this.value = value;
    this.expected = expected;
  }
}

/** How many characters of a rejected value an error message shows at most. */
export const MAX_ECHOED_LENGTH = 100;

/**
 * A rejected value as an error message shows it: strings and other values as JSON, cut to
 * a bounded prefix ({@link MAX_ECHOED_LENGTH} characters) when long, so that a huge input
 * never makes a huge message (the error's `value` keeps it whole).
 *
 * @example
 * ```ts
 * describeValue('shop'); // '"shop"'
 * describeValue('x'.repeat(500)); // '"xxx…" (500 characters)', 100 x's
 * ```
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') {
    return value.length > MAX_ECHOED_LENGTH
      ? `${JSON.stringify(value.slice(0, MAX_ECHOED_LENGTH))}… (${value.length} characters)`
      : JSON.stringify(value);
  }
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') {
    return String(value);
  }
  if (value === undefined) return 'undefined';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > MAX_ECHOED_LENGTH ? `${text.slice(0, MAX_ECHOED_LENGTH)}…` : text;
}
