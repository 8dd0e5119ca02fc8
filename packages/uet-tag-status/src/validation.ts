import { TrackingInputError } from './TrackingInputError.js';
import { type ConversionGoalType, isConversionGoalType } from './valueSets/conversionGoalType.js';
import { MAX_TIME_MS } from './windows.js';

/**
 * The most code points a tag or goal id may have.
 *
 * @example
 * ```ts
 * 'x'.repeat(MAX_ID_LENGTH + 1); // refused as an id
 * ```
 */
export const MAX_ID_LENGTH = 256;

/**
 * The characters of an id: no white space, control or format character (zero-width space,
 * bidirectional overrides, byte order mark), and no lone surrogate, so that an id is
 * well-formed Unicode that a person can read and every store and JSON encoder keeps
 * exactly. Ids are compared as given: they are not Unicode-normalized.
 *
 * @example
 * ```ts
 * ID_PATTERN.test('shop-42'); // true
 * ID_PATTERN.test('shop\u200b42'); // false
 * ```
 */
export const ID_PATTERN = /^[^\s\p{Cc}\p{Cf}\p{Cs}]+$/u;

/**
 * What a tag or goal id must be, in the words every error uses.
 *
 * @example
 * ```ts
 * throw new TrackingInputError('invalidId', 'tagId', id, ID_EXPECTED);
 * ```
 */
export const ID_EXPECTED = `a string of 1 to ${MAX_ID_LENGTH} visible characters (no white space, control or format character, or lone surrogate)`;

/**
 * Whether `value` is a valid tag or goal id (SPEC D4): see {@link ID_EXPECTED}.
 *
 * @example
 * ```ts
 * isValidId('12345'); // true
 * isValidId('two words'); // false
 * ```
 */
export function isValidId(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    (isVisibleAscii(value) ||
      ((value.length <= MAX_ID_LENGTH || codePointCount(value) <= MAX_ID_LENGTH) &&
        ID_PATTERN.test(value)))
  );
}

/**
 * Whether `value` is 1 to {@link MAX_ID_LENGTH} visible ASCII characters (`!` to `~`): an
 * id that {@link ID_PATTERN} accepts, told without running it (most ids are these).
 */
function isVisibleAscii(value: string): boolean {
  const length = value.length;
  if (length === 0 || length > MAX_ID_LENGTH) return false;
  for (let index = 0; index < length; index++) {
    const code = value.charCodeAt(index);
    if (code < 0x21 || code > 0x7e) return false;
  }
  return true;
}

/** The number of code points in `value`, counted only as far as one past the id limit. */
function codePointCount(value: string): number {
  let count = 0;
  for (const _ of value) {
    count += 1;
    if (count > MAX_ID_LENGTH) break;
  }
  return count;
}

/**
 * Whether `value` is UTC epoch milliseconds the model can hold (SPEC T1): an integer from
 * 0 to {@link MAX_TIME_MS}.
 *
 * @example
 * ```ts
 * isValidTime(Date.now()); // true
 * isValidTime(-1); // false
 * ```
 */
export function isValidTime(value: unknown): value is number {
  return (
    typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= MAX_TIME_MS
  );
}

/**
 * Checks a time is UTC epoch milliseconds the model can hold (SPEC T1, D4): an integer
 * from 0 to {@link MAX_TIME_MS}.
 *
 * @example
 * ```ts
 * assertEpochMs('at', Date.now());
 * ```
 * @throws `TrackingInputError` `invalidTime` naming `field`.
 */
export function assertEpochMs(field: string, value: unknown): asserts value is number {
  if (!isValidTime(value)) {
    throw new TrackingInputError(
      'invalidTime',
      field,
      value,
      `an integer of UTC epoch milliseconds from 0 to ${MAX_TIME_MS}`,
    );
  }
}

/**
 * Checks a time is no later than `now` plus the allowed clock skew (SPEC D3).
 *
 * @example
 * ```ts
 * assertNotInFuture('at', receivedAt, Date.now(), 300_000);
 * ```
 * @throws `TrackingInputError` `futureTime` naming `field`.
 */
export function assertNotInFuture(field: string, value: number, now: number, skewMs: number): void {
  if (value > now + skewMs) {
    throw new TrackingInputError(
      'futureTime',
      field,
      value,
      `a time no later than ${now + skewMs} (now ${now} plus the allowed skew of ${skewMs} ms)`,
    );
  }
}

/**
 * Checks a tag or goal id (SPEC D4): see {@link ID_EXPECTED}.
 *
 * @example
 * ```ts
 * assertId('tagId', '12345');
 * ```
 * @throws `TrackingInputError` `invalidId` naming `field`.
 */
export function assertId(field: string, value: unknown): asserts value is string {
  if (!isValidId(value)) throw new TrackingInputError('invalidId', field, value, ID_EXPECTED);
}

/**
 * Checks a goal type is a value of `ConversionGoalType`, spelled exactly (SPEC D4).
 *
 * @example
 * ```ts
 * assertGoalType('goalType', row.type); // throws for 'url' or 'URL'
 * ```
 * @throws `TrackingInputError` `unknownGoalType` naming `field`.
 */
export function assertGoalType(field: string, value: unknown): asserts value is ConversionGoalType {
  if (!isConversionGoalType(value)) {
    throw new TrackingInputError(
      'unknownGoalType',
      field,
      value,
      'one of Url, Duration, PagesViewedPerVisit, Event, AppInstall, OfflineConversion, InStoreTransaction',
    );
  }
}

/**
 * Checks a goal to attach: an object with a valid `goalId` not yet attached and a
 * `goalType` spelled exactly; returns its id and type.
 *
 * @example
 * ```ts
 * const goal = checkNewGoal(input, (goalId) => attached.has(goalId));
 * ```
 * @throws `TrackingInputError` `invalidId`, `unknownGoalType` or `duplicateGoal`.
 */
export function checkNewGoal(
  goal: unknown,
  isAttached: (goalId: string) => boolean,
): { goalId: string; goalType: ConversionGoalType } {
  if (typeof goal !== 'object' || goal === null) {
    throw new TrackingInputError('invalidId', 'goalId', goal, 'a goal { goalId, goalType }');
  }
  const { goalId, goalType } = goal as Record<string, unknown>;
  assertId('goalId', goalId);
  assertGoalType('goalType', goalType);
  if (isAttached(goalId)) {
    throw new TrackingInputError('duplicateGoal', 'goalId', goalId, 'an id not yet attached');
  }
  return { goalId, goalType };
}

/**
 * How many goals one tag can have attached at once: 1,000, the most conversion goals
 * Microsoft Advertising allows in one account (a tag's goals all belong to accounts that
 * share it, and a status computation over more is never asked for). Bounding it keeps a
 * single input's work bounded.
 */
export const MAX_GOALS_PER_TAG = 1000;

/**
 * Checks that a tag with `attached` goals has room for `adding` more.
 *
 * @example
 * ```ts
 * assertGoalRoom('goals', 0, input.goals.length);
 * ```
 * @throws `TrackingInputError` `tooManyGoals` naming `field` and the count it would reach.
 */
export function assertGoalRoom(field: string, attached: number, adding: number): void {
  if (attached + adding > MAX_GOALS_PER_TAG) {
    throw new TrackingInputError(
      'tooManyGoals',
      field,
      attached + adding,
      `at most ${MAX_GOALS_PER_TAG} goals on one tag (Microsoft Advertising's limit per account)`,
    );
  }
}

/**
 * Checks an allowed clock skew: a non-negative integer of milliseconds.
 *
 * @example
 * ```ts
 * assertSkew('allowedSkewMs', 60_000);
 * ```
 * @throws `TrackingInputError` `invalidOption` naming `field`.
 */
export function assertSkew(field: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new TrackingInputError('invalidOption', field, value, 'a non-negative integer of ms');
  }
}
