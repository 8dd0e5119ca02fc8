import { CompactAlphabet } from './CompactAlphabet.js';

/**
 * A trie over keys with a number attached to each: given a text, yields the numbers of
 * all keys the text begins with, in one walk no longer than the text or the longest key
 * (SPEC M2 performance: `BeginsWith` expressions). Comparison is exact, code unit by code
 * unit; callers reduce and lower-case both sides.
 *
 * @example
 * ```ts
 * const trie = new PrefixTrie([['contoso.com/', 7], ['contoso.com/checkout', 8]]);
 * const out: number[] = [];
 * trie.prefixesOf('contoso.com/checkout/done', out); // out: [7, 8]
 * ```
 */
export class PrefixTrie {
  private readonly alphabet: CompactAlphabet;
  private readonly next: Int32Array;
  private readonly values: (number[] | undefined)[];

  /** @param entries - each a key (which may be empty: it prefixes every text) and its number. */
  constructor(entries: readonly (readonly [key: string, value: number])[]) {
    this.alphabet = new CompactAlphabet(entries.map(([key]) => key));
    const width = this.alphabet.width;
    const children: Map<number, number>[] = [new Map()];
    const values: (number[] | undefined)[] = [undefined];
    for (const [key, value] of entries) {
      let state = 0;
      for (let i = 0; i < key.length; i++) {
        const column = this.alphabet.columnOf(key.charCodeAt(i));
        const map = children[state] as Map<number, number>;
        let child = map.get(column);
        if (child === undefined) {
          child = children.length;
          map.set(column, child);
          children.push(new Map());
          values.push(undefined);
        }
        state = child;
      }
      const found = values[state];
      if (found === undefined) values[state] = [value];
      else found.push(value);
    }
    const next = new Int32Array(children.length * width).fill(-1);
    children.forEach((map, state) => {
      for (const [column, child] of map) next[state * width + column] = child;
    });
    this.next = next;
    this.values = values;
  }

  /** Pushes onto `out` the numbers of the keys `text` begins with, shortest key first. */
  prefixesOf(text: string, out: number[]): void {
    const { next, values, alphabet } = this;
    const width = alphabet.width;
    let state = 0;
    for (let i = 0; ; i++) {
      const found = values[state];
      if (found !== undefined) for (const value of found) out.push(value);
      if (i === text.length) return;
      const column = alphabet.columnOf(text.charCodeAt(i));
      if (column === 0) return;
      state = next[state * width + column] as number;
      if (state < 0) return;
    }
  }
}
