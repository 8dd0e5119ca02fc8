/**
 * Numbers the distinct code units of a set of strings from 1, so that a transition table
 * needs one column per character that occurs in them, plus column 0 for all others.
 *
 * @example
 * ```ts
 * const alphabet = new CompactAlphabet(['thanks', 'order']);
 * alphabet.columnOf('t'.charCodeAt(0)); // 1
 * alphabet.columnOf('z'.charCodeAt(0)); // 0: in no string
 * ```
 */
export class CompactAlphabet {
  /** Columns in a table row: the distinct code units plus one. */
  readonly width: number;
  private readonly ascii = new Int32Array(128);
  private readonly others = new Map<number, number>();

  constructor(strings: Iterable<string>) {
    let next = 1;
    for (const text of strings) {
      for (let i = 0; i < text.length; i++) {
        const code = text.charCodeAt(i);
        if (code < 128) {
          if (this.ascii[code] === 0) this.ascii[code] = next++;
        } else if (!this.others.has(code)) {
          this.others.set(code, next++);
        }
      }
    }
    this.width = next;
  }

  /** The column of a code unit; 0 when it occurs in none of the strings. */
  columnOf(code: number): number {
    return code < 128 ? (this.ascii[code] as number) : (this.others.get(code) ?? 0);
  }
}
