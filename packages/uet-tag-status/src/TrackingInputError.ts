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
 * - `tooManyGoals`: more than 1,000 goals (`MAX_GOALS_PER_TAG`) on one tag.
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
  | 'tooManyGoals'
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
  if (typeof value === 'string' && value.length > MAX_ECHOED_LENGTH) {
    return `${JSON.stringify(value.slice(0, MAX_ECHOED_LENGTH))}… (${value.length} characters)`;
  }
  if (value === undefined) return 'undefined';
  const preview = { text: '', cut: false };
  writePreview(value, preview);
  return preview.cut ? `${preview.text.slice(0, MAX_ECHOED_LENGTH)}…` : preview.text;
}

/** A JSON rendering being built, that stops once it holds more than the echoed length. */
interface Preview {
  text: string;
  cut: boolean;
}

/**
 * Appends `value` as JSON to `preview`, stopping as soon as the text is longer than
 * {@link MAX_ECHOED_LENGTH}: its cost and its recursion depth are bounded by that length,
 * whatever the size or nesting of the value (an array nested 100,000 deep is one `[` per
 * level, so at most about a hundred levels are visited).
 */
function writePreview(value: unknown, preview: Preview): void {
  if (preview.text.length > MAX_ECHOED_LENGTH) {
    preview.cut = true;
    return;
  }
  if (typeof value === 'string')
    preview.text += JSON.stringify(value.slice(0, MAX_ECHOED_LENGTH + 1));
  else if (typeof value === 'number' || typeof value === 'boolean') preview.text += String(value);
  else if (typeof value === 'bigint') preview.text += `${value}n`;
  else if (value === null) preview.text += 'null';
  else if (Array.isArray(value)) writeEntries(value.entries(), '[', ']', false, preview);
  else if (typeof value === 'object') writeEntries(ownEntries(value), '{', '}', true, preview);
  else preview.text += String(value);
  if (preview.text.length > MAX_ECHOED_LENGTH) preview.cut = true;
}

/** Appends the entries of an array or object to `preview`, within its bound. */
function writeEntries(
  entries: Iterable<[unknown, unknown]>,
  open: string,
  close: string,
  keyed: boolean,
  preview: Preview,
): void {
  preview.text += open;
  let first = true;
  for (const [key, entry] of entries) {
    if (preview.text.length > MAX_ECHOED_LENGTH) {
      preview.cut = true;
      return;
    }
    if (!first) preview.text += ',';
    first = false;
    if (keyed) preview.text += `${JSON.stringify(String(key).slice(0, MAX_ECHOED_LENGTH + 1))}:`;
    writePreview(entry, preview);
    if (preview.cut) return;
  }
  preview.text += close;
}

/** The own enumerable entries of an object, one at a time (a huge object is not copied). */
function* ownEntries(value: object): Generator<[string, unknown]> {
  for (const key in value) {
    if (Object.hasOwn(value, key)) yield [key, (value as Record<string, unknown>)[key]];
  }
}
