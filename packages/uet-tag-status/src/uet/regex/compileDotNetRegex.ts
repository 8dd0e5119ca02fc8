import { parseDotNetRegex } from './parseDotNetRegex.js';
import { RegexRefusal } from './RegexRefusal.js';
import { requiredLiterals } from './requiredLiterals.js';
import { toJavaScriptSource } from './toJavaScriptSource.js';

/**
 * A goal's .NET regular expression, ready to run in JavaScript (SPEC M2).
 *
 * @example
 * ```ts
 * const compiled: CompiledRegex = compileDotNetRegex('order-\\d+');
 * compiled.literals; // ['order-']
 * ```
 */
export interface CompiledRegex {
  /** The pattern as the goal wrote it. */
  readonly pattern: string;
  /** The equivalent JavaScript expression, case-insensitive (M1), not anchored. */
  readonly regExp: RegExp;
  /** Lower-cased literals one of which every match contains; `undefined` when none is known. */
  readonly literals: readonly string[] | undefined;
}

/**
 * Translates a .NET regular expression into a JavaScript `RegExp` with the same meaning,
 * matched case-insensitively (M1) and unanchored (M2), or refuses it.
 *
 * @example
 * ```ts
 * const { regExp } = compileDotNetRegex('order-\\d+');
 * regExp.test('https://contoso.com/order-٣٤'); // true: .NET's \d is every decimal digit
 * ```
 * @throws {@link RegexRefusal} naming the construct JavaScript would not read as .NET does.
 */
export function compileDotNetRegex(pattern: string): CompiledRegex {
  const tree = parseDotNetRegex(pattern);
  const source = toJavaScriptSource(tree);
  let regExp: RegExp;
  try {
    regExp = new RegExp(source, 'i');
  } catch (error) {
    throw new RegexRefusal(pattern, 0, `JavaScript cannot compile it: ${(error as Error).message}`);
  }
  return { pattern, regExp, literals: requiredLiterals(tree) };
}
