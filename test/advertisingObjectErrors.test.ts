import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type AdvertisingIssue,
  AdvertisingObjectError,
} from '../packages/uet-tag/src/advertising/AdvertisingObjectError.js';
import {
  loadAdvertisingObjects,
  loadAdvertisingObjectsFile,
  readAdvertisingObjects,
} from '../packages/uet-tag/src/advertising/loadAdvertisingObjects.js';
import { formatIssue } from '../packages/uet-tag/src/issues.js';
import { jsonErrorOf } from './support/jsonErrors.js';

const URL_GOAL = { Id: '46000001', Type: 'Url', TagId: '26000001', UrlExpression: 'thanks' };
const EVENT_GOAL = {
  Id: '46000002',
  Type: 'Event',
  TagId: '26000001',
  ActionExpression: 'buy',
  ActionOperator: 'Equals',
};

function errorOf(run: () => unknown): AdvertisingObjectError {
  try {
    run();
  } catch (error) {
    if (error instanceof AdvertisingObjectError) return error;
    throw error;
  }
  throw new Error('the document was accepted');
}

function issuesOf(document: unknown): readonly AdvertisingIssue[] {
  return errorOf(() => readAdvertisingObjects(document, 'bad.json')).issues;
}

/** One goal at ConversionGoals[3], after three good ones, so that the index in the path shows. */
function atIndexThree(goal: object): unknown {
  return {
    ConversionGoals: [URL_GOAL, null, { ...URL_GOAL, Id: '46000009' }, goal],
    PartialErrors: [],
  };
}

const INT64 = 'an int64 id: a JSON string of decimal digits or a JSON integer';

const cases: {
  name: string;
  goal: object;
  path: string;
  value: unknown;
  expected: string;
}[] = [
  {
    name: 'ConversionWindowInMinutes 0, below 1',
    goal: { ...URL_GOAL, ConversionWindowInMinutes: 0 },
    path: 'ConversionGoals[3].ConversionWindowInMinutes',
    value: 0,
    expected: 'an integer from 1 to 129,600',
  },
  {
    name: 'ConversionWindowInMinutes 129,601, above 90 days',
    goal: { ...URL_GOAL, ConversionWindowInMinutes: 129_601 },
    path: 'ConversionGoals[3].ConversionWindowInMinutes',
    value: 129_601,
    expected: 'an integer from 1 to 129,600',
  },
  {
    name: 'ConversionWindowInMinutes as a string',
    goal: { ...URL_GOAL, ConversionWindowInMinutes: '43200' },
    path: 'ConversionGoals[3].ConversionWindowInMinutes',
    value: '43200',
    expected: 'an integer from 1 to 129,600',
  },
  {
    name: 'MinimumDurationInSeconds 86,400, a full day',
    goal: { Id: 1, Type: 'Duration', TagId: 1, MinimumDurationInSeconds: 86_400 },
    path: 'ConversionGoals[3].MinimumDurationInSeconds',
    value: 86_400,
    expected: 'an integer from 0 to 86,399',
  },
  {
    name: 'MinimumDurationInSeconds 1.5, not an integer',
    goal: { Id: 1, Type: 'Duration', TagId: 1, MinimumDurationInSeconds: 1.5 },
    path: 'ConversionGoals[3].MinimumDurationInSeconds',
    value: 1.5,
    expected: 'an integer from 0 to 86,399',
  },
  {
    name: 'MinimumPagesViewed missing',
    goal: { Id: 1, Type: 'PagesViewedPerVisit', TagId: 1 },
    path: 'ConversionGoals[3].MinimumPagesViewed',
    value: undefined,
    expected: 'an integer from 0 to 9,999,999',
  },
  {
    name: 'UrlOperator Equal, not an ExpressionOperator',
    goal: { ...URL_GOAL, UrlOperator: 'Equal' },
    path: 'ConversionGoals[3].UrlOperator',
    value: 'Equal',
    expected: 'one of Equals, BeginsWith, RegularExpression, Contains (ExpressionOperator',
  },
  {
    name: 'ActionOperator in lower case',
    goal: { ...EVENT_GOAL, ActionOperator: 'equals' },
    path: 'ConversionGoals[3].ActionOperator',
    value: 'equals',
    expected: 'one of Equals, BeginsWith, RegularExpression, Contains',
  },
  {
    name: 'ValueOperator GreaterThanOrEqual, which the set lacks',
    goal: { ...EVENT_GOAL, Value: 5, ValueOperator: 'GreaterThanOrEqual' },
    path: 'ConversionGoals[3].ValueOperator',
    value: 'GreaterThanOrEqual',
    expected: 'one of Equals, LessThan, GreaterThan (ValueOperator',
  },
  {
    name: 'Value as a string',
    goal: { ...EVENT_GOAL, Value: '5', ValueOperator: 'Equals' },
    path: 'ConversionGoals[3].Value',
    value: '5',
    expected: 'a JSON number',
  },
  {
    name: 'Status Enabled, the web UI word',
    goal: { ...URL_GOAL, Status: 'Enabled' },
    path: 'ConversionGoals[3].Status',
    value: 'Enabled',
    expected: 'one of Active, Paused, Deleted (ConversionGoalStatus',
  },
  {
    name: 'TrackingStatus Active, a tag status, on a goal',
    goal: { ...URL_GOAL, TrackingStatus: 'Active' },
    path: 'ConversionGoals[3].TrackingStatus',
    value: 'Active',
    expected: 'one of TagUnverified, NoRecentConversions, RecordingConversions, TagInactive',
  },
  {
    name: 'Type Foo',
    goal: { ...URL_GOAL, Type: 'Foo' },
    path: 'ConversionGoals[3].Type',
    value: 'Foo',
    expected: 'a ConversionGoalType: Url, Duration, PagesViewedPerVisit, Event, AppInstall',
  },
  {
    name: 'Type AppDownload, which is not modelled',
    goal: { Id: 1, Type: 'AppDownload' },
    path: 'ConversionGoals[3].Type',
    value: 'AppDownload',
    expected: 'AppDownload goals (returned only on request) are not modelled',
  },
  {
    name: 'Type missing',
    goal: { Id: 1, TagId: 1, UrlExpression: 'a' },
    path: 'ConversionGoals[3].Type',
    value: undefined,
    expected: 'a ConversionGoalType',
  },
  {
    name: 'Id negative',
    goal: { ...URL_GOAL, Id: -5 },
    path: 'ConversionGoals[3].Id',
    value: -5,
    expected: INT64,
  },
  {
    name: 'Id with a fraction, as a string',
    goal: { ...URL_GOAL, Id: '12.5' },
    path: 'ConversionGoals[3].Id',
    value: '12.5',
    expected: INT64,
  },
  {
    name: 'Id above the int64 maximum',
    goal: { ...URL_GOAL, Id: '9223372036854775808' },
    path: 'ConversionGoals[3].Id',
    value: '9223372036854775808',
    expected: 'from 0 to 9223372036854775807',
  },
  {
    name: 'Id as a JSON number too large to be exact',
    goal: { ...URL_GOAL, Id: 2 ** 53 },
    path: 'ConversionGoals[3].Id',
    value: 2 ** 53,
    expected: 'write such an id as a string',
  },
  {
    name: 'TagId missing on a tag-based goal',
    goal: { Id: 1, Type: 'Url', UrlExpression: 'a' },
    path: 'ConversionGoals[3].TagId',
    value: undefined,
    expected: "the int64 id of the goal's UET tag (a Url goal belongs to one tag, SPEC G1)",
  },
  {
    name: 'UrlExpression missing',
    goal: { Id: 1, Type: 'Url', TagId: 1 },
    path: 'ConversionGoals[3].UrlExpression',
    value: undefined,
    expected: 'a string: the URL expression',
  },
  {
    name: 'an Event goal without any condition pair',
    goal: { Id: 1, Type: 'Event', TagId: 1, Value: null },
    path: 'ConversionGoals[3]',
    value: { Id: 1, Type: 'Event', TagId: 1, Value: null },
    expected: 'an Event goal with at least one condition pair',
  },
  {
    name: 'an Event goal with an expression but no operator',
    goal: { Id: 1, Type: 'Event', TagId: 1, LabelExpression: 'trailer' },
    path: 'ConversionGoals[3].LabelOperator',
    value: undefined,
    expected: 'LabelOperator too, since LabelExpression is given',
  },
  {
    name: 'ActionExpression over 100 characters',
    goal: { ...EVENT_GOAL, ActionExpression: 'a'.repeat(101) },
    path: 'ConversionGoals[3].ActionExpression',
    value: 'a'.repeat(101),
    expected: 'a string of at most 100 characters',
  },
  {
    name: 'ExcludeFromBidding as the string "true"',
    goal: { ...URL_GOAL, ExcludeFromBidding: 'true' },
    path: 'ConversionGoals[3].ExcludeFromBidding',
    value: 'true',
    expected: 'a JSON boolean, true or false',
  },
  {
    name: 'Revenue.Type Fixed',
    goal: { ...URL_GOAL, Revenue: { Type: 'Fixed', Value: 1 } },
    path: 'ConversionGoals[3].Revenue.Type',
    value: 'Fixed',
    expected: 'one of FixedValue, VariableValue, NoValue (ConversionGoalRevenueType',
  },
  {
    name: 'GoalCategory Sale',
    goal: { ...URL_GOAL, GoalCategory: 'Sale' },
    path: 'ConversionGoals[3].GoalCategory',
    value: 'Sale',
    expected: 'ConversionGoalCategory',
  },
  {
    name: 'ViewThroughConversionWindowInMinutes above 30 days',
    goal: { ...URL_GOAL, ViewThroughConversionWindowInMinutes: 43_201 },
    path: 'ConversionGoals[3].ViewThroughConversionWindowInMinutes',
    value: 43_201,
    expected: 'an integer from 1 to 43,200',
  },
  {
    name: 'a goal that is not an object',
    goal: ['Url'],
    path: 'ConversionGoals[3]',
    value: ['Url'],
    expected: 'a ConversionGoal object',
  },
];

describe('loadAdvertisingObjects: a known field of the wrong type or out of range (SPEC A1, D4)', () => {
  for (const c of cases) {
    it(`A1 ${c.name} is refused, naming ${c.path}, the value and the expectation`, () => {
      const issues = issuesOf(atIndexThree(c.goal));
      expect(issues).toHaveLength(1);
      const [issue] = issues;
      expect(issue?.path).toBe(c.path);
      expect(issue?.value).toEqual(c.value);
      expect(issue?.expected).toContain(c.expected);
      const error = errorOf(() => readAdvertisingObjects(atIndexThree(c.goal), 'bad.json'));
      expect(error.message).toContain(`bad.json: invalid Microsoft Advertising objects (1 issue)`);
      expect(error.message).toContain(`${c.path}: `);
      expect(error.message).toContain(c.expected);
    });
  }

  it('A1 a tag TrackingStatus outside UetTagTrackingStatus is refused naming UetTags[1].TrackingStatus', () => {
    const issues = issuesOf({ UetTags: [{ Id: 1 }, { Id: 2, TrackingStatus: 'Verified' }] });
    expect(issues).toEqual([
      {
        path: 'UetTags[1].TrackingStatus',
        value: 'Verified',
        expected: 'one of Unverified, Active, Inactive (UetTagTrackingStatus, spelled exactly)',
      },
    ]);
  });

  it('A2 a Status outside ConversionGoalStatus (paused, in lower case) is refused', () => {
    expect(issuesOf({ ...URL_GOAL, Status: 'paused' })).toEqual([
      {
        path: 'Status',
        value: 'paused',
        expected: 'one of Active, Paused, Deleted (ConversionGoalStatus, spelled exactly)',
      },
    ]);
  });

  it('A1 every issue of a document is reported at once, in document order', () => {
    const issues = issuesOf({
      UetTags: [{ Id: 'x' }, { Id: 2, Name: 7 }],
      ConversionGoals: [
        { ...URL_GOAL, UrlOperator: 'Equal', ConversionWindowInMinutes: 0 },
        { ...EVENT_GOAL, Id: -1, ActionOperator: null },
      ],
      PartialErrors: [{ Code: 'x' }],
    });
    expect(issues.map((issue) => issue.path)).toEqual([
      'UetTags[0].Id',
      'UetTags[1].Name',
      'ConversionGoals[0].ConversionWindowInMinutes',
      'ConversionGoals[0].UrlOperator',
      'ConversionGoals[1].Id',
      'ConversionGoals[1].ActionOperator',
      'PartialErrors[0].Code',
    ]);
  });

  it('A1 two goals with one id are refused, naming both paths', () => {
    expect(issuesOf([URL_GOAL, { ...URL_GOAL, Id: 46000001 }])).toEqual([
      { path: '[1].Id', value: 46000001, expected: 'an Id no other goal has ([0] has it too)' },
    ]);
  });

  it('a bad value is echoed cut to 100 characters', () => {
    const error = errorOf(() =>
      readAdvertisingObjects({ ...URL_GOAL, UrlOperator: 'x'.repeat(10_000) }, 'bad.json'),
    );
    const line = formatIssue(error.issues[0] as AdvertisingIssue);
    expect(line).toBe(
      `UrlOperator: "${'x'.repeat(100)}"… (10000 characters) is not valid: expected one of Equals, BeginsWith, RegularExpression, Contains (ExpressionOperator, spelled exactly)`,
    );
  });

  it('a list that is not a list, a document of no known shape, and text that is not JSON', () => {
    expect(issuesOf({ UetTags: { Id: 1 } })).toEqual([
      { path: 'UetTags', value: { Id: 1 }, expected: 'a list of UetTag objects, or null' },
    ]);
    expect(issuesOf(42)).toEqual([
      {
        path: 'document',
        value: 42,
        expected: expect.stringContaining('a GetUetTagsByIds response {"UetTags":[...]}'),
      },
    ]);
    expect(issuesOf(['tag'])).toEqual([
      { path: '[0]', value: 'tag', expected: 'a UetTag or ConversionGoal object' },
    ]);
    const notJson = errorOf(() => loadAdvertisingObjects('{"UetTags": [', 'cut.json'));
    expect(notJson.issues).toEqual([
      {
        path: 'document',
        value: '{"UetTags": [',
        expected: `JSON (${jsonErrorOf('{"UetTags": [')})`,
      },
    ]);
  });

  it('an unreadable file is an AdvertisingObjectError naming the file', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'advertising-'));
    const missing = path.join(dir, 'missing.json');
    await expect(loadAdvertisingObjectsFile(missing)).rejects.toMatchObject({
      name: 'AdvertisingObjectError',
      source: missing,
      issues: [{ path: 'file', value: missing, expected: 'a readable file (ENOENT)' }],
    });
    const bad = path.join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify({ ...URL_GOAL, UrlOperator: 'Like' }));
    await expect(loadAdvertisingObjectsFile(bad)).rejects.toMatchObject({
      source: bad,
      issues: [{ path: 'UrlOperator', value: 'Like' }],
    });
  });
});
