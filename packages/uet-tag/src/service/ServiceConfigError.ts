/**
 * The service's configuration cannot be used: each problem names the field, its value and
 * where it came from (the file, a flag, an environment variable).
 *
 * @example
 * ```ts
 * try { loadServiceConfig({ flags }); } catch (error) { if (error instanceof ServiceConfigError) console.error(error.problems); }
 * ```
 */
export class ServiceConfigError extends Error {
  /** One line per problem. */
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`invalid configuration: ${problems.join('; ')}`);
    this.name = 'ServiceConfigError';
    this.problems = problems;
  }
}
