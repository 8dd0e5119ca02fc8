import type { ValueCondition } from './goalDefinition.js';
import { firstAbove, firstAtOrAbove } from './sortedSearch.js';

/**
 * One goal's condition on the event value.
 *
 * @example
 * ```ts
 * const entry: IndexedValueCondition = { goal: 2, condition: { operator: 'LessThan', value: 10 } };
 * ```
 */
export interface IndexedValueCondition {
  readonly goal: number;
  readonly condition: ValueCondition;
}

interface SortedConditions {
  readonly values: Float64Array;
  readonly goals: Int32Array;
}

/**
 * Tests many `Event` goals' value conditions on a hit's `ev` at a cost of a look-up and
 * two binary searches, plus one step per goal that holds (SPEC M4 and the performance
 * requirement): `Equals` by a map, `LessThan` (`ev < value`) and `GreaterThan`
 * (`ev > value`) by the goals sorted on their value.
 *
 * @example
 * ```ts
 * const index = new ValueConditionIndex([{ goal: 0, condition: { operator: 'GreaterThan', value: 100 } }]);
 * const out: number[] = [];
 * index.collect(250, out); // out: [0]
 * ```
 */
export class ValueConditionIndex {
  private readonly equals = new Map<number, number[]>();
  private readonly lessThan: SortedConditions;
  private readonly greaterThan: SortedConditions;

  constructor(entries: readonly IndexedValueCondition[]) {
    const sorted = (operator: ValueCondition['operator']): SortedConditions => {
      const chosen = entries
        .filter(({ condition }) => condition.operator === operator)
        .sort((a, b) => a.condition.value - b.condition.value);
      return {
        values: Float64Array.from(chosen, ({ condition }) => condition.value),
        goals: Int32Array.from(chosen, ({ goal }) => goal),
      };
    };
    for (const { goal, condition } of entries) {
      if (condition.operator !== 'Equals') continue;
      const goals = this.equals.get(condition.value);
      if (goals === undefined) this.equals.set(condition.value, [goal]);
      else goals.push(goal);
    }
    this.lessThan = sorted('LessThan');
    this.greaterThan = sorted('GreaterThan');
  }

  /** Pushes onto `out` the goal of every condition `eventValue` meets. */
  collect(eventValue: number, out: number[]): void {
    const equal = this.equals.get(eventValue);
    if (equal !== undefined) for (const goal of equal) out.push(goal);
    const below = this.lessThan;
    for (let i = firstAbove(below.values, eventValue); i < below.values.length; i++) {
      out.push(below.goals[i] as number);
    }
    const above = this.greaterThan;
    const end = firstAtOrAbove(above.values, eventValue);
    for (let i = 0; i < end; i++) out.push(above.goals[i] as number);
  }
}
