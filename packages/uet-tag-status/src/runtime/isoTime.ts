const MS_PER_DAY = 86_400_000;
/** The first millisecond of year 10000: from there `Date#toISOString` writes six-digit years. */
const YEAR_10000_MS = 253_402_300_800_000;
/** Days whose date part is kept (a year's worth and more; cleared when full). */
const CACHED_DAYS = 4_096;

/** `00` to `59`, and `000` to `999`: the digits of a time of day, by value. */
const TWO_DIGITS = Array.from({ length: 60 }, (_, value) => String(value).padStart(2, '0'));
const THREE_DIGITS = Array.from({ length: 1_000 }, (_, value) => String(value).padStart(3, '0'));

/** `YYYY-MM-DDT` of recently formatted days, by day number since the epoch. */
const datePrefixes = new Map<number, string>();

/**
 * A time in the documented form of every record: ISO 8601, UTC, with milliseconds,
 * exactly what `Date#toISOString` writes. The date part is computed once per day and
 * kept; the time of day is written by arithmetic (a report of millions of times spends
 * little on them). Times outside whole milliseconds from 1970 to year 9999 are written by
 * `Date#toISOString` itself.
 *
 * @example
 * ```ts
 * isoTime(0); // '1970-01-01T00:00:00.000Z'
 * isoTime(1_709_546_446_718); // '2024-03-04T10:00:46.718Z'
 * ```
 */
export function isoTime(at: number): string {
  if (!(Number.isInteger(at) && at >= 0 && at < YEAR_10000_MS)) {
    return new Date(at).toISOString();
  }
  const day = Math.floor(at / MS_PER_DAY);
  let prefix = datePrefixes.get(day);
  if (prefix === undefined) {
    if (datePrefixes.size >= CACHED_DAYS) datePrefixes.clear();
    prefix = new Date(day * MS_PER_DAY).toISOString().slice(0, 11);
    datePrefixes.set(day, prefix);
  }
  let rest = at - day * MS_PER_DAY;
  const ms = rest % 1_000;
  rest = (rest - ms) / 1_000;
  const seconds = rest % 60;
  rest = (rest - seconds) / 60;
  const minutes = rest % 60;
  const hours = (rest - minutes) / 60;
  return `${prefix}${TWO_DIGITS[hours]}:${TWO_DIGITS[minutes]}:${TWO_DIGITS[seconds]}.${THREE_DIGITS[ms]}Z`;
}
