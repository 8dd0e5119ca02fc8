/**
 * Goal ids that trip up code keeping goals in plain objects: integer-like ids (an object
 * lists them first, in numeric order, whatever the order they were added in) and names of
 * `Object.prototype` members. Property tests draw their goal ids from here.
 */
export const AWKWARD_GOAL_IDS = [
  '10',
  '9',
  'b',
  'constructor',
  'toString',
  '__proto__',
  '0',
  'hasOwnProperty',
] as const;

/**
 * The `n`-th awkward goal id, unique for every `n` (the list again with a suffix once it
 * is used up).
 *
 * @example
 * ```ts
 * awkwardGoalId(0); // '10'
 * awkwardGoalId(8); // '10-1'
 * ```
 */
export function awkwardGoalId(n: number): string {
  const base = AWKWARD_GOAL_IDS[n % AWKWARD_GOAL_IDS.length] as string;
  const round = Math.floor(n / AWKWARD_GOAL_IDS.length);
  return round === 0 ? base : `${base}-${round}`;
}
