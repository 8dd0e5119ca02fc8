/**
 * One-byte codes for the status values that changes carry, handed out as they are first
 * seen (a few at most), so that a change keeps its two statuses in two bytes. A code is
 * found by a scan: over so few interned strings it beats a hash lookup.
 *
 * @example
 * ```ts
 * const codes = new StatusCodes();
 * codes.codeOf('Active'); // 0
 * codes.statusOf(0); // 'Active'
 * ```
 */
export class StatusCodes {
  private readonly statuses: string[] = [];

  /** The code of `status` (a new one if it was not seen before). */
  codeOf(status: string): number {
    const { statuses } = this;
    for (let code = 0; code < statuses.length; code++) if (statuses[code] === status) return code;
    statuses.push(status);
    return statuses.length - 1;
  }

  /** The status of a code handed out. */
  statusOf(code: number): string {
    return this.statuses[code] as string;
  }
}
