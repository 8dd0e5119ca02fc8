import {
  type ConversionGoalTrackingStatus,
  type ConversionGoalType,
  createTagRuntime,
  type GoalStatusChange,
  type goalMachine,
  goalStatusOf,
  isConversionGoalTrackingStatus,
  isConversionGoalType,
  isUetTagTrackingStatus,
  type StatusChange,
  type TagEvent,
  type TagRuntime,
  type TagStatusChange,
  type TrackingInputError,
  type TrackingInputErrorCode,
  type TrackingWindows,
  type tagMachine,
  type UetTagTrackingStatus,
  uetTagTrackingStatusMeanings,
} from 'uet-tag-status';
import { type TrackingStatuses, tagStatusAt, trackingStatusesAt } from 'uet-tag-status/oracle';
import { describe, expectTypeOf, it } from 'vitest';
import type { EventFromLogic, SnapshotFrom } from 'xstate';

describe('public types', () => {
  it('value sets are unions of their exact spellings', () => {
    expectTypeOf<UetTagTrackingStatus>().toEqualTypeOf<'Unverified' | 'Active' | 'Inactive'>();
    expectTypeOf<ConversionGoalTrackingStatus>().toEqualTypeOf<
      | 'TagUnverified'
      | 'NoRecentConversions'
      | 'RecordingConversions'
      | 'TagInactive'
      | 'InactiveDueToTagUnavailable'
    >();
    expectTypeOf<ConversionGoalType>().toEqualTypeOf<
      | 'Url'
      | 'Duration'
      | 'PagesViewedPerVisit'
      | 'Event'
      | 'AppInstall'
      | 'OfflineConversion'
      | 'InStoreTransaction'
    >();
    expectTypeOf(uetTagTrackingStatusMeanings).toEqualTypeOf<
      Readonly<Record<UetTagTrackingStatus, string>>
    >();
  });

  it('guards narrow unknown values to their value set', () => {
    expectTypeOf(isUetTagTrackingStatus).guards.toEqualTypeOf<UetTagTrackingStatus>();
    expectTypeOf(
      isConversionGoalTrackingStatus,
    ).guards.toEqualTypeOf<ConversionGoalTrackingStatus>();
    expectTypeOf(isConversionGoalType).guards.toEqualTypeOf<ConversionGoalType>();
  });

  it("a tag snapshot's value is its status; a goal's status comes through goalStatusOf", () => {
    expectTypeOf<SnapshotFrom<typeof tagMachine>['value']>().toEqualTypeOf<UetTagTrackingStatus>();
    expectTypeOf<SnapshotFrom<typeof goalMachine>['value']>().toEqualTypeOf<
      ConversionGoalTrackingStatus | 'Deciding'
    >();
    expectTypeOf(goalStatusOf).returns.toEqualTypeOf<ConversionGoalTrackingStatus>();
    expectTypeOf<EventFromLogic<typeof tagMachine>>().toEqualTypeOf<TagEvent>();
  });

  it('the runtime reports typed statuses and changes', () => {
    expectTypeOf(createTagRuntime).returns.toEqualTypeOf<TagRuntime>();
    expectTypeOf<TagRuntime['status']>().returns.toEqualTypeOf<UetTagTrackingStatus>();
    expectTypeOf<TagRuntime['goalStatus']>().returns.toEqualTypeOf<ConversionGoalTrackingStatus>();
    expectTypeOf<TagRuntime['goalStatuses']>().returns.toEqualTypeOf<
      ReadonlyMap<string, ConversionGoalTrackingStatus>
    >();
    expectTypeOf<StatusChange>().toEqualTypeOf<TagStatusChange | GoalStatusChange>();
    expectTypeOf<
      Extract<StatusChange, { kind: 'tag' }>['to']
    >().toEqualTypeOf<UetTagTrackingStatus>();
    expectTypeOf<Extract<StatusChange, { kind: 'goal' }>['goalId']>().toEqualTypeOf<string>();
    expectTypeOf(createTagRuntime)
      .parameter(0)
      .toHaveProperty('windows')
      .toEqualTypeOf<Partial<TrackingWindows> | undefined>();
  });

  it('the oracle and the error are typed', () => {
    expectTypeOf(tagStatusAt).returns.toEqualTypeOf<UetTagTrackingStatus>();
    expectTypeOf(trackingStatusesAt).returns.toEqualTypeOf<TrackingStatuses>();
    expectTypeOf<TrackingInputError['code']>().toEqualTypeOf<TrackingInputErrorCode>();
    expectTypeOf<TrackingInputError>().toMatchTypeOf<Error>();
  });
});
