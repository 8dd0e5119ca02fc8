import { isoTime, MAX_TIME_MS } from 'uet-tag-status';

const DURATION_UNITS_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

const DURATION = /^(?:(\d+(?:\.\d+)?)(ms|s|m|h|d|w))+$/;
const DURATION_PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g;
const ISO_WITH_OFFSET =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * Parses a duration written as integer milliseconds or as units: `90m`, `1d12h`, `1.5h`,
 * `7d`, `500ms` (units `ms`, `s`, `m`, `h`, `d`, `w`). Returns `undefined` when the text
 * is not a duration or the result is not a whole number of milliseconds.
 *
 * @example
 * ```ts
 * parseDuration('1d12h'); // 129_600_000
 * parseDuration(3_600_000); // 3_600_000
 * ```
 */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  }
  if (typeof value !== 'string' || !DURATION.test(value)) return undefined;
  let total = 0;
  for (const [, amount, unit] of value.matchAll(DURATION_PART)) {
    total += Number(amount) * (DURATION_UNITS_MS[unit ?? ''] ?? Number.NaN);
  }
  return Number.isSafeInteger(total) ? total : undefined;
}

/**
 * Parses a point in time: integer UTC epoch milliseconds, or an ISO 8601 date or date-time
 * whose time zone is explicit (`Z` or an offset such as `-04:00`, hours 00–23, minutes
 * 00–59); a date alone means midnight UTC. With `origin`, `+<duration>` means that long
 * after `origin`. Returns `undefined` for anything else (a date-time without a zone is
 * ambiguous) and for times the model cannot hold (before 1970, after `MAX_TIME_MS`).
 *
 * @example
 * ```ts
 * parseTime('1995-08-01T14:52:01-04:00'); // 807303121000
 * parseTime('+36h', 0); // 129_600_000
 * ```
 */
export function parseTime(value: unknown, origin?: number): number | undefined {
  if (typeof value === 'number') return representable(value);
  if (typeof value !== 'string') return undefined;
  if (value.startsWith('+')) {
    const offset = parseDuration(value.slice(1));
    return origin === undefined || offset === undefined
      ? undefined
      : representable(origin + offset);
  }
  const match = ISO_WITH_OFFSET.exec(value);
  if (match === null) return undefined;
  const [, year, month, day, hour, minute, second, fraction, zone] = match;
  if (hour !== undefined && zone === undefined) return undefined;
  const fields = [year, month, day, hour ?? '0', minute ?? '0', second ?? '0'].map(Number);
  const [y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0] = fields;
  const ms = Number((fraction ?? '0').padEnd(3, '0'));
  // Date.UTC reads years 0 to 99 as 1900 to 1999; setting the year afterwards does not.
  const check = new Date(Date.UTC(2000, mo - 1, d, h, mi, s, ms));
  check.setUTCFullYear(y);
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) {
    return undefined;
  }
  if (zone !== undefined && zone !== 'Z' && !isValidOffset(zone)) return undefined;
  return representable(check.getTime() - offsetMs(zone ?? 'Z'));
}

/** A UTC offset of hours 00 to 23 and minutes 00 to 59 (`+99:99` is not one). */
function isValidOffset(zone: string): boolean {
  const digits = zone.replace(':', '');
  return Number(digits.slice(1, 3)) <= 23 && Number(digits.slice(3, 5)) <= 59;
}

/** `at`, when it is a time the model holds (SPEC T1): an integer from 0 to `MAX_TIME_MS`. */
function representable(at: number): number | undefined {
  return Number.isSafeInteger(at) && at >= 0 && at <= MAX_TIME_MS ? at : undefined;
}

/**
 * The offset of a time zone designator from UTC, in milliseconds: `Z` → 0,
 * `-0400` or `-04:00` → −14,400,000.
 *
 * @example
 * ```ts
 * offsetMs('+02:00'); // 7_200_000
 * ```
 */
export function offsetMs(zone: string): number {
  if (zone === 'Z') return 0;
  const digits = zone.replace(':', '');
  const sign = digits.startsWith('-') ? -1 : 1;
  const hours = Number(digits.slice(1, 3));
  const minutes = Number(digits.slice(3, 5));
  return sign * (hours * 3_600_000 + minutes * 60_000);
}

/**
 * Formats UTC epoch milliseconds as ISO 8601 in UTC, leaving out zero milliseconds.
 *
 * @example
 * ```ts
 * formatTime(0); // '1970-01-01T00:00:00Z'
 * ```
 */
export function formatTime(at: number): string {
  const iso = isoTime(at);
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}

/**
 * Formats a duration compactly with days, hours, minutes, seconds and milliseconds,
 * leaving out zero parts (`0s` for zero). With `maxUnits`, only that many of the largest
 * units are shown, the rest cut off.
 *
 * @example
 * ```ts
 * formatDuration(93_784_000); // '1d 2h 3m 4s'
 * formatDuration(93_784_000, 2); // '1d 2h'
 * ```
 */
export function formatDuration(ms: number, maxUnits = 5): string {
  let text = '';
  eachDurationPart(ms, maxUnits, (amount, unit) => {
    text += `${text === '' ? '' : ' '}${amount}${unit}`;
  });
  return text === '' ? '0s' : text;
}

/**
 * The parts {@link formatDuration} writes for `ms`, largest first, each an amount and its
 * unit (`d`, `h`, `m`, `s`, `ms`); none for a duration it writes as `0s`.
 *
 * @example
 * ```ts
 * eachDurationPart(93_784_000, 2, (amount, unit) => console.log(amount, unit)); // 1 d, then 2 h
 * ```
 */
export function eachDurationPart(
  ms: number,
  maxUnits: number,
  part: (amount: number, unit: DurationUnit) => void,
): void {
  let rest = Math.round(ms);
  let started = false;
  let unitsSinceFirst = 0;
  for (let unit = 0; unit < DURATION_PARTS.length; unit++) {
    const [name, size] = DURATION_PARTS[unit] as (typeof DURATION_PARTS)[number];
    const amount = Math.floor(rest / size);
    rest -= amount * size;
    if (!started && amount === 0) continue;
    if (amount > 0 && unitsSinceFirst < maxUnits) {
      started = true;
      part(amount, name);
    }
    unitsSinceFirst++;
  }
}

/** A unit of {@link eachDurationPart}. */
export type DurationUnit = (typeof DURATION_PARTS)[number][0];

/** The parts of a formatted duration, largest first. */
const DURATION_PARTS = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
  ['ms', 1],
] as const;
