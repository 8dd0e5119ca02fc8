import { describe, expect, it } from 'vitest';
import {
  goalStatusAt,
  tagStatusAt,
  trackingStatusesAt,
} from '../packages/uet-tag-status/src/oracle.js';
import { TrackingInputError } from '../packages/uet-tag-status/src/TrackingInputError.js';

const W = 86_400_000;
const C = 7 * W;

describe('tagStatusAt', () => {
  const cases = [
    { name: 'R1 no activity: Unverified', activities: [], now: 5, expected: 'Unverified' },
    { name: 'R2 one activity: Active', activities: [5], now: 5, expected: 'Active' },
    { name: 'T4 last ms of the window: Active', activities: [0], now: W - 1, expected: 'Active' },
    { name: 'T4 window over: Inactive', activities: [0], now: W, expected: 'Inactive' },
    {
      name: 'D1 order does not matter',
      activities: [W, 0, 10],
      now: 2 * W - 1,
      expected: 'Active',
    },
    { name: 'D3 stamped ahead of now: Active', activities: [100], now: 0, expected: 'Active' },
  ] as const;
  for (const c of cases) {
    it(c.name, () => expect(tagStatusAt(c.activities, c.now)).toBe(c.expected));
  }

  it('T2 takes the activity window as an option', () => {
    expect([
      tagStatusAt([0], 9, { activityWindowMs: 10 }),
      tagStatusAt([0], 10, { activityWindowMs: 10 }),
    ]).toEqual(['Active', 'Inactive']);
    expect(() => tagStatusAt([0], 1, { activityWindowMs: 0 })).toThrow(TrackingInputError);
  });
});

describe('goalStatusAt', () => {
  const cases = [
    {
      name: 'G4 no access wins over an Active tag',
      goal: { goalType: 'Url', conversions: [0], tagStatus: 'Active', tagAvailable: false },
      now: 1,
      expected: 'InactiveDueToTagUnavailable',
    },
    {
      name: 'G4 no access wins over an Unverified tag',
      goal: { goalType: 'Event', conversions: [], tagStatus: 'Unverified', tagAvailable: false },
      now: 1,
      expected: 'InactiveDueToTagUnavailable',
    },
    {
      name: 'G2 Unverified tag',
      goal: { goalType: 'Duration', conversions: [0], tagStatus: 'Unverified' },
      now: 1,
      expected: 'TagUnverified',
    },
    {
      name: 'G2 Inactive tag',
      goal: { goalType: 'PagesViewedPerVisit', conversions: [0], tagStatus: 'Inactive' },
      now: 1,
      expected: 'TagInactive',
    },
    {
      name: 'G3 recent conversion',
      goal: { goalType: 'Url', conversions: [0], tagStatus: 'Active' },
      now: C - 1,
      expected: 'RecordingConversions',
    },
    {
      name: 'G3 conversion 7 days old',
      goal: { goalType: 'Url', conversions: [0], tagStatus: 'Active' },
      now: C,
      expected: 'NoRecentConversions',
    },
    {
      name: 'G3 no conversion',
      goal: { goalType: 'Url', conversions: [], tagStatus: 'Active' },
      now: 0,
      expected: 'NoRecentConversions',
    },
    {
      name: 'G5 tagless ignores tag and access',
      goal: {
        goalType: 'InStoreTransaction',
        conversions: [0],
        tagStatus: 'Inactive',
        tagAvailable: false,
      },
      now: 1,
      expected: 'RecordingConversions',
    },
  ] as const;
  for (const c of cases) {
    it(c.name, () => expect(goalStatusAt(c.goal, c.now)).toBe(c.expected));
  }
});

describe('trackingStatusesAt', () => {
  it('G6 counts conversions of tag-based goals as tag activity, not those of tagless goals', () => {
    expect(
      trackingStatusesAt(
        {
          activities: [],
          goals: {
            app: { goalType: 'AppInstall', conversions: [0] },
            signup: { goalType: 'Url', conversions: [] },
          },
        },
        1,
      ),
    ).toEqual({
      tag: 'Unverified',
      goals: { app: 'RecordingConversions', signup: 'TagUnverified' },
    });
    expect(
      trackingStatusesAt(
        {
          activities: [],
          goals: { signup: { goalType: 'Url', conversions: [0] } },
          tagAvailable: false,
        },
        1,
      ),
    ).toEqual({ tag: 'Active', goals: { signup: 'InactiveDueToTagUnavailable' } });
  });

  it('T2 applies both windows given as options', () => {
    const history = {
      activities: [0],
      goals: { app: { goalType: 'AppInstall', conversions: [0] } },
    } as const;
    expect(
      trackingStatusesAt(history, 10, { activityWindowMs: 10, conversionWindowMs: 20 }),
    ).toEqual({
      tag: 'Inactive',
      goals: { app: 'RecordingConversions' },
    });
  });
});
