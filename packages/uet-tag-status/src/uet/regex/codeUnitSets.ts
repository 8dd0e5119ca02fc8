/**
 * Sets of UTF-16 code units, the unit .NET regular expressions match on: sorted,
 * disjoint, non-adjacent inclusive ranges, flattened as `[low0, high0, low1, high1, …]`.
 *
 * @example
 * ```ts
 * const hex: CodeUnitSet = unionOf([rangeOf(0x30, 0x39), rangeOf(0x61, 0x66)]);
 * ```
 */
export type CodeUnitSet = readonly number[];

/** The highest UTF-16 code unit. */
export const MAX_CODE_UNIT = 0xffff;

/**
 * The set of the code units from `low` to `high`, both included.
 *
 * @example
 * ```ts
 * rangeOf(0x61, 0x7a); // a-z
 * ```
 */
export function rangeOf(low: number, high: number): CodeUnitSet {
  return [low, high];
}

/**
 * The union of sets.
 *
 * @example
 * ```ts
 * unionOf([rangeOf(0x30, 0x39), rangeOf(0x3a, 0x3a)]); // [0x30, 0x3a]
 * ```
 */
export function unionOf(sets: readonly CodeUnitSet[]): CodeUnitSet {
  const ranges: [number, number][] = [];
  for (const set of sets) {
    for (let i = 0; i < set.length; i += 2) ranges.push([set[i] as number, set[i + 1] as number]);
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: number[] = [];
  for (const [low, high] of ranges) {
    const last = merged.length - 1;
    if (last > 0 && low <= (merged[last] as number) + 1) {
      merged[last] = Math.max(merged[last] as number, high);
    } else {
      merged.push(low, high);
    }
  }
  return merged;
}

/**
 * Every code unit not in `set`.
 *
 * @example
 * ```ts
 * complementOf(rangeOf(0x0a, 0x0a)); // what `.` matches in .NET
 * ```
 */
export function complementOf(set: CodeUnitSet): CodeUnitSet {
  const result: number[] = [];
  let next = 0;
  for (let i = 0; i < set.length; i += 2) {
    const low = set[i] as number;
    if (low > next) result.push(next, low - 1);
    next = (set[i + 1] as number) + 1;
  }
  if (next <= MAX_CODE_UNIT) result.push(next, MAX_CODE_UNIT);
  return result;
}

/**
 * True when `code` is in `set`.
 *
 * @example
 * ```ts
 * hasCodeUnit(rangeOf(0x30, 0x39), 0x35); // true
 * ```
 */
export function hasCodeUnit(set: CodeUnitSet, code: number): boolean {
  for (let i = 0; i < set.length; i += 2) {
    if (code < (set[i] as number)) return false;
    if (code <= (set[i + 1] as number)) return true;
  }
  return false;
}

/**
 * The Unicode general categories .NET accepts in `\p{…}`, one letter for a group.
 * `Lu`, `Ll` and `Lt` are among them but refused by the parser (see M2 there).
 */
export const GENERAL_CATEGORIES: ReadonlySet<string> = new Set(
  'L Lu Ll Lt Lm Lo M Mn Mc Me N Nd Nl No P Pc Pd Ps Pe Pi Pf Po S Sm Sc Sk So Z Zs Zl Zp C Cc Cf Cs Co Cn'.split(
    ' ',
  ),
);

const categoryCache = new Map<string, CodeUnitSet>();

/**
 * The code units of a Unicode general category, taken one code unit at a time as .NET
 * does (a surrogate is `Cs`; no supplementary character belongs to a letter category),
 * from the Unicode tables of the running JavaScript engine.
 *
 * @example
 * ```ts
 * categorySet('Nd'); // 0-9, ٠-٩, …
 * ```
 */
export function categorySet(category: string): CodeUnitSet {
  const cached = categoryCache.get(category);
  if (cached !== undefined) return cached;
  if (!GENERAL_CATEGORIES.has(category))
    throw new RangeError(`not a general category: ${category}`);
  const member = new RegExp(`^\\p{${category}}$`, 'u');
  const set: number[] = [];
  let start = -1;
  for (let code = 0; code <= MAX_CODE_UNIT + 1; code++) {
    const inside = code <= MAX_CODE_UNIT && member.test(String.fromCharCode(code));
    if (inside && start < 0) start = code;
    if (!inside && start >= 0) {
      set.push(start, code - 1);
      start = -1;
    }
  }
  categoryCache.set(category, set);
  return set;
}

/**
 * .NET's `\d`: the decimal digits of every script (`Nd`), not only `0-9`.
 *
 * @example
 * ```ts
 * hasCodeUnit(dotNetDigits(), 0x0663); // true: ARABIC-INDIC DIGIT THREE
 * ```
 */
export function dotNetDigits(): CodeUnitSet {
  return categorySet('Nd');
}

/**
 * .NET's `\w`: letters (`L`), non-spacing marks (`Mn`), decimal digits (`Nd`) and
 * connector punctuation (`Pc`), as `RegexCharClass.IsWordChar` defines it.
 *
 * @example
 * ```ts
 * hasCodeUnit(dotNetWordCharacters(), 0x00e9); // true: é
 * ```
 */
export function dotNetWordCharacters(): CodeUnitSet {
  return unionOf([categorySet('L'), categorySet('Mn'), categorySet('Nd'), categorySet('Pc')]);
}

/**
 * The word characters of .NET's `\b` and `\B`: those of `\w` plus ZERO WIDTH NON-JOINER
 * and ZERO WIDTH JOINER (`RegexCharClass.IsBoundaryWordChar`).
 *
 * @example
 * ```ts
 * hasCodeUnit(dotNetBoundaryWordCharacters(), 0x200d); // true
 * ```
 */
export function dotNetBoundaryWordCharacters(): CodeUnitSet {
  return unionOf([dotNetWordCharacters(), rangeOf(0x200c, 0x200d)]);
}

/**
 * .NET's `\s`, `char.IsWhiteSpace`: TAB to CR, NEXT LINE (U+0085) and the separators
 * (`Z`). JavaScript's `\s` differs: it has U+FEFF and lacks U+0085.
 *
 * @example
 * ```ts
 * hasCodeUnit(dotNetWhiteSpace(), 0x85); // true
 * ```
 */
export function dotNetWhiteSpace(): CodeUnitSet {
  return unionOf([rangeOf(0x09, 0x0d), rangeOf(0x85, 0x85), categorySet('Z')]);
}
