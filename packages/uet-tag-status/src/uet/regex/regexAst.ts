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

/**
 * Items matched one after another.
 *
 * @example
 * ```ts
 * const ab: RegexSequence = [{ kind: 'char', code: 0x61 }, { kind: 'char', code: 0x62 }];
 * ```
 */
export type RegexSequence = readonly RegexNode[];

/**
 * One literal code unit, such as `a` or `\x2F`.
 *
 * @example
 * ```ts
 * const slash: RegexChar = { kind: 'char', code: 0x2f };
 * ```
 */
export interface RegexChar {
  readonly kind: 'char';
  readonly code: number;
}

/**
 * A set of code units: a class `[...]`, `.`, `\d`, `\w`, `\s`, `\p{...}` or a negation.
 *
 * @example
 * ```ts
 * const dot: RegexSet = { kind: 'set', members: [0x0a, 0x0a], negated: true }; // .
 * ```
 */
export interface RegexSet {
  readonly kind: 'set';
  /** The members listed; with `negated`, the set matches every code unit but these. */
  readonly members: CodeUnitSet;
  readonly negated: boolean;
}

/**
 * A zero-width test: `^`, `$`, `\b` or `\B`.
 *
 * @example
 * ```ts
 * const end: RegexAssertion = { kind: 'assertion', assertion: 'end' }; // $
 * ```
 */
export interface RegexAssertion {
  readonly kind: 'assertion';
  readonly assertion: 'start' | 'end' | 'boundary' | 'notBoundary';
}

/**
 * A group: capturing, named or not (all match the same), or a lookaround.
 *
 * @example
 * ```ts
 * const ahead: RegexGroup = { kind: 'group', look: 'ahead', body: [[{ kind: 'char', code: 0x2f }]] }; // (?=/)
 * ```
 */
export interface RegexGroup {
  readonly kind: 'group';
  readonly look?: 'ahead' | 'notAhead' | 'behind' | 'notBehind';
  readonly body: RegexAlternation;
}

/**
 * A quantified item: `x*`, `x+?`, `x{2,5}`.
 *
 * @example
 * ```ts
 * const digits: RegexRepeat = { kind: 'repeat', item: { kind: 'set', members: [0x30, 0x39], negated: false }, min: 1, max: Infinity, lazy: false };
 * ```
 */
export interface RegexRepeat {
  readonly kind: 'repeat';
  readonly item: RegexChar | RegexSet | RegexGroup;
  readonly min: number;
  /** `Infinity` when unbounded. */
  readonly max: number;
  readonly lazy: boolean;
}

/**
 * Any node of a sequence.
 *
 * @example
 * ```ts
 * const start: RegexNode = { kind: 'assertion', assertion: 'start' }; // ^
 * ```
 */
export type RegexNode = RegexChar | RegexSet | RegexAssertion | RegexGroup | RegexRepeat;
