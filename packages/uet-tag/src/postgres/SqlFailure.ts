/** Why a request failed: PostgreSQL's message and SQLSTATE, or a failed expectation. */
export class SqlFailure extends Error {
  constructor(
    message: string,
    /** The SQLSTATE, when PostgreSQL gave one. */
    readonly sqlState: string | undefined,
    /** Whether a statement's `expectRows` was not met (the data, not the connection). */
    readonly expectation: boolean,
  ) {
    super(message);
    this.name = 'SqlFailure';
  }
}
