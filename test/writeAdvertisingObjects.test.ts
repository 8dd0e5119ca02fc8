import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadAdvertisingObjects } from '../packages/uet-tag/src/advertising/loadAdvertisingObjects.js';
import {
  conversionGoalsResponseOf,
  reportedGoalStatus,
  uetTagsResponseOf,
  writeConversionGoalsResponse,
  writeUetTagsResponse,
} from '../packages/uet-tag/src/advertising/writeAdvertisingObjects.js';
import type {
  ConversionGoalTrackingStatus,
  UetTagTrackingStatus,
} from '../packages/uet-tag-status/src/index.js';

const FIXTURES = new URL('./fixtures/advertising/', import.meta.url);
const fixtureText = (name: string) => readFileSync(new URL(name, FIXTURES), 'utf8');

const goalStatuses = new Map<string, ConversionGoalTrackingStatus>([
  ['46001001', 'NoRecentConversions'],
  ['46001002', 'RecordingConversions'],
  ['46001003', 'TagInactive'],
  ['46001004', 'TagUnverified'],
  ['46001005', 'RecordingConversions'],
  ['46001006', 'NoRecentConversions'],
  ['46001007', 'NoRecentConversions'],
  ['46001008', 'InactiveDueToTagUnavailable'],
]);

describe('writeAdvertisingObjects (SPEC A3)', () => {
  it('A3 tags are written back as a GetUetTagsByIds response: original fields kept, TrackingStatus filled in', () => {
    const text = fixtureText('getUetTagsByIds.json');
    const { tags } = loadAdvertisingObjects(text, 'tags.json');
    const response = writeUetTagsResponse(
      tags,
      new Map<string, UetTagTrackingStatus>([
        ['26012345', 'Inactive'],
        ['26012346', 'Active'],
      ]),
    );
    const originals = (JSON.parse(text) as { UetTags: object[] }).UetTags;
    expect(response).toEqual({
      UetTags: [
        { ...originals[0], TrackingStatus: 'Inactive' },
        { ...originals[1], TrackingStatus: 'Active' },
      ],
      PartialErrors: [],
    });
    expect(Object.keys(response.UetTags[0] ?? {})).toEqual(Object.keys(originals[0] ?? {}));
  });

  it('A3 InactiveDueToTagUnavailable is written as TagInactive unless asked for', () => {
    const { goals } = loadAdvertisingObjects(fixtureText('getConversionGoalsByIds.json'), 'x');
    const byDefault = writeConversionGoalsResponse(goals, goalStatuses);
    const asked = writeConversionGoalsResponse(goals, goalStatuses, {
      returnInactiveDueToTagUnavailable: true,
    });
    expect(byDefault.ConversionGoals.map((goal) => goal.TrackingStatus)).toEqual([
      'NoRecentConversions',
      'RecordingConversions',
      'TagInactive',
      'TagUnverified',
      'RecordingConversions',
      'NoRecentConversions',
      'NoRecentConversions',
      'TagInactive',
    ]);
    expect(asked.ConversionGoals.map((goal) => goal.TrackingStatus).at(-1)).toBe(
      'InactiveDueToTagUnavailable',
    );
    expect(reportedGoalStatus('InactiveDueToTagUnavailable')).toBe('TagInactive');
    expect(reportedGoalStatus('TagInactive', { returnInactiveDueToTagUnavailable: true })).toBe(
      'TagInactive',
    );
  });

  it('A3 a written goal keeps every original field, unknown ones and the SOAP-style Type included', () => {
    const text = fixtureText('conversionGoal.json');
    const { goals } = loadAdvertisingObjects(text, 'x');
    const written = writeConversionGoalsResponse(goals, () => 'RecordingConversions');
    expect(written).toEqual({
      ConversionGoals: [{ ...JSON.parse(text), TrackingStatus: 'RecordingConversions' }],
      PartialErrors: [],
    });
    const withExtra = loadAdvertisingObjects(
      '{"Id":"1","Type":"AppInstall","Future":{"a":[1]},"TagId":null}',
      'x',
    );
    expect(writeConversionGoalsResponse(withExtra.goals, () => 'NoRecentConversions')).toEqual({
      ConversionGoals: [
        {
          Id: '1',
          Type: 'AppInstall',
          Future: { a: [1] },
          TagId: null,
          TrackingStatus: 'NoRecentConversions',
        },
      ],
      PartialErrors: [],
    });
  });

  it('A3 an object the statuses do not cover is written with a null TrackingStatus', () => {
    const { tags } = loadAdvertisingObjects('[{"Id":1,"TrackingStatus":"Active"}]', 'x');
    expect(writeUetTagsResponse(tags, new Map()).UetTags).toEqual([
      { Id: 1, TrackingStatus: null },
    ]);
  });

  it('A3 the written response loads again, with the written statuses', () => {
    const { goals } = loadAdvertisingObjects(fixtureText('getConversionGoalsByIds.json'), 'x');
    const written = JSON.stringify(writeConversionGoalsResponse(goals, goalStatuses));
    const again = loadAdvertisingObjects(written, 'written.json');
    expect(again.goals.map((goal) => [goal.Id, goal.TrackingStatus])).toEqual(
      [...goalStatuses].map(([id, status]) => [id, reportedGoalStatus(status)]),
    );
  });

  it('A3 objects that were not loaded are written from ids and statuses alone', () => {
    expect(
      uetTagsResponseOf([
        { Id: '26000001', TrackingStatus: 'Active' },
        { Id: '26000002', Name: 'Blog', TrackingStatus: 'Unverified' },
      ]),
    ).toEqual({
      UetTags: [
        { Id: '26000001', TrackingStatus: 'Active' },
        { Id: '26000002', Name: 'Blog', TrackingStatus: 'Unverified' },
      ],
      PartialErrors: [],
    });
    const goals = [
      {
        Id: '46000001',
        Type: 'Url',
        TagId: '26000001',
        TrackingStatus: 'InactiveDueToTagUnavailable',
      },
      { Id: '46000002', Type: 'OfflineConversion', TrackingStatus: 'RecordingConversions' },
    ] as const;
    expect(conversionGoalsResponseOf(goals)).toEqual({
      ConversionGoals: [
        { Id: '46000001', Type: 'Url', TagId: '26000001', TrackingStatus: 'TagInactive' },
        { Id: '46000002', Type: 'OfflineConversion', TrackingStatus: 'RecordingConversions' },
      ],
      PartialErrors: [],
    });
    const asked = conversionGoalsResponseOf(goals, { returnInactiveDueToTagUnavailable: true });
    expect(asked.ConversionGoals[0]?.TrackingStatus).toBe('InactiveDueToTagUnavailable');
  });

  it('A3 a status outside the value set is a TypeError naming the object', () => {
    const { tags } = loadAdvertisingObjects('{"UetTags":[{"Id":"7"}]}', 'x');
    expect(() =>
      writeUetTagsResponse(tags, () => 'TagInactive' as unknown as UetTagTrackingStatus),
    ).toThrow(new TypeError('UetTags[0] (Id 7): "TagInactive" is not a tracking status'));
  });
});
