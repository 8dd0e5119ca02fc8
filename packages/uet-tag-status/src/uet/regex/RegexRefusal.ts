/**
 * Why a goal's regular expression is refused (SPEC M2): JavaScript cannot compile it, or
 * would read it differently from .NET. Names the construct as written and where it is.
 *
 * @example
 * ```ts
 * try {
 *   compileDotNetRegex('(?i)thanks');
 * } catch (error) {
 *   if (error instanceof RegexRefusal) console.log(error.construct, error.offset, error.reason);
 * }
 * ```
 */
export class RegexRefusal extends Error {
  /** The construct as written in the pattern, for example `(?i)` or `\A`. */
  readonly construct: string;
  /** Where the construct starts, counted in UTF-16 code units from 0. */
  readonly offset: number;
  /** Why it is refused, and what to write instead where there is an equivalent. */
  readonly reason: string;

  constructor(construct: string, offset: number, reason: string) {
    super(`${construct} at offset ${offset}: ${reason}`);
    this.name = 'RegexRefusal';
    this.construct = construct;
    this.offset = offset;
    this.reason = reason;
  }
}
