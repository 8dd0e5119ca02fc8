import { describeValue } from 'uet-tag-status/engine';
import type { z } from 'zod';

/**
 * One problem found in an input: where, what was there, what was expected. Scenario
 * files, input records, Microsoft Advertising objects and HAR entries all report their
 * problems this way, and {@link formatIssue} writes them the same way.
 */
export interface Issue {
  /** The path of the bad field, such as `tags[0].goals[1].type`, or a name for the whole value. */
  readonly path: string;
  /** The value found there, as given (`undefined` when the field is missing). */
  readonly value: unknown;
  /** What the field should hold. */
  readonly expected: string;
}

/**
 * The issues of a failed zod parse (run with `reportInput: true`), as paths, values and
 * expectations; an unknown field becomes one issue per field.
 *
 * @example
 * ```ts
 * const result = schema.safeParse(value, { reportInput: true });
 * if (!result.success) for (const issue of schemaIssues(result.error, 'record')) console.error(formatIssue(issue));
 * ```
 */
export function schemaIssues(error: z.ZodError, rootName: string): Issue[] {
  return error.issues.flatMap((issue): Issue[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: formatJsonPath([...issue.path, key], rootName),
        value: (issue.input as Record<string, unknown> | undefined)?.[key],
        expected: 'a known field name (this one is unknown; check its spelling)',
      }));
    }
    return [
      {
        path: formatJsonPath(issue.path, rootName),
        value: valueAt(issue),
        expected: issue.message,
      },
    ];
  });
}

/**
 * The value an issue is about. A discriminated union reports a bad discriminator with the
 * whole object as its input: the value is the discriminator's own.
 */
function valueAt(issue: z.core.$ZodIssue): unknown {
  const { input } = issue;
  const last = issue.path.at(-1);
  if (
    issue.code === 'invalid_union' &&
    last !== undefined &&
    typeof input === 'object' &&
    input !== null &&
    !Array.isArray(input)
  ) {
    return (input as Record<PropertyKey, unknown>)[last];
  }
  return input;
}

/**
 * A path as text: `tags[0].goals[1].type`; `rootName` for the empty path.
 *
 * @example
 * ```ts
 * formatJsonPath(['ConversionGoals', 3, 'UrlOperator'], 'document'); // 'ConversionGoals[3].UrlOperator'
 * ```
 */
export function formatJsonPath(path: readonly PropertyKey[], rootName = 'document'): string {
  if (path.length === 0) return rootName;
  return path
    .map((part, index) => {
      if (typeof part === 'number') return `[${part}]`;
      return index === 0 ? String(part) : `.${String(part)}`;
    })
    .join('');
}

/**
 * One issue as a line of text: `path: value is not valid: expected ...`; a long value is
 * shown as a bounded prefix.
 *
 * @example
 * ```ts
 * formatIssue({ path: 'seed', value: -1, expected: 'a non-negative integer' });
 * // 'seed: -1 is not valid: expected a non-negative integer'
 * ```
 */
export function formatIssue(issue: Issue): string {
  if (issue.value === undefined) return `${issue.path}: missing: expected ${issue.expected}`;
  return `${issue.path}: ${describeValue(issue.value)} is not valid: expected ${issue.expected}`;
}

/** How many problems a message lists at most; the rest are counted, and kept in `issues`. */
export const MAX_LISTED_ISSUES = 10;

/**
 * The first {@link MAX_LISTED_ISSUES} problems as lines of a message, and a last line
 * counting the others, so that a value with thousands of bad entries gives a readable
 * message (the error's `issues` keeps every one).
 *
 * @example
 * ```ts
 * listIssues(issues).join('; '); // 'goals[0].goalId: missing: …; …; and 7990 more problems'
 * ```
 */
export function listIssues(issues: readonly Issue[]): string[] {
  const listed = issues.slice(0, MAX_LISTED_ISSUES).map(formatIssue);
  const more = issues.length - listed.length;
  if (more > 0) listed.push(`and ${more} more ${more === 1 ? 'problem' : 'problems'}`);
  return listed;
}
