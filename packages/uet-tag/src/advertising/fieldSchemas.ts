import { z } from 'zod';

/**
 * The largest int64, the upper bound of every Microsoft Advertising id.
 *
 * @example
 * ```ts
 * BigInt('9223372036854775807') === INT64_MAX; // true
 * ```
 */
export const INT64_MAX = 9_223_372_036_854_775_807n;

const ID_EXPECTED =
  'an int64 id: a JSON string of decimal digits or a JSON integer, from 0 to 9223372036854775807';
const UNSAFE_NUMBER_EXPECTED = `${ID_EXPECTED}; a JSON number above 9007199254740991 has lost digits, so write such an id as a string`;

/**
 * Reads an int64 id given as a JSON string or number (SPEC A1), as its decimal string
 * without leading zeros. Returns what was expected instead when the value is not one:
 * not an integer, negative, above the int64 maximum, or a JSON number too large to be
 * exact.
 *
 * @example
 * ```ts
 * normalizeInt64Id('0042'); // { id: '42' }
 * normalizeInt64Id(26000001); // { id: '26000001' }
 * normalizeInt64Id(-1); // { expected: 'an int64 id: ...' }
 * ```
 */
export function normalizeInt64Id(value: unknown): { id: string } | { expected: string } {
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0) return { expected: ID_EXPECTED };
    if (!Number.isSafeInteger(value)) return { expected: UNSAFE_NUMBER_EXPECTED };
    return { id: String(value) };
  }
  if (typeof value !== 'string' || !/^\d{1,19}$/.test(value)) return { expected: ID_EXPECTED };
  const digits = BigInt(value);
  return digits > INT64_MAX ? { expected: ID_EXPECTED } : { id: digits.toString() };
}

/**
 * A required int64 id field: a string or number in, a decimal string out.
 *
 * @example
 * ```ts
 * z.object({ Id: int64Id }).parse({ Id: 7 }); // { Id: '7' }
 * ```
 */
export const int64Id = z.unknown().transform((value, context): string => {
  const result = value === null ? { expected: ID_EXPECTED } : normalizeInt64Id(value);
  if ('id' in result) return result.id;
  context.issues.push({ code: 'custom', input: value, message: result.expected });
  return z.NEVER;
});

/**
 * An optional int64 id field: null or absent gives `undefined`.
 *
 * @example
 * ```ts
 * z.object({ TagId: optionalInt64Id }).parse({ TagId: null }); // { TagId: undefined }
 * ```
 */
export const optionalInt64Id = z
  .unknown()
  .transform((value, context): string | undefined => {
    if (value === null || value === undefined) return undefined;
    const result = normalizeInt64Id(value);
    if ('id' in result) return result.id;
    context.issues.push({ code: 'custom', input: value, message: result.expected });
    return z.NEVER;
  })
  .optional();

/**
 * Makes a field optional the way the API returns unset fields: JSON `null` and a
 * missing key both read as absent.
 *
 * @example
 * ```ts
 * z.object({ Name: absentIfNull(z.string()) }).parse({ Name: null }); // { Name: undefined }
 * ```
 */
export function absentIfNull<T extends z.ZodType>(schema: T) {
  return schema.nullish().transform((value) => value ?? undefined);
}

/**
 * A JSON integer within `[min, max]`; the message says so with both bounds.
 *
 * @example
 * ```ts
 * boundedInteger(1, 129_600).parse(43_200); // 43200
 * ```
 */
export function boundedInteger(min: number, max: number) {
  const expected = `an integer from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')}`;
  return z
    .number({ error: expected })
    .int({ error: expected })
    .min(min, { error: expected })
    .max(max, { error: expected });
}

/**
 * A JSON string of at most `maxLength` characters (the API's own limits, such as 100
 * for names and event expressions).
 *
 * @example
 * ```ts
 * limitedString(100).parse('Checkout'); // 'Checkout'
 * ```
 */
export function limitedString(maxLength?: number) {
  const expected =
    maxLength === undefined ? 'a string' : `a string of at most ${maxLength} characters`;
  const text = z.string({ error: expected });
  return maxLength === undefined ? text : text.max(maxLength, { error: expected });
}

/**
 * One of a value set's values, spelled exactly; the message lists them and names the set.
 *
 * @example
 * ```ts
 * oneOf({ Active: 'Active', Paused: 'Paused' }, 'ConversionGoalStatus').parse('Paused');
 * ```
 */
export function oneOf<const T extends Record<string, string>>(valueSet: T, setName: string) {
  const values = Object.values(valueSet) as [T[keyof T], ...T[keyof T][]];
  return z.enum(values, { error: `one of ${values.join(', ')} (${setName}, spelled exactly)` });
}

/**
 * A JSON boolean (`true` or `false`, not a string).
 *
 * @example
 * ```ts
 * jsonBoolean.parse(false); // false
 * ```
 */
export const jsonBoolean = z.boolean({ error: 'a JSON boolean, true or false' });

/**
 * A finite JSON number (the API's decimals, such as an event goal's `Value`).
 *
 * @example
 * ```ts
 * decimal.parse(25.5); // 25.5
 * ```
 */
export const decimal = z.number({ error: 'a JSON number' });

/**
 * A JSON object of any content (such as a tag's `CustomerShare`), read as given.
 *
 * @example
 * ```ts
 * jsonObject.parse({ OwnerCustomerId: '1' });
 * ```
 */
export const jsonObject = z.record(z.string(), z.unknown(), { error: 'a JSON object' });
