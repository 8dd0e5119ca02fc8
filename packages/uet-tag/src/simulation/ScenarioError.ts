import { type Issue, listIssues } from '../issues.js';

/** One problem of a scenario file: where (`tags[0].goals[1].type`, or `scenario`), what, what was expected. */
export type ScenarioIssue = Issue;

/**
 * A scenario file that cannot run: unreadable, not JSON or YAML, or not valid. Lists
 * every issue, each naming the path, the value and what was expected; nothing runs.
 *
 * @example
 * ```ts
 * try {
 *   await loadScenario('bad.yaml');
 * } catch (error) {
 *   if (error instanceof ScenarioError) for (const issue of error.issues) console.error(issue.path);
 * }
 * ```
 */
export class ScenarioError extends Error {
  /** The file (or other source) the scenario came from. */
  readonly source: string;
  /** Every problem found, in document order. */
  readonly issues: readonly ScenarioIssue[];

  constructor(source: string, issues: readonly ScenarioIssue[]) {
    super(
      [
        `${source}: invalid scenario (${issues.length} ${issues.length === 1 ? 'issue' : 'issues'})`,
        ...listIssues(issues),
      ].join('\n  '),
    );
    this.name = 'ScenarioError';
    this.source = source;
    this.issues = issues;
  }
}
