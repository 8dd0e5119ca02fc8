/**
 * A run that would keep more status changes than its limit allows (each kept change, with
 * its timeline interval, costs about 225 bytes).
 */
export class ChangeLimitError extends Error {
  constructor(
    /** The limit that was reached. */
    readonly limit: number,
  ) {
    super(`more than ${limit} status changes`);
    this.name = 'ChangeLimitError';
  }
}
