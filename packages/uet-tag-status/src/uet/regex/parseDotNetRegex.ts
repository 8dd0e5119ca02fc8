import {
  type CodeUnitSet,
  complementOf,
  dotNetBoundaryWordCharacters,
  hasCodeUnit,
  rangeOf,
  unionOf,
} from './codeUnitSets.js';
import { RegexRefusal } from './RegexRefusal.js';
import { type Escaped, readDotNetEscape } from './readDotNetEscape.js';
import type {
  RegexAlternation,
  RegexChar,
  RegexGroup,
  RegexNode,
  RegexSequence,
  RegexSet,
} from './regexAst.js';

const NEWLINE = 0x0a;
const MAX_COUNT = 2 ** 31 - 1;
const QUANTIFIER = /\{(\d+)(,(\d*))?\}/y;
const COMMA_FIRST_QUANTIFIER = /\{,\d*\}/y;
const INLINE_OPTIONS = /\(\?[imnsx-]*[:)]?/y;

/**
 * Parses a regular expression written in the .NET syntax Microsoft documents for goals,
 * with the default options, and refuses every construct JavaScript cannot express with
 * the same meaning (SPEC M2). What is accepted is read exactly as .NET reads it: `.`
 * is any code unit but `\n`; `$` also matches before a final `\n`; `\d`, `\w`, `\s`,
 * `\b` are Unicode-aware; `]` first in a class and `{` that opens no quantifier are
 * literal; groups of every kind only group (nothing refers back to them).
 *
 * Refused, each with the construct and its offset: inline options (`(?i)`,
 * `(?imnsx-imnsx:…)`), atomic groups `(?>…)`, possessive and nested quantifiers,
 * `(?'name'…)`, balancing groups `(?<a-b>…)`, conditionals `(?(…)…)`, comments
 * `(?#…)`, backreferences (`\1`, `\k<name>`: JavaScript matches an unset group as empty
 * where .NET fails), octal escapes, `\A`, `\Z`, `\z`, `\G`, class subtraction
 * `[a-z-[aeiou]]`, POSIX-like `[:name:]`, `\p{IsBlock}`, the case-sensitive categories
 * `\p{Lu}`, `\p{Ll}`, `\p{Lt}` (matching is case-insensitive, M1, and the engines
 * disagree on what that does to them), `\x{…}`, `{,n}`, quantifiers on assertions,
 * unknown escapes of word characters, and anything .NET itself rejects.
 *
 * @example
 * ```ts
 * parseDotNetRegex('confirm(ation)?\\.html');
 * parseDotNetRegex('(?i)thanks'); // throws RegexRefusal naming (?i) at offset 0
 * ```
 * @throws {@link RegexRefusal}
 */
export function parseDotNetRegex(pattern: string): RegexAlternation {
  const parser = new Parser(pattern);
  const tree = parser.alternation();
  if (parser.pos < pattern.length) {
    throw new RegexRefusal(')', parser.pos, 'this ) closes no group');
  }
  return tree;
}

class Parser {
  pos = 0;

  constructor(private readonly pattern: string) {}

  alternation(): RegexAlternation {
    const alternatives: RegexSequence[] = [this.sequence()];
    while (this.pattern[this.pos] === '|') {
      this.pos++;
      alternatives.push(this.sequence());
    }
    return alternatives;
  }

  private sequence(): RegexSequence {
    const nodes: RegexNode[] = [];
    while (this.pos < this.pattern.length) {
      const ch = this.pattern[this.pos];
      if (ch === '|' || ch === ')') break;
      nodes.push(this.quantified(this.atom()));
    }
    return nodes;
  }

  private atom(): RegexNode {
    const start = this.pos;
    const ch = this.pattern[start];
    switch (ch) {
      case '(':
        return this.group();
      case '[':
        return this.characterClass();
      case '\\':
        return this.escape(false);
      case '.':
        this.pos++;
        return { kind: 'set', members: rangeOf(NEWLINE, NEWLINE), negated: true };
      case '^':
        this.pos++;
        return { kind: 'assertion', assertion: 'start' };
      case '$':
        this.pos++;
        return { kind: 'assertion', assertion: 'end' };
      case '*':
      case '+':
      case '?':
        throw new RegexRefusal(ch, start, 'a quantifier with nothing before it to repeat');
      case '{': {
        const quantifier = this.match(QUANTIFIER, start);
        if (quantifier !== undefined) {
          throw new RegexRefusal(
            quantifier,
            start,
            'a quantifier with nothing before it to repeat',
          );
        }
        this.refuseCommaFirst(start);
        break;
      }
    }
    this.pos++;
    return { kind: 'char', code: this.pattern.charCodeAt(start) };
  }

  private quantified(item: RegexNode): RegexNode {
    const start = this.pos;
    const quantifier = this.quantifier();
    if (quantifier === undefined) return item;
    const written = this.pattern.slice(start, this.pos);
    if (item.kind === 'assertion' || (item.kind === 'group' && item.look !== undefined)) {
      throw new RegexRefusal(
        written,
        start,
        'a quantifier on a zero-width assertion, which JavaScript refuses or reads differently',
      );
    }
    if (item.kind === 'repeat') throw new Error('unreachable: a repeat is never re-quantified');
    const lazy = this.pattern[this.pos] === '?';
    if (lazy) this.pos++;
    const next = this.pos;
    if (this.quantifier() !== undefined) {
      const construct = this.pattern.slice(start, this.pos);
      if (!lazy && this.pattern[next] === '+') {
        throw new RegexRefusal(
          construct,
          start,
          'a possessive quantifier, which .NET does not have and JavaScript cannot express',
        );
      }
      throw new RegexRefusal(construct, start, 'a quantifier applied to a quantifier');
    }
    return { kind: 'repeat', item, min: quantifier.min, max: quantifier.max, lazy };
  }

  /** Reads `*`, `+`, `?` or `{n}`, `{n,}`, `{n,m}` at the position, if there is one. */
  private quantifier(): { min: number; max: number } | undefined {
    const ch = this.pattern[this.pos];
    if (ch === '*' || ch === '+' || ch === '?') {
      this.pos++;
      return { min: ch === '+' ? 1 : 0, max: ch === '?' ? 1 : Number.POSITIVE_INFINITY };
    }
    if (ch !== '{') return undefined;
    const start = this.pos;
    QUANTIFIER.lastIndex = start;
    const found = QUANTIFIER.exec(this.pattern);
    if (found === null) {
      this.refuseCommaFirst(start);
      return undefined;
    }
    const min = Number(found[1]);
    const max =
      found[2] === undefined ? min : found[3] === '' ? Number.POSITIVE_INFINITY : Number(found[3]);
    if (min > MAX_COUNT || (max !== Number.POSITIVE_INFINITY && max > MAX_COUNT)) {
      throw new RegexRefusal(found[0], start, `a count above ${MAX_COUNT}`);
    }
    if (max < min) throw new RegexRefusal(found[0], start, 'a {min,max} with max below min');
    this.pos = QUANTIFIER.lastIndex;
    return { min, max };
  }

  private refuseCommaFirst(start: number): void {
    const written = this.match(COMMA_FIRST_QUANTIFIER, start);
    if (written !== undefined) {
      throw new RegexRefusal(
        written,
        start,
        '.NET reads {,n} as literal text, not as "at most n" as some other engines do; write {0,n} or escape the brace',
      );
    }
  }

  private group(): RegexGroup {
    const start = this.pos;
    let look: RegexGroup['look'];
    if (this.pattern[start + 1] !== '?') {
      this.pos = start + 1;
    } else {
      const kind = this.pattern[start + 2];
      const then = this.pattern[start + 3];
      if (kind === ':') this.pos = start + 3;
      else if (kind === '=') [look, this.pos] = ['ahead', start + 3];
      else if (kind === '!') [look, this.pos] = ['notAhead', start + 3];
      else if (kind === '<' && then === '=') [look, this.pos] = ['behind', start + 4];
      else if (kind === '<' && then === '!') [look, this.pos] = ['notBehind', start + 4];
      else if (kind === '<') this.groupName(start);
      else this.refuseGroup(start, kind);
    }
    const body = this.alternation();
    if (this.pattern[this.pos] !== ')') {
      throw new RegexRefusal('(', start, 'a group never closed');
    }
    this.pos++;
    return look === undefined ? { kind: 'group', body } : { kind: 'group', look, body };
  }

  /** Reads the `(?<name>` of a named group, refusing balancing groups `(?<a-b>`. */
  private groupName(start: number): void {
    let end = start + 3;
    const word = dotNetBoundaryWordCharacters();
    while (end < this.pattern.length && hasCodeUnit(word, this.pattern.charCodeAt(end))) end++;
    const close = this.pattern[end];
    if (close === '-') {
      const to = this.pattern.indexOf('>', end);
      throw new RegexRefusal(
        this.pattern.slice(start, to < 0 ? end + 1 : to + 1),
        start,
        'a balancing group, which JavaScript does not have',
      );
    }
    if (close !== '>' || end === start + 3) {
      throw new RegexRefusal(this.pattern.slice(start, end + 1), start, 'a malformed group name');
    }
    this.pos = end + 1;
  }

  private refuseGroup(start: number, kind: string | undefined): never {
    const reasons: Record<string, string> = {
      "'": "a named group written (?'name'…); JavaScript only knows (?<name>…)",
      '>': 'an atomic group, which JavaScript does not have',
      '#': 'an inline comment, which JavaScript does not have',
      '(': 'a conditional, which JavaScript does not have',
    };
    const reason = kind === undefined ? undefined : reasons[kind];
    if (reason !== undefined) throw new RegexRefusal(`(?${kind}`, start, reason);
    const options = this.match(INLINE_OPTIONS, start);
    if (options !== undefined && options.length > 2) {
      throw new RegexRefusal(
        options,
        start,
        'inline options, which JavaScript does not have; matching is already case-insensitive (M1)',
      );
    }
    throw new RegexRefusal(`(?${kind ?? ''}`, start, 'an unknown group construct');
  }

  private characterClass(): RegexSet {
    const start = this.pos;
    this.pos++;
    const negated = this.pattern[this.pos] === '^';
    if (negated) this.pos++;
    const members: CodeUnitSet[] = [];
    let first = true;
    for (;;) {
      if (this.pos >= this.pattern.length) {
        throw new RegexRefusal('[', start, 'a character class never closed');
      }
      if (this.pattern[this.pos] === ']' && !first) break;
      const itemStart = this.pos;
      const item = this.classItem(first);
      first = false;
      if (this.pattern[this.pos] === '-' && this.pattern[this.pos + 1] === '[') {
        throw new RegexRefusal(
          '-[',
          this.pos,
          'a class subtraction, which JavaScript does not have',
        );
      }
      const rangeFollows =
        this.pattern[this.pos] === '-' &&
        this.pattern[this.pos + 1] !== undefined &&
        this.pattern[this.pos + 1] !== ']';
      if (item.kind === 'set') {
        if (rangeFollows) {
          throw new RegexRefusal('-', this.pos, 'a range cannot start with a class such as \\d');
        }
        members.push(item.negated ? complementOf(item.members) : item.members);
      } else if (rangeFollows) {
        this.pos++;
        const high = this.classItem(false);
        if (high.kind === 'set') {
          throw new RegexRefusal('-', this.pos, 'a range cannot end with a class such as \\d');
        }
        if (high.code < item.code) {
          throw new RegexRefusal(
            this.pattern.slice(itemStart, this.pos),
            itemStart,
            'a range in reverse order',
          );
        }
        members.push(rangeOf(item.code, high.code));
      } else {
        members.push(rangeOf(item.code, item.code));
      }
    }
    this.pos++;
    return { kind: 'set', members: unionOf(members), negated };
  }

  private classItem(first: boolean): RegexChar | RegexSet {
    const start = this.pos;
    const ch = this.pattern[start];
    if (ch === '\\') {
      const escaped = this.escape(true);
      if (escaped.kind === 'assertion') throw new Error('unreachable: no assertion in a class');
      return escaped;
    }
    if (ch === '[' && this.pattern[start + 1] === ':') {
      throw new RegexRefusal(
        '[:',
        start,
        'a POSIX-style [:name:], which .NET and JavaScript both read oddly',
      );
    }
    if (ch === '-' && this.pattern[start + 1] === '[' && !first) {
      throw new RegexRefusal('-[', start, 'a class subtraction, which JavaScript does not have');
    }
    this.pos++;
    return { kind: 'char', code: this.pattern.charCodeAt(start) };
  }

  private escape(inClass: boolean): Escaped {
    const { escaped, end } = readDotNetEscape(this.pattern, this.pos, inClass);
    this.pos = end;
    return escaped;
  }

  private match(sticky: RegExp, at: number): string | undefined {
    sticky.lastIndex = at;
    return sticky.exec(this.pattern)?.[0];
  }
}
