import { describe, expect, it } from 'vitest';
import { parseInputRecord } from '../packages/uet-tag/src/records/inputRecord.js';

/* The input record vocabulary for hits and for goals in the API's shape (SPEC U1, U3, A1, M2). */

const T = '2024-03-01T09:00:00Z';
const AT = Date.parse(T);
const apiGoal = {
  Id: 46000001,
  Name: 'Thank-you page',
  Type: 'UrlGoal',
  TagId: '26000001',
  Status: 'Active',
  UrlExpression: 'contoso.com/thanks',
  UrlOperator: 'BeginsWith',
  ConversionWindowInMinutes: 43200,
};

function issuesOf(value: unknown) {
  const result = parseInputRecord(value);
  if (result.ok) throw new Error(`accepted ${JSON.stringify(value)}`);
  return result.issues.map((issue) => [issue.path, issue.value]);
}

describe('hit records and goals in the API shape', () => {
  it('U1 U3 a hit record reads a beacon URL, a request target or a query string into its fields', () => {
    for (const hit of [
      'https://bat.bing.com/action/0?ti=26000001&evt=custom&ea=purchase&ev=12.5',
      '/action/0?ti=26000001&evt=custom&ea=purchase&ev=12.5',
      'ti=26000001&evt=custom&ea=purchase&ev=12.5',
    ]) {
      expect(parseInputRecord({ kind: 'hit', at: T, beacon: hit })).toEqual({
        ok: true,
        record: {
          kind: 'hit',
          at: AT,
          hit: {
            tagId: '26000001',
            eventType: 'custom',
            eventAction: 'purchase',
            eventValue: 12.5,
          },
        },
      });
    }
  });

  it('U3 D4 a hit record takes the fields of a hit or its beacon, and names a bad field or parameter by its path', () => {
    const hit = { tagId: '5', eventType: 'pageLoad', pageUrl: 'https://contoso.com/' };
    expect(parseInputRecord({ kind: 'hit', at: AT, hit })).toMatchObject({
      ok: true,
      record: { hit },
    });
    expect(issuesOf({ kind: 'hit', at: AT, hit: { ...hit, eventValue: '3' } })).toEqual([
      ['hit.eventValue', '3'],
    ]);
    expect(issuesOf({ kind: 'hit', at: AT, hit: { ...hit, ev: 3 } })).toEqual([['hit.ev', 3]]);
    expect(issuesOf({ kind: 'hit', at: AT, beacon: 'ti=5&ev=abc' })).toEqual([
      ['beacon.ev', 'abc'],
    ]);
    expect(issuesOf({ kind: 'hit', at: AT, hit, beacon: 'ti=5' })).toEqual([['hit', hit]]);
    expect(issuesOf({ kind: 'hit', at: AT, beacon: '/action/0?evt=pageLoad' })).toEqual([
      ['beacon.ti', undefined],
    ]);
  });

  it('A1 attachGoal takes a ConversionGoal in the API shape, read as a goal definition', () => {
    expect(
      parseInputRecord({ kind: 'attachGoal', tagId: '26000001', conversionGoal: apiGoal, at: T }),
    ).toEqual({
      ok: true,
      record: {
        kind: 'attachGoal',
        tagId: '26000001',
        at: AT,
        goalId: '46000001',
        goalType: 'Url',
        status: 'Active',
        conversionWindowMinutes: 43200,
        url: { operator: 'BeginsWith', expression: 'contoso.com/thanks' },
      },
    });
  });

  it('A1 registerTag takes conversionGoals after its goals', () => {
    const result = parseInputRecord({
      kind: 'registerTag',
      tagId: '26000001',
      goals: [{ goalId: 'plain', goalType: 'Event' }],
      conversionGoals: [
        {
          Id: '7',
          Type: 'Event',
          TagId: 26000001,
          ActionExpression: 'buy',
          ActionOperator: 'Equals',
          Value: 10,
          ValueOperator: 'GreaterThan',
        },
      ],
    });
    expect(result).toMatchObject({
      ok: true,
      record: {
        goals: [
          { goalId: 'plain', goalType: 'Event' },
          {
            goalId: '7',
            goalType: 'Event',
            event: {
              action: { operator: 'Equals', expression: 'buy' },
              value: { operator: 'GreaterThan', value: 10 },
            },
          },
        ],
      },
    });
  });

  it('A1 M2 a goal of another tag, a wrong-typed field and a refused pattern are named by their path', () => {
    expect(issuesOf({ kind: 'attachGoal', tagId: '26000002', conversionGoal: apiGoal })).toEqual([
      ['conversionGoal.TagId', '26000001'],
    ]);
    expect(
      issuesOf({
        kind: 'attachGoal',
        tagId: '26000001',
        conversionGoal: { ...apiGoal, UrlOperator: 'StartsWith' },
      }),
    ).toEqual([['conversionGoal.UrlOperator', 'StartsWith']]);
    const refused = parseInputRecord({
      kind: 'registerTag',
      tagId: '26000001',
      conversionGoals: [
        apiGoal,
        { ...apiGoal, Id: 2, UrlOperator: 'RegularExpression', UrlExpression: 'a(?<n>b)\\k<n>' },
      ],
    });
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.issues.map((issue) => issue.path)).toEqual([
        'conversionGoals[1].UrlExpression',
      ]);
      expect(refused.message).toMatch(/goal "2" uses/);
    }
  });

  it('attachGoal takes goalId and goalType, or conversionGoal, not both nor neither', () => {
    expect(
      issuesOf({
        kind: 'attachGoal',
        tagId: '1',
        goalId: 'g',
        goalType: 'Url',
        conversionGoal: apiGoal,
      }).map(([p]) => p),
    ).toEqual(['record']);
    expect(issuesOf({ kind: 'attachGoal', tagId: '1', goalId: 'g' })).toEqual([
      ['goalType', undefined],
    ]);
  });
});
