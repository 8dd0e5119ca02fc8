import { type Issue, listIssues } from '../issues.js';

/**
 * One problem of an advertising document: where, what was found, what was expected.
 *
 * @example
 * ```ts
 * const issue: AdvertisingIssue = { path: 'ConversionGoals[3].UrlOperator', value: 'Equal', expected: 'one of Equals, ...' };
 * ```
 */
/** One problem of an advertising document; its path is a JSON path such as `ConversionGoals[3].UrlOperator`. */
export type AdvertisingIssue = Issue;

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
        ...listIssues(issues),
      ].join('\n  '),
    );
    this.name = 'AdvertisingObjectError';
    this.source = source;
    this.issues = issues;
  }
}
