/** One problem of a scenario file: where, what was found, what was expected. */
export interface ScenarioIssue {
  /** The path of the bad field, such as `tags[0].goals[1].type`, or `scenario` for the whole file. */
  readonly path: string;
  /** The value found there, as given (`undefined` when the field is missing). */
  readonly value: unknown;
  /** What the field should hold. */
  readonly expected: string;
}

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
        ...issues.map(formatScenarioIssue),
      ].join('\n  '),
    );
    this.name = 'ScenarioError';
    this.source = source;
    this.issues = issues;
  }
}

/**
 * One issue as a line of text: `path: value is not valid: expected ...`.
 *
 * @example
 * ```ts
 * formatScenarioIssue({ path: 'seed', value: -1, expected: 'a non-negative integer' });
 * // 'seed: -1 is not valid: expected a non-negative integer'
 * ```
 */
export function formatScenarioIssue(issue: ScenarioIssue): string {
  if (issue.value === undefined) return `${issue.path}: missing: expected ${issue.expected}`;
  return `${issue.path}: ${describeValue(issue.value)} is not valid: expected ${issue.expected}`;
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
