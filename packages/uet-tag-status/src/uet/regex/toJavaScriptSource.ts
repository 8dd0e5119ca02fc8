import { type CodeUnitSet, dotNetBoundaryWordCharacters } from './codeUnitSets.js';
import type { RegexAlternation, RegexNode, RegexSequence } from './regexAst.js';

/**
 * Writes a parsed .NET pattern as the source of a JavaScript regular expression that
 * means the same, for the flags `i` only (no `u`: JavaScript then matches UTF-16 code
 * units, as .NET does). Every character other than an ASCII letter or digit is written
 * as `\uHHHH`, so nothing in the output depends on JavaScript's escaping rules; `.`
 * becomes `[^\n]`, `$` becomes `(?=\n?$)`, the Unicode classes become explicit ranges,
 * `\b` and `\B` become lookarounds on .NET's word characters, and every group becomes
 * non-capturing.
 *
 * @example
 * ```ts
 * new RegExp(toJavaScriptSource(parseDotNetRegex('thanks\\.html$')), 'i');
 * // /thanks\u002Ehtml(?=\u000A?$)/i
 * ```
 */
export function toJavaScriptSource(tree: RegexAlternation): string {
  return alternation(tree);
}

function alternation(tree: RegexAlternation): string {
  return tree.map(sequence).join('|');
}

function sequence(nodes: RegexSequence): string {
  return nodes.map(node).join('');
}

const LOOKS = { ahead: '(?=', notAhead: '(?!', behind: '(?<=', notBehind: '(?<!' } as const;

function node(item: RegexNode): string {
  switch (item.kind) {
    case 'char':
      return codeUnit(item.code);
    case 'set':
      return set(item.members, item.negated);
    case 'assertion':
      return assertion(item.assertion);
    case 'group':
      return `${item.look === undefined ? '(?:' : LOOKS[item.look]}${alternation(item.body)})`;
    case 'repeat': {
      const { min, max } = item;
      const count =
        min === 0 && max === Number.POSITIVE_INFINITY
          ? '*'
          : min === 1 && max === Number.POSITIVE_INFINITY
            ? '+'
            : min === 0 && max === 1
              ? '?'
              : max === Number.POSITIVE_INFINITY
                ? `{${min},}`
                : min === max
                  ? `{${min}}`
                  : `{${min},${max}}`;
      return `${node(item.item)}${count}${item.lazy ? '?' : ''}`;
    }
  }
}

let boundaryClass: string | undefined;

function assertion(kind: 'start' | 'end' | 'boundary' | 'notBoundary'): string {
  if (kind === 'start') return '^';
  if (kind === 'end') return '(?=\\u000A?$)';
  boundaryClass ??= set(dotNetBoundaryWordCharacters(), false);
  const w = boundaryClass;
  return kind === 'boundary'
    ? `(?:(?<=${w})(?!${w})|(?<!${w})(?=${w}))`
    : `(?:(?<=${w})(?=${w})|(?<!${w})(?!${w}))`;
}

function set(members: CodeUnitSet, negated: boolean): string {
  let body = '';
  for (let i = 0; i < members.length; i += 2) {
    const low = members[i] as number;
    const high = members[i + 1] as number;
    body += low === high ? codeUnit(low) : `${codeUnit(low)}-${codeUnit(high)}`;
  }
  return `[${negated ? '^' : ''}${body}]`;
}

function codeUnit(code: number): string {
  const isAlphanumeric =
    (code >= 0x30 && code <= 0x39) ||
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x61 && code <= 0x7a);
  return isAlphanumeric
    ? String.fromCharCode(code)
    : `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
}
