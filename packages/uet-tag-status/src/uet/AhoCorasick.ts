import { CompactAlphabet } from './CompactAlphabet.js';

/**
 * An Aho-Corasick automaton: finds which of many strings occur in a text in one pass over
 * the text, whatever their number (SPEC M2 performance: `Contains` expressions and the
 * literals that prefilter regular expressions). Comparison is exact, code unit by code
 * unit; callers lower-case both sides for M1. The transitions form a complete table over
 * a {@link CompactAlphabet}, so each character of the text costs one array read. The
 * price is memory: 4 bytes × states (at most the patterns' total length) × (distinct
 * characters + 1), about 6 MB for 1,000 patterns of 30 characters.
 *
 * @example
 * ```ts
 * const automaton = new AhoCorasick(['thank', 'order', 'thanks']);
 * automaton.scan('/thanks?order=1'); // [0, 2, 1] in some order: all three
 * ```
 */
export class AhoCorasick {
  /** How many patterns the automaton was built from. */
  readonly patternCount: number;
  private readonly alphabet: CompactAlphabet;
  private readonly next: Int32Array;
  private readonly outputs: number[][];
  /** The first state, this one or along the failure links, that ends a pattern; -1 if none. */
  private readonly firstOutput: Int32Array;
  /** From a state with outputs, the next such state along the failure links; -1 if none. */
  private readonly outputLink: Int32Array;
  private readonly seen: Uint32Array;
  private epoch = 0;
  private readonly found: number[] = [];

  /** @param patterns - the strings to look for, none empty; a pattern's index identifies it. */
  constructor(patterns: readonly string[]) {
    this.patternCount = patterns.length;
    this.alphabet = new CompactAlphabet(patterns);
    const width = this.alphabet.width;
    const children: Map<number, number>[] = [new Map()];
    const outputs: number[][] = [[]];
    patterns.forEach((pattern, index) => {
      if (pattern === '') throw new RangeError('AhoCorasick: a pattern cannot be empty');
      let state = 0;
      for (let i = 0; i < pattern.length; i++) {
        const column = this.alphabet.columnOf(pattern.charCodeAt(i));
        const map = children[state] as Map<number, number>;
        let child = map.get(column);
        if (child === undefined) {
          child = children.length;
          map.set(column, child);
          children.push(new Map());
          outputs.push([]);
        }
        state = child;
      }
      (outputs[state] as number[]).push(index);
    });
    const states = children.length;
    const next = new Int32Array(states * width);
    const fail = new Int32Array(states);
    const firstOutput = new Int32Array(states).fill(-1);
    const outputLink = new Int32Array(states).fill(-1);
    const queue: number[] = [0];
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head] as number;
      const row = state * width;
      const failRow = (fail[state] as number) * width;
      for (let column = 0; column < width; column++) {
        const child = children[state]?.get(column);
        if (child === undefined) {
          next[row + column] = state === 0 ? 0 : (next[failRow + column] as number);
          continue;
        }
        next[row + column] = child;
        const childFail = state === 0 ? 0 : (next[failRow + column] as number);
        fail[child] = childFail;
        outputLink[child] = firstOutput[childFail] as number;
        firstOutput[child] =
          (outputs[child] as number[]).length > 0 ? child : (outputLink[child] as number);
        queue.push(child);
      }
    }
    this.next = next;
    this.outputs = outputs;
    this.firstOutput = firstOutput;
    this.outputLink = outputLink;
    this.seen = new Uint32Array(patterns.length);
  }

  /**
   * The indices of the patterns that occur in `text`, each once, in no particular order.
   * The array is reused: it is valid until the next call.
   */
  scan(text: string): readonly number[] {
    const found = this.found;
    found.length = 0;
    if (++this.epoch === 0xffffffff) {
      this.seen.fill(0);
      this.epoch = 1;
    }
    const { next, alphabet, firstOutput, outputLink, outputs, seen, epoch } = this;
    const width = alphabet.width;
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      state = next[state * width + alphabet.columnOf(text.charCodeAt(i))] as number;
      for (let o = firstOutput[state] as number; o !== -1; o = outputLink[o] as number) {
        for (const pattern of outputs[o] as number[]) {
          if (seen[pattern] !== epoch) {
            seen[pattern] = epoch;
            found.push(pattern);
          }
        }
      }
    }
    return found;
  }
}
