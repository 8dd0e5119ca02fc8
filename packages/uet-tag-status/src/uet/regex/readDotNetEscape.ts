import {
  categorySet,
  dotNetBoundaryWordCharacters,
  dotNetDigits,
  dotNetWhiteSpace,
  dotNetWordCharacters,
  GENERAL_CATEGORIES,
  hasCodeUnit,
} from './codeUnitSets.js';
import { RegexRefusal } from './RegexRefusal.js';
import type { RegexAssertion, RegexChar, RegexSet } from './regexAst.js';

/**
 * What an escape stands for: one code unit, a set, or (outside a class) an assertion.
 *
 * @example
 * ```ts
 * const tab: Escaped = { kind: 'char', code: 0x09 };
 * ```
 */
export type Escaped = RegexChar | RegexSet | RegexAssertion;

/** Escapes of one character that mean the same in .NET and in JavaScript (after translation). */
const CHARACTER_ESCAPES: Readonly<Record<string, number>> = {
  t: 0x09,
  n: 0x0a,
  v: 0x0b,
  f: 0x0c,
  r: 0x0d,
  e: 0x1b,
  a: 0x07,
};

/** The anchors JavaScript reads as plain letters, with what to write instead. */
const REFUSED_ANCHORS: Readonly<Record<string, string>> = {
  A: 'JavaScript reads \\A as the letter A; write ^ for the start of the text',
  Z: 'JavaScript reads \\Z as the letter Z; write $ for the end of the text',
  z: 'JavaScript reads \\z as the letter z; write $ for the end of the text',
  G: 'JavaScript reads \\G as the letter G, and "where the previous match ended" means nothing in a single search',
};

const BACKREFERENCE =
  'a backreference; JavaScript matches a group that took no part as empty where .NET fails';

/**
 * Reads the .NET escape that starts with the backslash at `start` (SPEC M2): `\d`, `\w`,
 * `\s` and their negations, `\b` (a backspace in a class, a word boundary outside), `\B`,
 * `\p{…}`, `\xHH`, `\uHHHH`, `\cX`, `\0`, the one-letter escapes and any escaped
 * non-word character; refuses the rest (backreferences, octal escapes, `\A`, `\Z`, `\z`,
 * `\G`, `\k`, block names, cased-letter categories, `\x{…}`, unknown escapes).
 *
 * @returns what the escape stands for and the index just after it.
 * @example
 * ```ts
 * readDotNetEscape('a\\d', 1, false); // { escaped: { kind: 'set', … }, end: 3 }
 * ```
 * @throws {@link RegexRefusal}
 */
export function readDotNetEscape(
  pattern: string,
  start: number,
  inClass: boolean,
): { escaped: Escaped; end: number } {
  const ch = pattern[start + 1];
  if (ch === undefined)
    throw new RegexRefusal('\\', start, 'a pattern cannot end with a lone backslash');
  const end = start + 2;
  const written = `\\${ch}`;
  const set = (members: readonly number[], negated: boolean) => ({
    escaped: { kind: 'set', members, negated } as const,
    end,
  });
  switch (ch) {
    case 'd':
    case 'D':
      return set(dotNetDigits(), ch === 'D');
    case 'w':
    case 'W':
      return set(dotNetWordCharacters(), ch === 'W');
    case 's':
    case 'S':
      return set(dotNetWhiteSpace(), ch === 'S');
    case 'b':
      return {
        escaped: inClass
          ? { kind: 'char', code: 0x08 }
          : { kind: 'assertion', assertion: 'boundary' },
        end,
      };
    case 'B':
      if (inClass) break;
      return { escaped: { kind: 'assertion', assertion: 'notBoundary' }, end };
    case 'p':
    case 'P':
      return category(pattern, start, ch === 'P');
    case 'x':
      return hexadecimal(pattern, start, 2);
    case 'u':
      return hexadecimal(pattern, start, 4);
    case 'c': {
      const letter = pattern.charCodeAt(start + 2) | 0x20;
      if (letter < 0x61 || letter > 0x7a) {
        throw new RegexRefusal(
          pattern.slice(start, start + 3),
          start,
          'a \\c not followed by a letter',
        );
      }
      return { escaped: { kind: 'char', code: letter - 0x60 }, end: start + 3 };
    }
    case 'k':
      throw new RegexRefusal(written, start, `a named ${BACKREFERENCE.slice(2)}`);
  }
  if (ch >= '0' && ch <= '9') {
    if (ch === '0' && !/[0-9]/.test(pattern[end] ?? ''))
      return { escaped: { kind: 'char', code: 0 }, end };
    throw new RegexRefusal(
      written,
      start,
      inClass || ch === '0'
        ? 'an octal escape, which the engines read differently; write \\xHH'
        : BACKREFERENCE,
    );
  }
  const simple = CHARACTER_ESCAPES[ch];
  if (simple !== undefined) return { escaped: { kind: 'char', code: simple }, end };
  const anchor = REFUSED_ANCHORS[ch];
  if (anchor !== undefined) throw new RegexRefusal(written, start, anchor);
  if (hasCodeUnit(dotNetBoundaryWordCharacters(), ch.charCodeAt(0))) {
    throw new RegexRefusal(written, start, 'an escape .NET does not know');
  }
  return { escaped: { kind: 'char', code: ch.charCodeAt(0) }, end };
}

function category(
  pattern: string,
  start: number,
  negated: boolean,
): { escaped: RegexSet; end: number } {
  const close = pattern.indexOf('}', start);
  if (pattern[start + 2] !== '{' || close < 0) {
    throw new RegexRefusal(pattern.slice(start, start + 3), start, '\\p and \\P need a {name}');
  }
  const name = pattern.slice(start + 3, close);
  const written = pattern.slice(start, close + 1);
  if (name.startsWith('Is')) {
    throw new RegexRefusal(written, start, 'a Unicode block name, which JavaScript does not have');
  }
  if (name === 'Lu' || name === 'Ll' || name === 'Lt') {
    throw new RegexRefusal(
      written,
      start,
      'a category of cased letters, which .NET and JavaScript treat differently under the case-insensitive matching of goals (M1); write \\p{L}',
    );
  }
  if (!GENERAL_CATEGORIES.has(name)) {
    throw new RegexRefusal(written, start, 'an unknown Unicode general category');
  }
  return { escaped: { kind: 'set', members: categorySet(name), negated }, end: close + 1 };
}

function hexadecimal(
  pattern: string,
  start: number,
  digits: number,
): { escaped: RegexChar; end: number } {
  const hex = pattern.slice(start + 2, start + 2 + digits);
  if (hex.length === digits && /^[0-9A-Fa-f]+$/.test(hex)) {
    return { escaped: { kind: 'char', code: Number.parseInt(hex, 16) }, end: start + 2 + digits };
  }
  if (pattern[start + 2] === '{') {
    const close = pattern.indexOf('}', start);
    throw new RegexRefusal(
      pattern.slice(start, close < 0 ? pattern.length : close + 1),
      start,
      'a braced code point, which .NET does not have; write \\uHHHH',
    );
  }
  throw new RegexRefusal(
    pattern.slice(start, start + 2),
    start,
    `an escape that needs exactly ${digits} hexadecimal digits`,
  );
}
