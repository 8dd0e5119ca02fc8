import { InvalidArgumentError } from 'commander';
import type { ConversionGoalType } from 'uet-tag-status';
import { isConversionGoalType, MAX_GOALS_PER_TAG } from 'uet-tag-status';
import { isStatusPattern } from '../replay/requestFilter.js';
import { parseDuration, parseTime } from '../time.js';

/**
 * Commander argument parsers: each returns the parsed value or throws an
 * `InvalidArgumentError` saying what was expected (commander prefixes the option).
 */

/**
 * An integer ≥ `min`, and ≤ `max` when given.
 *
 * @example
 * ```ts
 * new Option('--runs <n>').argParser(integerAtLeast(1, MAX_RUNS));
 * ```
 */
export function integerAtLeast(min: number, max?: number): (value: string) => number {
  return (value) => {
    const parsed = Number(value);
    const tooBig = max !== undefined && parsed > max;
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(parsed) || parsed < min || tooBig) {
      throw new InvalidArgumentError(
        max === undefined
          ? `expected an integer >= ${min}`
          : `expected an integer from ${min} to ${max}`,
      );
    }
    return parsed;
  };
}

/**
 * A duration (`90m`, `1d12h`, integer ms), greater than zero unless `allowZero`.
 *
 * @example
 * ```ts
 * durationArgument()('24h'); // 86_400_000
 * ```
 */
export function durationArgument(allowZero = false): (value: string) => number {
  return (value) => {
    const parsed = parseDuration(/^\d+$/.test(value) ? Number(value) : value);
    if (parsed === undefined || (!allowZero && parsed === 0)) {
      throw new InvalidArgumentError('expected a duration such as 90m, 24h, 1d12h or integer ms');
    }
    return parsed;
  };
}

/**
 * A point in time: ISO 8601 with its zone, or integer UTC epoch ms.
 *
 * @example
 * ```ts
 * timeArgument('1995-08-03T04:36:13-04:00'); // 807438973000
 * ```
 */
export function timeArgument(value: string): number {
  const parsed = parseTime(/^\d+$/.test(value) ? Number(value) : value);
  if (parsed === undefined) {
    throw new InvalidArgumentError(
      'expected an ISO 8601 date-time with its zone (1995-08-03T04:36:13-04:00) or integer epoch ms',
    );
  }
  return parsed;
}

/**
 * A regular expression, collected into a list (for repeatable options).
 *
 * @example
 * ```ts
 * regexList('^/shop/', []); // [/^\/shop\//]
 * ```
 */
export function regexList(value: string, previous: RegExp[] = []): RegExp[] {
  try {
    return [...previous, new RegExp(value)];
  } catch (error) {
    throw new InvalidArgumentError(`expected a regular expression (${(error as Error).message})`);
  }
}

/**
 * HTTP statuses or classes separated by commas (`200,304`, `2xx,3xx`), collected.
 *
 * @example
 * ```ts
 * statusList('2xx,304', []); // ['2xx', '304']
 * ```
 */
export function statusList(value: string, previous: string[] = []): string[] {
  const statuses = value.split(',').map((status) => status.trim().toLowerCase());
  const bad = statuses.filter((status) => !isStatusPattern(status));
  if (bad.length > 0) {
    throw new InvalidArgumentError(
      `${bad.map((status) => JSON.stringify(status)).join(', ')}: expected HTTP statuses such as 200 or classes such as 2xx, separated by commas`,
    );
  }
  return [...previous, ...statuses];
}

/**
 * A goal `<goalId>=<type>`, collected.
 *
 * @example
 * ```ts
 * goalList('signup=Url', []); // [{ goalId: 'signup', goalType: 'Url' }]
 * ```
 */
export function goalList(
  value: string,
  previous: { goalId: string; goalType: ConversionGoalType }[] = [],
): { goalId: string; goalType: ConversionGoalType }[] {
  const [goalId, goalType] = splitPair(value, '<goalId>=<type>');
  if (!isConversionGoalType(goalType)) {
    throw new InvalidArgumentError(
      `${JSON.stringify(goalType)} is not a goal type: expected one of Url, Duration, PagesViewedPerVisit, Event, AppInstall, OfflineConversion, InStoreTransaction`,
    );
  }
  if (previous.length >= MAX_GOALS_PER_TAG) {
    throw new InvalidArgumentError(
      `at most ${MAX_GOALS_PER_TAG} goals can be given (Microsoft Advertising's limit per account)`,
    );
  }
  previous.push({ goalId, goalType });
  return previous;
}

/**
 * A goal path `<goalId>=<regex>`: requests matching it are conversions of that `Url` goal.
 *
 * @example
 * ```ts
 * goalPathList('signup=^/thanks', []); // [{ goalId: 'signup', goalType: 'Url', path: /^\/thanks/ }]
 * ```
 */
export function goalPathList(
  value: string,
  previous: { goalId: string; goalType: ConversionGoalType; path: RegExp }[] = [],
): { goalId: string; goalType: ConversionGoalType; path: RegExp }[] {
  const [goalId, pattern] = splitPair(value, '<goalId>=<regex>');
  const [path] = regexList(pattern);
  if (path === undefined) throw new InvalidArgumentError('expected a regular expression');
  if (previous.length >= MAX_GOALS_PER_TAG) {
    throw new InvalidArgumentError(
      `at most ${MAX_GOALS_PER_TAG} goal paths can be given (Microsoft Advertising's limit per account)`,
    );
  }
  previous.push({ goalId, goalType: 'Url', path });
  return previous;
}

function splitPair(value: string, shape: string): [string, string] {
  const equals = value.indexOf('=');
  const left = value.slice(0, equals);
  const right = value.slice(equals + 1);
  if (equals <= 0 || right === '' || /\s/.test(left)) {
    throw new InvalidArgumentError(`expected ${shape}`);
  }
  return [left, right];
}
