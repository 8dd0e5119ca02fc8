import { describeValue } from '../describeValue.js';

/**
 * One problem of an advertising document: where, what was found, what was expected.
 *
 * @example
 * ```ts
 * const issue: AdvertisingIssue = { path: 'ConversionGoals[3].UrlOperator', value: 'Equal', expected: 'one of Equals, ...' };
 * ```
 */
export interface AdvertisingIssue {
  /** The JSON path of the bad field, such as `ConversionGoals[3].UrlOperator`, or `document`. */
  readonly path: string;
  /** The value found there, as given (`undefined` when the field is missing). */
  readonly value: unknown;
  /** What the field should hold. */
  readonly expected: string;
}

/**
 * A document of Microsoft Advertising objects that cannot be used (SPEC A1, D4):
 * unreadable, not JSON, of no known shape, or holding fields of the wrong type or out of
 * range. Lists every issue of the document at once, each naming the JSON path, the value
 * (cut to 100 characters) and what was expected; nothing of the document is used.
 *
 * @example
 * ```ts
 * try {
 *   loadAdvertisingObjects(text, 'goals.json');
 * } catch (error) {
 *   if (error instanceof AdvertisingObjectError) for (const issue of error.issues) console.error(issue.path);
 * }
 * ```
 */
export class AdvertisingObjectError extends Error {
  /** The file (or other source) the document came from. */
  readonly source: string;
  /** Every problem found, in document order. */
  readonly issues: readonly AdvertisingIssue[];

  constructor(source: string, issues: readonly AdvertisingIssue[]) {
    super(
      [
        `${source}: invalid Microsoft Advertising objects (${issues.length} ${issues.length === 1 ? 'issue' : 'issues'})`,
        ...issues.map(formatAdvertisingIssue),
      ].join('\n  '),
    );
    this.name = 'AdvertisingObjectError';
    this.source = source;
    this.issues = issues;
  }
}

/**
 * One issue as a line of text: `path: value is not valid: expected ...`, or
 * `path: missing: expected ...` for a field that is not there.
 *
 * @example
 * ```ts
 * formatAdvertisingIssue({ path: 'ConversionGoals[3].UrlOperator', value: 'Equal', expected: 'one of Equals, ...' });
 * // 'ConversionGoals[3].UrlOperator: "Equal" is not valid: expected one of Equals, ...'
 * ```
 */
export function formatAdvertisingIssue(issue: AdvertisingIssue): string {
  if (issue.value === undefined) return `${issue.path}: missing: expected ${issue.expected}`;
  return `${issue.path}: ${describeValue(issue.value)} is not valid: expected ${issue.expected}`;
}
