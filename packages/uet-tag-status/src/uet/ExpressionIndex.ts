import { AhoCorasick } from './AhoCorasick.js';
import type { GoalExpression } from './goalDefinition.js';
import { PrefixTrie } from './PrefixTrie.js';
import { reduceUrl } from './reduceUrl.js';
import { compileDotNetRegex } from './regex/compileDotNetRegex.js';

/**
 * One goal's expression on the field an {@link ExpressionIndex} covers.
 *
 * @example
 * ```ts
 * const entry: IndexedExpression = { goal: 0, expression: { operator: 'Contains', expression: '/thanks' } };
 * ```
 */
export interface IndexedExpression {
  /** The goal's number, pushed to the output when the expression holds. */
  readonly goal: number;
  readonly expression: GoalExpression;
}

interface IndexedRegex {
  readonly goal: number;
  readonly regExp: RegExp;
}

/**
 * Tests many goals' expressions on one field (a page URL, an event action, …) at a cost
 * that barely grows with their number (SPEC M1, M2 and their performance requirement):
 * `Equals` is one look-up of the reduced value in a map, `BeginsWith` one walk down a
 * trie of the reduced expressions, `Contains` one pass of an Aho-Corasick automaton over
 * the lower-cased value, and each `RegularExpression` runs only when the same pass found
 * one of the literals every match of it contains (patterns without such a literal always
 * run).
 *
 * @example
 * ```ts
 * const index = new ExpressionIndex([
 *   { goal: 0, expression: { operator: 'Contains', expression: '/thanks' } },
 *   { goal: 1, expression: { operator: 'RegularExpression', expression: 'order-\\d+' } },
 * ]);
 * const out: number[] = [];
 * index.collect('https://contoso.com/thanks?order-12', out); // out: [0, 1] in some order
 * ```
 */
export class ExpressionIndex {
  private readonly equals = new Map<string, number[]>();
  private readonly prefixes: PrefixTrie | undefined;
  private readonly substrings: AhoCorasick | undefined;
  /** Per pattern of `substrings`: the `Contains` goals it is the expression of. */
  private readonly containing: number[][] = [];
  /** Per pattern of `substrings`: the regular expressions it is a required literal of. */
  private readonly prefiltered: number[][] = [];
  private readonly regexes: IndexedRegex[] = [];
  private readonly unfiltered: number[] = [];
  private readonly tested: Uint32Array;
  private epoch = 0;

  /**
   * @param entries - the expressions; a `RegularExpression` must have passed
   * `checkGoalDefinition` (a refused pattern throws here too).
   */
  constructor(entries: readonly IndexedExpression[]) {
    const prefixes: [string, number][] = [];
    const patterns = new Map<string, number>();
    const patternOf = (text: string): number => {
      let index = patterns.get(text);
      if (index === undefined) {
        index = patterns.size;
        patterns.set(text, index);
        this.containing.push([]);
        this.prefiltered.push([]);
      }
      return index;
    };
    for (const { goal, expression } of entries) {
      const lower = expression.expression.toLowerCase();
      switch (expression.operator) {
        case 'Equals': {
          const reduced = reduceUrl(lower);
          const goals = this.equals.get(reduced);
          if (goals === undefined) this.equals.set(reduced, [goal]);
          else goals.push(goal);
          break;
        }
        case 'BeginsWith':
          prefixes.push([reduceUrl(lower), goal]);
          break;
        case 'Contains':
          this.containing[patternOf(lower)]?.push(goal);
          break;
        case 'RegularExpression': {
          const { regExp, literals } = compileDotNetRegex(expression.expression);
          const id = this.regexes.length;
          this.regexes.push({ goal, regExp });
          if (literals === undefined) this.unfiltered.push(id);
          else for (const literal of literals) this.prefiltered[patternOf(literal)]?.push(id);
          break;
        }
      }
    }
    this.prefixes = prefixes.length > 0 ? new PrefixTrie(prefixes) : undefined;
    this.substrings = patterns.size > 0 ? new AhoCorasick([...patterns.keys()]) : undefined;
    this.tested = new Uint32Array(this.regexes.length);
  }

  /**
   * Pushes onto `out` the goal of every expression `value` satisfies, each once, in no
   * particular order.
   */
  collect(value: string, out: number[]): void {
    const lower = value.toLowerCase();
    if (this.equals.size > 0 || this.prefixes !== undefined) {
      const reduced = reduceUrl(lower);
      const equal = this.equals.get(reduced);
      if (equal !== undefined) for (const goal of equal) out.push(goal);
      this.prefixes?.prefixesOf(reduced, out);
    }
    if (this.substrings !== undefined) {
      if (++this.epoch === 0xffffffff) {
        this.tested.fill(0);
        this.epoch = 1;
      }
      for (const pattern of this.substrings.scan(lower)) {
        for (const goal of this.containing[pattern] as number[]) out.push(goal);
        for (const id of this.prefiltered[pattern] as number[]) {
          if (this.tested[id] === this.epoch) continue;
          this.tested[id] = this.epoch;
          this.test(id, value, out);
        }
      }
    }
    for (const id of this.unfiltered) this.test(id, value, out);
  }

  private test(id: number, value: string, out: number[]): void {
    const { goal, regExp } = this.regexes[id] as IndexedRegex;
    if (regExp.test(value)) out.push(goal);
  }
}
