/**
 * A run that would keep more status changes than its limit allows (each kept change costs
 * about 33 bytes in a `SimulationLog`, about 225 as a change record with its interval).
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
