import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AhoCorasick } from '../packages/uet-tag-status/src/uet/AhoCorasick.js';
import { CompactAlphabet } from '../packages/uet-tag-status/src/uet/CompactAlphabet.js';
import { PrefixTrie } from '../packages/uet-tag-status/src/uet/PrefixTrie.js';

/* The automata behind M2's indexes, against the obvious loops. Texts and patterns are
 * drawn from a small alphabet (with a character beyond ASCII) so that overlaps abound. */

const text = (maxLength: number) =>
  fc
    .array(fc.constantFrom('a', 'b', 'c', '/', 'é', '😀'), { maxLength })
    .map((parts) => parts.join(''));

describe('AhoCorasick', () => {
  it('M2 finds exactly the patterns that occur in the text, each once', () => {
    fc.assert(
      fc.property(
        fc.array(
          text(5).filter((p) => p !== ''),
          { maxLength: 12 },
        ),
        fc.array(text(20), { maxLength: 5 }),
        (patterns, texts) => {
          const automaton = new AhoCorasick(patterns);
          for (const t of texts) {
            const expected = patterns.flatMap((p, i) => (t.includes(p) ? [i] : []));
            expect([...automaton.scan(t)].sort((a, b) => a - b)).toEqual(expected);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('M2 finds overlapping and nested patterns: he, she, his, hers in ushers', () => {
    const automaton = new AhoCorasick(['he', 'she', 'his', 'hers']);
    expect([...automaton.scan('ushers')].sort()).toEqual([0, 1, 3]);
    expect(automaton.scan('xyz')).toEqual([]);
  });

  it('refuses an empty pattern, which would match everywhere', () => {
    expect(() => new AhoCorasick(['a', ''])).toThrow(RangeError);
  });
});

describe('PrefixTrie', () => {
  it('M2 yields exactly the keys the text begins with, shortest first', () => {
    fc.assert(
      fc.property(
        fc.array(text(5), { maxLength: 12 }),
        fc.array(text(10), { maxLength: 5 }),
        (keys, texts) => {
          const trie = new PrefixTrie(keys.map((key, i) => [key, i] as const));
          for (const t of texts) {
            const out: number[] = [];
            trie.prefixesOf(t, out);
            const expected = keys
              .map((key, i) => [key, i] as const)
              .filter(([key]) => t.startsWith(key))
              .sort((a, b) => a[0].length - b[0].length || a[1] - b[1])
              .map(([, i]) => i);
            expect(out).toEqual(expected);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('CompactAlphabet', () => {
  it('numbers the distinct code units from 1 and gives 0 to the others', () => {
    const alphabet = new CompactAlphabet(['abé', 'ba']);
    expect([...'abéz'].map((ch) => alphabet.columnOf(ch.charCodeAt(0)))).toEqual([1, 2, 3, 0]);
    expect(alphabet.width).toBe(4);
  });
});
