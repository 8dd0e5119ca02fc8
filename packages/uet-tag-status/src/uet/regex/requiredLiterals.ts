import type { RegexAlternation, RegexSequence } from './regexAst.js';

/** Longest run of one repeated character taken into a literal (`a{1000}` gives 64 a's). */
const MAX_REPEATED = 64;

/**
 * Literals one of which every match of the pattern contains, lower-cased: a prefilter
 * (SPEC M2 performance). When the text, lower-cased, contains none of them, the pattern
 * cannot match, so it need not be run. `undefined` when nothing is required (`.*`,
 * `\d{5}`): then the pattern must always be run.
 *
 * Only ASCII characters are taken: under JavaScript's case-insensitive matching an
 * ASCII character matches only itself and its ASCII case partner, so finding the
 * lower-cased literal in the lower-cased text is a necessary condition. A sequence gives
 * its most selective literal (the longest), an alternation one literal per alternative,
 * and sets, assertions, lookarounds and optional items break a literal in two.
 *
 * @example
 * ```ts
 * requiredLiterals(parseDotNetRegex('^https?://(www\\.)?contoso\\.com/checkout')); // ['contoso.com/checkout']
 * requiredLiterals(parseDotNetRegex('(thanks|confirm)\\.html')); // ['thanks', 'confirm']
 * requiredLiterals(parseDotNetRegex('\\d{5}')); // undefined
 * ```
 */
export function requiredLiterals(tree: RegexAlternation): readonly string[] | undefined {
  return ofAlternation(tree);
}

type Requirement = readonly string[] | undefined;

function ofAlternation(tree: RegexAlternation): Requirement {
  const all = new Set<string>();
  for (const alternative of tree) {
    const required = ofSequence(alternative);
    if (required === undefined) return undefined;
    for (const literal of required) all.add(literal);
  }
  return [...all];
}

function ofSequence(nodes: RegexSequence): Requirement {
  let best: Requirement;
  let run = '';
  const close = () => {
    if (run !== '') best = better(best, [run]);
    run = '';
  };
  for (const item of nodes) {
    if (item.kind === 'char') {
      if (item.code < 0x80) run += lowerAscii(item.code);
      else close();
    } else if (item.kind === 'repeat' && item.item.kind === 'char' && item.item.code < 0x80) {
      const ch = lowerAscii(item.item.code);
      if (item.min === 0) {
        close();
        continue;
      }
      run += ch.repeat(Math.min(item.min, MAX_REPEATED));
      if (item.min !== item.max || item.min > MAX_REPEATED) {
        close();
        run = ch;
      }
    } else {
      close();
      const group = item.kind === 'repeat' && item.min > 0 ? item.item : item;
      if (group.kind === 'group' && group.look === undefined) {
        best = better(best, ofAlternation(group.body));
      }
    }
  }
  close();
  return best;
}

function better(a: Requirement, b: Requirement): Requirement {
  if (a === undefined) return b;
  if (b === undefined) return a;
  const shortest = (r: readonly string[]) => Math.min(...r.map((literal) => literal.length));
  const [sa, sb] = [shortest(a), shortest(b)];
  if (sa !== sb) return sa > sb ? a : b;
  return b.length < a.length ? b : a;
}

function lowerAscii(code: number): string {
  return String.fromCharCode(code >= 0x41 && code <= 0x5a ? code + 0x20 : code);
}
