import { describe, expect, it } from 'vitest';
import { EventGoalIndex } from '../packages/uet-tag-status/src/uet/EventGoalIndex.js';
import { ExpressionIndex } from '../packages/uet-tag-status/src/uet/ExpressionIndex.js';
import type {
  EventConditions,
  ExpressionOperator,
  ValueCondition,
} from '../packages/uet-tag-status/src/uet/goalDefinition.js';
import { reduceUrl } from '../packages/uet-tag-status/src/uet/reduceUrl.js';
import type { UetHit } from '../packages/uet-tag-status/src/uet/UetHit.js';
import { ValueConditionIndex } from '../packages/uet-tag-status/src/uet/ValueConditionIndex.js';

/** Whether one expression holds for `value`, through an index of that expression alone. */
function holds(operator: ExpressionOperator, expression: string, value: string): boolean {
  const out: number[] = [];
  new ExpressionIndex([{ goal: 0, expression: { operator, expression } }]).collect(value, out);
  return out.length === 1;
}

describe('goal expressions (M1, M2)', () => {
  const cases: [ExpressionOperator, string, string, boolean][] = [
    ['Equals', 'contoso.com/thanks', 'https://www.contoso.com/thanks', true],
    ['Equals', 'https://www.contoso.com/thanks', 'http://contoso.com/thanks', true],
    ['Equals', 'www.contoso.com/thanks', 'contoso.com/thanks', true],
    ['Equals', 'CONTOSO.com/Thanks', 'https://contoso.COM/thanks', true],
    ['Equals', 'contoso.com/thanks', 'https://www.contoso.com/thanks/', false],
    ['Equals', 'contoso.com/thanks', 'https://www.contoso.com/thanks?x=1', false],
    ['Equals', 'contoso.com', 'ftp://contoso.com', false],
    ['Equals', 'contoso.com', 'https://www.www.contoso.com', false],
    ['BeginsWith', 'contoso', 'https://www.contoso.com/a', true],
    ['BeginsWith', 'https://www.contoso.com', 'contoso.com/checkout', true],
    ['BeginsWith', 'HTTP://Contoso.com/CHECK', 'https://www.contoso.com/checkout', true],
    ['BeginsWith', 'contoso.com/checkout', 'https://www.contoso.com/', false],
    ['BeginsWith', 'www.', 'https://anything.example/', true],
    ['Contains', '/thanks', 'https://contoso.com/THANKS.html', true],
    ['Contains', 'www.contoso', 'https://www.contoso.com/', true],
    ['Contains', 'https://contoso', 'https://www.contoso.com/', false],
    ['Contains', 'ÉTÉ', 'https://contoso.com/été', true],
    ['RegularExpression', 'thanks\\.html$', 'https://contoso.com/Thanks.HTML', true],
    ['RegularExpression', '^contoso', 'https://contoso.com/', false],
    ['RegularExpression', '^https://www\\.', 'https://www.contoso.com/', true],
    ['RegularExpression', '\\d{5}', 'https://contoso.com/?zip=98052', true],
  ];
  for (const [operator, expression, value, expected] of cases) {
    it(`M1 M2 ${operator} ${JSON.stringify(expression)} ${expected ? 'holds' : 'does not hold'} for ${value}`, () => {
      expect(holds(operator, expression, value)).toBe(expected);
    });
  }

  it('M2 Equals and BeginsWith ignore the scheme and www. on both sides; Contains and RegularExpression see the URL as reported', () => {
    expect([
      reduceUrl('https://www.contoso.com'),
      reduceUrl('http://contoso.com'),
      reduceUrl('www.contoso.com'),
      reduceUrl('wwwx.com'),
    ]).toEqual(['contoso.com', 'contoso.com', 'contoso.com', 'wwwx.com']);
  });

  it('M2 an index of many expressions reports each goal that holds once, whichever way it was found', () => {
    const index = new ExpressionIndex([
      { goal: 0, expression: { operator: 'Equals', expression: 'contoso.com/thanks' } },
      { goal: 1, expression: { operator: 'BeginsWith', expression: 'contoso.com/' } },
      { goal: 2, expression: { operator: 'BeginsWith', expression: 'contoso.com/thanks' } },
      { goal: 3, expression: { operator: 'Contains', expression: 'thanks' } },
      { goal: 4, expression: { operator: 'Contains', expression: 'thanks' } },
      { goal: 5, expression: { operator: 'RegularExpression', expression: '(thanks|than)' } },
      { goal: 6, expression: { operator: 'RegularExpression', expression: '\\w+' } },
      { goal: 7, expression: { operator: 'Contains', expression: 'order' } },
      { goal: 8, expression: { operator: 'RegularExpression', expression: 'order' } },
    ]);
    const out: number[] = [];
    index.collect('https://www.contoso.com/thanks', out);
    expect(out.sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    out.length = 0;
    index.collect('https://fabrikam.com/', out);
    expect(out).toEqual([6]);
  });
});

describe('event goal conditions (M4)', () => {
  const hit = (fields: Partial<UetHit>): UetHit => ({ tagId: '5', eventType: 'custom', ...fields });
  const goals: EventConditions[] = [
    { action: { operator: 'Equals', expression: 'purchase' } },
    {
      action: { operator: 'Equals', expression: 'purchase' },
      category: { operator: 'BeginsWith', expression: 'check' },
    },
    {
      label: { operator: 'Contains', expression: 'sale' },
      value: { operator: 'GreaterThan', value: 100 },
    },
    { value: { operator: 'Equals', value: 5 } },
    { value: { operator: 'LessThan', value: 5 } },
    {
      category: { operator: 'RegularExpression', expression: '^news' },
      value: { operator: 'LessThan', value: 0 },
    },
  ];
  const index = new EventGoalIndex(goals.map((conditions, goal) => ({ goal, conditions })));
  const matched = (fields: Partial<UetHit>) => {
    const out: number[] = [];
    index.collect(hit(fields), out);
    return out.sort();
  };

  it('M4 every condition a goal gives must hold: action, category, label, value (AND)', () => {
    expect(matched({ eventAction: 'Purchase', eventCategory: 'Checkout' })).toEqual([0, 1]);
    expect(matched({ eventAction: 'purchase', eventCategory: 'cart' })).toEqual([0]);
    expect(matched({ eventLabel: 'Spring SALE', eventValue: 150 })).toEqual([2]);
    expect(matched({ eventLabel: 'spring sale', eventValue: 100 })).toEqual([]);
  });

  it('M4 a hit lacking a field a condition tests does not match', () => {
    expect(matched({ eventCategory: 'checkout' })).toEqual([]);
    expect(matched({ eventLabel: 'sale' })).toEqual([]);
    expect(matched({ eventCategory: 'newsletter' })).toEqual([]);
    expect(matched({ eventCategory: 'newsletter', eventValue: -1 })).toEqual([4, 5]);
  });

  it('M4 value operators: Equals, LessThan (ev < value), GreaterThan (ev > value), no greater-or-equal', () => {
    expect([
      matched({ eventValue: 5 }),
      matched({ eventValue: 4.99 }),
      matched({ eventValue: 5.01 }),
    ]).toEqual([[3], [4], []]);
  });

  it('M4 value conditions alone are found by binary search, whatever their number', () => {
    const conditions: ValueCondition[] = [
      { operator: 'LessThan', value: 10 },
      { operator: 'LessThan', value: 20 },
      { operator: 'GreaterThan', value: 10 },
      { operator: 'GreaterThan', value: 20 },
      { operator: 'Equals', value: 10 },
      { operator: 'Equals', value: 10 },
    ];
    const values = new ValueConditionIndex(
      conditions.map((condition, goal) => ({ goal, condition })),
    );
    const at = (eventValue: number) => {
      const out: number[] = [];
      values.collect(eventValue, out);
      return out.sort();
    };
    expect([at(5), at(10), at(15), at(20), at(25)]).toEqual([
      [0, 1],
      [1, 4, 5],
      [1, 2],
      [2],
      [2, 3],
    ]);
  });
});
