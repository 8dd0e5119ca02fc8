import { ExpressionIndex, type IndexedExpression } from './ExpressionIndex.js';
import type { EventConditions, ValueCondition } from './goalDefinition.js';
import type { UetHit } from './UetHit.js';
import { type IndexedValueCondition, ValueConditionIndex } from './ValueConditionIndex.js';

/**
 * One `Event` goal's conditions, numbered.
 *
 * @example
 * ```ts
 * const entry: IndexedEventGoal = { goal: 3, conditions: { action: { operator: 'Equals', expression: 'signup' } } };
 * ```
 */
export interface IndexedEventGoal {
  readonly goal: number;
  readonly conditions: EventConditions;
}

const FIELDS = [
  ['action', 'eventAction'],
  ['category', 'eventCategory'],
  ['label', 'eventLabel'],
] as const;

/**
 * Tests many `Event` goals on a custom hit (SPEC M4) without looping over the goals: one
 * {@link ExpressionIndex} per field (action, category, label) tells which goals' condition
 * on that field holds; a goal matches once all its field conditions hold and its value
 * condition, if any, holds too. Goals with a value condition only are found through a
 * {@link ValueConditionIndex}. A hit lacking a field a condition tests does not match.
 *
 * @example
 * ```ts
 * const index = new EventGoalIndex([
 *   { goal: 0, conditions: { action: { operator: 'Equals', expression: 'purchase' }, value: { operator: 'GreaterThan', value: 0 } } },
 * ]);
 * const out: number[] = [];
 * index.collect({ tagId: '5', eventType: 'custom', eventAction: 'Purchase', eventValue: 30 }, out); // out: [0]
 * ```
 */
export class EventGoalIndex {
  private readonly fields: {
    readonly key: (typeof FIELDS)[number][1];
    readonly index: ExpressionIndex;
  }[] = [];
  private readonly needed: Uint8Array;
  private readonly valueConditions: (ValueCondition | undefined)[];
  private readonly valueOnly: ValueConditionIndex | undefined;
  private readonly counts: Uint8Array;
  private readonly stamps: Uint32Array;
  private epoch = 0;
  private readonly scratch: number[] = [];

  constructor(goals: readonly IndexedEventGoal[]) {
    const size = goals.reduce((max, { goal }) => Math.max(max, goal + 1), 0);
    this.needed = new Uint8Array(size);
    this.valueConditions = new Array(size).fill(undefined);
    this.counts = new Uint8Array(size);
    this.stamps = new Uint32Array(size);
    const valueOnly: IndexedValueCondition[] = [];
    for (const [condition, key] of FIELDS) {
      const entries: IndexedExpression[] = [];
      for (const { goal, conditions } of goals) {
        const expression = conditions[condition];
        if (expression === undefined) continue;
        entries.push({ goal, expression });
        this.needed[goal] = (this.needed[goal] as number) + 1;
      }
      if (entries.length > 0) this.fields.push({ key, index: new ExpressionIndex(entries) });
    }
    for (const { goal, conditions } of goals) {
      this.valueConditions[goal] = conditions.value;
      if (this.needed[goal] === 0 && conditions.value !== undefined) {
        valueOnly.push({ goal, condition: conditions.value });
      }
    }
    this.valueOnly = valueOnly.length > 0 ? new ValueConditionIndex(valueOnly) : undefined;
  }

  /** Pushes onto `out` every goal whose conditions `hit` meets, each once, in no particular order. */
  collect(hit: UetHit, out: number[]): void {
    if (++this.epoch === 0xffffffff) {
      this.stamps.fill(0);
      this.epoch = 1;
    }
    const { scratch, stamps, counts, needed, epoch } = this;
    const eventValue = hit.eventValue;
    for (const { key, index } of this.fields) {
      const value = hit[key];
      if (value === undefined) continue;
      scratch.length = 0;
      index.collect(value, scratch);
      for (const goal of scratch) {
        if (stamps[goal] !== epoch) {
          stamps[goal] = epoch;
          counts[goal] = 0;
        }
        counts[goal] = (counts[goal] as number) + 1;
        if (counts[goal] !== needed[goal]) continue;
        const condition = this.valueConditions[goal];
        if (condition === undefined || (eventValue !== undefined && holds(condition, eventValue))) {
          out.push(goal);
        }
      }
    }
    if (this.valueOnly !== undefined && eventValue !== undefined)
      this.valueOnly.collect(eventValue, out);
  }
}

function holds({ operator, value }: ValueCondition, eventValue: number): boolean {
  return operator === 'Equals'
    ? eventValue === value
    : operator === 'LessThan'
      ? eventValue < value
      : eventValue > value;
}
