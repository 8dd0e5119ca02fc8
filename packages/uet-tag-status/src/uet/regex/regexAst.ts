import type { CodeUnitSet } from './codeUnitSets.js';

/**
 * The syntax tree of a .NET regular expression, after the refusals of M2: only
 * constructs JavaScript can express with the same meaning are left. Characters are
 * UTF-16 code units, as in .NET.
 *
 * @example
 * ```ts
 * const tree: RegexAlternation = parseDotNetRegex('order-\\d+');
 * ```
 */
export type RegexAlternation = readonly RegexSequence[];

/** Items matched one after another. */
export type RegexSequence = readonly RegexNode[];

/** One literal code unit, such as `a` or `\x2F`. */
export interface RegexChar {
  readonly kind: 'char';
  readonly code: number;
}

/** A set of code units: a class `[...]`, `.`, `\d`, `\w`, `\s`, `\p{...}` or a negation. */
export interface RegexSet {
  readonly kind: 'set';
  /** The members listed; with `negated`, the set matches every code unit but these. */
  readonly members: CodeUnitSet;
  readonly negated: boolean;
}

/** A zero-width test: `^`, `$`, `\b` or `\B`. */
export interface RegexAssertion {
  readonly kind: 'assertion';
  readonly assertion: 'start' | 'end' | 'boundary' | 'notBoundary';
}

/** A group: capturing, named or not (all match the same), or a lookaround. */
export interface RegexGroup {
  readonly kind: 'group';
  readonly look?: 'ahead' | 'notAhead' | 'behind' | 'notBehind';
  readonly body: RegexAlternation;
}

/** A quantified item: `x*`, `x+?`, `x{2,5}`. */
export interface RegexRepeat {
  readonly kind: 'repeat';
  readonly item: RegexChar | RegexSet | RegexGroup;
  readonly min: number;
  /** `Infinity` when unbounded. */
  readonly max: number;
  readonly lazy: boolean;
}

/** Any node of a sequence. */
export type RegexNode = RegexChar | RegexSet | RegexAssertion | RegexGroup | RegexRepeat;
