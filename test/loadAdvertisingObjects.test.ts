import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  loadAdvertisingObjects,
  loadAdvertisingObjectsFile,
  readAdvertisingObjects,
} from '../packages/uet-tag/src/advertising/loadAdvertisingObjects.js';

const FIXTURES = new URL('./fixtures/advertising/', import.meta.url);
const fixturePath = (name: string) => new URL(name, FIXTURES).pathname;
const fixtureText = (name: string) => readFileSync(new URL(name, FIXTURES), 'utf8');

const URL_GOAL = { Id: '46000001', Type: 'Url', TagId: '26000001', UrlExpression: 'thanks' };

describe('loadAdvertisingObjects: documented responses', () => {
  it('A1 a GetUetTagsByIds response loads: ids as decimal strings, null items left out, null fields absent', async () => {
    const { tags, goals, partialErrors } = await loadAdvertisingObjectsFile(
      fixturePath('getUetTagsByIds.json'),
    );
    expect(goals).toEqual([]);
    expect(
      tags.map(({ Id, Name, TrackingStatus, Industry, path }) => ({
        Id,
        Name,
        TrackingStatus,
        Industry,
        path,
      })),
    ).toEqual([
      {
        Id: '26012345',
        Name: 'shop.example',
        TrackingStatus: 'Active',
        Industry: 'Retail',
        path: 'UetTags[0]',
      },
      {
        Id: '26012346',
        Name: 'blog.shop.example',
        TrackingStatus: 'Unverified',
        Industry: undefined,
        path: 'UetTags[1]',
      },
    ]);
    expect(Object.keys(tags[1] ?? {})).not.toContain('Industry');
    expect(tags[1]?.CustomerShare).toMatchObject({ OwnerCustomerId: '251000412' });
    expect(partialErrors).toEqual([
      {
        Code: 5300,
        ErrorCode: 'InvalidUetTagId',
        Index: 2,
        Message: 'The UET tag ID is not valid.',
        Type: 'BatchError',
        path: 'PartialErrors[0]',
      },
    ]);
  });

  it('A1 a GetConversionGoalsByIds response loads every goal type with its own fields', () => {
    const { goals, partialErrors } = loadAdvertisingObjects(
      fixtureText('getConversionGoalsByIds.json'),
      'byIds.json',
    );
    expect(goals.map((goal) => [goal.Id, goal.Type, goal.TagId, goal.path])).toEqual([
      ['46001001', 'Url', '26012345', 'ConversionGoals[0]'],
      ['46001002', 'Event', '26012345', 'ConversionGoals[1]'],
      ['46001003', 'Duration', '26012345', 'ConversionGoals[2]'],
      ['46001004', 'PagesViewedPerVisit', '26012346', 'ConversionGoals[3]'],
      ['46001005', 'AppInstall', undefined, 'ConversionGoals[4]'],
      ['46001006', 'OfflineConversion', undefined, 'ConversionGoals[5]'],
      ['46001007', 'InStoreTransaction', undefined, 'ConversionGoals[6]'],
      ['46001008', 'Url', '26012399', 'ConversionGoals[7]'],
    ]);
    const [url, event, duration, pages, app, offline, store] = goals;
    const { original: _original, ...urlFields } = url ?? { original: undefined };
    expect(urlFields).toEqual({
      AttributionModelType: 'LastClick',
      ConversionWindowInMinutes: 43_200,
      CountType: 'All',
      ExcludeFromBidding: false,
      GoalCategory: 'Purchase',
      Id: '46001001',
      IsAutoGoal: false,
      IsEnhancedConversionsEnabled: true,
      Name: 'Order confirmation',
      Revenue: { CurrencyCode: 'USD', Type: 'VariableValue', Value: 1 },
      Scope: 'Account',
      Status: 'Active',
      TagId: '26012345',
      TrackingStatus: 'RecordingConversions',
      Type: 'Url',
      ViewThroughConversionWindowInMinutes: 1440,
      UrlExpression: 'shop.example/thanks',
      UrlOperator: 'BeginsWith',
      path: 'ConversionGoals[0]',
    });
    expect(event).toMatchObject({
      ActionExpression: 'add_to_cart',
      ActionOperator: 'Equals',
      CategoryExpression: 'ecommerce',
      CategoryOperator: 'Equals',
      Value: 10,
      ValueOperator: 'GreaterThan',
    });
    expect(event).not.toHaveProperty('LabelExpression');
    expect(duration).toMatchObject({ MinimumDurationInSeconds: 300, Status: 'Paused' });
    expect(duration?.Revenue).toEqual({ Type: 'NoValue' });
    expect(pages).toMatchObject({ MinimumPagesViewed: 3, TrackingStatus: 'TagUnverified' });
    expect(app).toMatchObject({ AppPlatform: 'Android', AppStoreId: 'com.shopexample.app' });
    expect(offline).toMatchObject({
      IsExternallyAttributed: false,
      ConversionWindowInMinutes: 129_600,
    });
    expect(store).not.toHaveProperty('TrackingStatus');
    expect(goals[7]?.TrackingStatus).toBe('InactiveDueToTagUnavailable');
    expect(partialErrors.map((error) => [error.ErrorCode, error.Index])).toEqual([
      ['InvalidConversionGoalId', 8],
    ]);
  });

  it('A1 a GetConversionGoalsByTagIds response loads in the order given', () => {
    const { goals } = loadAdvertisingObjects(fixtureText('getConversionGoalsByTagIds.json'), 'x');
    expect(goals.map((goal) => [goal.Id, goal.Type, goal.TrackingStatus])).toEqual([
      ['46001003', 'Duration', 'NoRecentConversions'],
      ['46001001', 'Url', 'RecordingConversions'],
      ['46001002', 'Event', 'NoRecentConversions'],
    ]);
  });

  it('A1 a ConversionGoals response with string and number ids loads', () => {
    const { goals } = readAdvertisingObjects(
      {
        ConversionGoals: [
          { ...URL_GOAL, Id: 46000001, TagId: '26000001' },
          { ...URL_GOAL, Id: '0046000002', TagId: 26000001 },
          { ...URL_GOAL, Id: '9223372036854775807', TagId: 9_007_199_254_740_991 },
        ],
        PartialErrors: null,
      },
      'x',
    );
    expect(goals.map((goal) => [goal.Id, goal.TagId])).toEqual([
      ['46000001', '26000001'],
      ['46000002', '26000001'],
      ['9223372036854775807', '9007199254740991'],
    ]);
  });

  it('A1 one ConversionGoal on its own, its Type in the SOAP-style spelling EventGoal, loads as Event', () => {
    const { goals, tags } = loadAdvertisingObjects(fixtureText('conversionGoal.json'), 'x');
    expect(tags).toEqual([]);
    expect(goals).toHaveLength(1);
    expect(goals[0]).toMatchObject({
      Id: '46001012',
      Type: 'Event',
      path: 'document',
      LabelExpression: 'trailer',
      LabelOperator: 'Contains',
    });
    expect(goals[0]?.original.Type).toBe('EventGoal');
  });

  const spellings = [
    ['UrlGoal', 'Url', { TagId: 1, UrlExpression: 'a' }],
    ['EventGoal', 'Event', { TagId: 1, ActionExpression: 'a', ActionOperator: 'Equals' }],
    ['DurationGoal', 'Duration', { TagId: 1 }],
    ['PagesViewedPerVisitGoal', 'PagesViewedPerVisit', { TagId: 1, MinimumPagesViewed: 2 }],
    ['AppInstallGoal', 'AppInstall', {}],
    ['OfflineConversionGoal', 'OfflineConversion', {}],
    ['InStoreTransactionGoal', 'InStoreTransaction', {}],
  ] as const;
  for (const [soap, rest, fields] of spellings) {
    it(`A1 Type ${soap} and Type ${rest} both read as ${rest}`, () => {
      const { goals } = readAdvertisingObjects(
        [
          { Id: 1, Type: soap, ...fields },
          { Id: 2, Type: rest, ...fields },
        ],
        'x',
      );
      expect(goals.map((goal) => goal.Type)).toEqual([rest, rest]);
    });
  }

  it('A1 an array of tags and goals loads, each told apart by its keys, with its index as path', () => {
    const { tags, goals } = readAdvertisingObjects(
      [{ Id: '26000001', Name: 'Shop', Description: null }, URL_GOAL, null, { Id: 5 }],
      'x',
    );
    expect(tags.map((tag) => [tag.Id, tag.path])).toEqual([
      ['26000001', '[0]'],
      ['5', '[3]'],
    ]);
    expect(
      goals.map((goal) => [goal.Id, goal.path, goal.Type === 'Url' && goal.UrlOperator]),
    ).toEqual([['46000001', '[1]', 'Equals']]);
  });

  it('A1 unknown fields are ignored, and kept in the original for write-back', () => {
    const original = { ...URL_GOAL, FutureField: { nested: true }, Industry: 'x' };
    const { goals } = readAdvertisingObjects(original, 'x');
    expect(goals[0]).not.toHaveProperty('FutureField');
    expect(goals[0]?.original).toBe(original);
  });

  it('A1 null fields read as absent, and the API defaults fill UrlOperator and MinimumDurationInSeconds', () => {
    const { goals } = readAdvertisingObjects(
      [
        { ...URL_GOAL, UrlOperator: null, Name: null, Status: null, Revenue: null },
        { Id: 2, Type: 'Duration', TagId: 1, MinimumDurationInSeconds: null },
      ],
      'x',
    );
    expect(goals[0]).toEqual({
      ...URL_GOAL,
      UrlOperator: 'Equals',
      path: '[0]',
      original: expect.any(Object),
    });
    expect(goals[1]).toMatchObject({ MinimumDurationInSeconds: 0 });
  });

  it('A2 the Status values Active, Paused and Deleted are accepted as given', () => {
    const { goals } = readAdvertisingObjects(
      ['Active', 'Paused', 'Deleted'].map((Status, index) => ({ ...URL_GOAL, Id: index, Status })),
      'x',
    );
    expect(goals.map((goal) => goal.Status)).toEqual(['Active', 'Paused', 'Deleted']);
  });
});
