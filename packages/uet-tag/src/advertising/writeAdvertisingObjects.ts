import {
  ConversionGoalTrackingStatus,
  type ConversionGoalType,
  isConversionGoalTrackingStatus,
  isUetTagTrackingStatus,
  type UetTagTrackingStatus,
} from 'uet-tag-status';
import type { ApiConversionGoal, ApiUetTag, JsonObject } from './apiObjects.js';

/**
 * The computed statuses, by object id: a map, or a function that answers for one id
 * (`undefined` when it knows none).
 *
 * @example
 * ```ts
 * const statuses: StatusLookup<UetTagTrackingStatus> = new Map([['26000001', 'Active']]);
 * ```
 */
export type StatusLookup<S extends string> =
  | ReadonlyMap<string, S>
  | ((id: string) => S | undefined);

/**
 * How goal statuses are written (SPEC A3).
 *
 * @example
 * ```ts
 * writeConversionGoalsResponse(goals, statuses, { returnInactiveDueToTagUnavailable: true });
 * ```
 */
export interface GoalWriteOptions {
  /**
   * Write `InactiveDueToTagUnavailable` as such. Without it a goal in that status is
   * written as `TagInactive`, as the API does unless the request's
   * `ReturnAdditionalFields` includes `InactiveDueToTagUnavailable`.
   * @default false
   */
  readonly returnInactiveDueToTagUnavailable?: boolean;
}

/**
 * A `GetUetTagsByIds` response body, as written.
 *
 * @example
 * ```ts
 * const response: UetTagsResponse = writeUetTagsResponse(tags, statuses);
 * JSON.stringify(response);
 * ```
 */
export interface UetTagsResponse {
  readonly UetTags: readonly JsonObject[];
  readonly PartialErrors: readonly JsonObject[];
}

/**
 * A `GetConversionGoalsByIds` / `GetConversionGoalsByTagIds` response body, as written.
 *
 * @example
 * ```ts
 * const response: ConversionGoalsResponse = writeConversionGoalsResponse(goals, statuses);
 * ```
 */
export interface ConversionGoalsResponse {
  readonly ConversionGoals: readonly JsonObject[];
  readonly PartialErrors: readonly JsonObject[];
}

/**
 * A tag that was not loaded from a document: its id, status, and optionally its name.
 *
 * @example
 * ```ts
 * const record: TagStatusRecord = { Id: '26012345', TrackingStatus: 'Active' };
 * ```
 */
export interface TagStatusRecord {
  readonly Id: string;
  readonly TrackingStatus: UetTagTrackingStatus;
  readonly Name?: string;
}

/**
 * A goal that was not loaded from a document: its id, type (the REST discriminator) and
 * status, and optionally its name and tag.
 *
 * @example
 * ```ts
 * const record: GoalStatusRecord = { Id: '46001001', Type: 'Url', TagId: '26012345', TrackingStatus: 'RecordingConversions' };
 * ```
 */
export interface GoalStatusRecord {
  readonly Id: string;
  readonly Type: ConversionGoalType;
  readonly TrackingStatus: ConversionGoalTrackingStatus;
  readonly Name?: string;
  readonly TagId?: string;
}

/**
 * The status a goal is written with (SPEC A3): its computed status, except that
 * `InactiveDueToTagUnavailable` reads `TagInactive` unless the caller asks for it, as the
 * API answers without `ReturnAdditionalFields=InactiveDueToTagUnavailable`.
 *
 * @example
 * ```ts
 * reportedGoalStatus('InactiveDueToTagUnavailable'); // 'TagInactive'
 * reportedGoalStatus('InactiveDueToTagUnavailable', { returnInactiveDueToTagUnavailable: true });
 * // 'InactiveDueToTagUnavailable'
 * ```
 */
export function reportedGoalStatus(
  status: ConversionGoalTrackingStatus,
  options: GoalWriteOptions = {},
): ConversionGoalTrackingStatus {
  if (
    status === ConversionGoalTrackingStatus.InactiveDueToTagUnavailable &&
    options.returnInactiveDueToTagUnavailable !== true
  ) {
    return ConversionGoalTrackingStatus.TagInactive;
  }
  return status;
}

/**
 * Writes loaded tags back as a `GetUetTagsByIds` response (SPEC A3): each tag's original
 * JSON, every field kept as it was read (unknown ones too), with `TrackingStatus` set to
 * the computed status, or to `null` for a tag the lookup knows nothing of.
 *
 * @example
 * ```ts
 * const { tags } = loadAdvertisingObjects(text, 'tags.json');
 * const response = writeUetTagsResponse(tags, new Map([['26000001', 'Inactive']]));
 * JSON.stringify(response); // '{"UetTags":[{"Id":"26000001",...,"TrackingStatus":"Inactive"}],"PartialErrors":[]}'
 * ```
 * @throws TypeError when the lookup gives a value outside UetTagTrackingStatus.
 */
export function writeUetTagsResponse(
  tags: readonly ApiUetTag[],
  statuses: StatusLookup<UetTagTrackingStatus>,
): UetTagsResponse {
  const statusOf = lookupOf(statuses);
  return {
    UetTags: tags.map((tag) =>
      withTrackingStatus(tag.original, checked(statusOf(tag.Id), tag, isUetTagTrackingStatus)),
    ),
    PartialErrors: [],
  };
}

/**
 * Writes loaded goals back as a `GetConversionGoalsByIds` response (SPEC A3): each
 * goal's original JSON with every field kept and `TrackingStatus` set to the computed
 * status as {@link reportedGoalStatus} reports it, or to `null` for a goal the lookup
 * knows nothing of.
 *
 * @example
 * ```ts
 * const { goals } = loadAdvertisingObjects(text, 'goals.json');
 * writeConversionGoalsResponse(goals, new Map([['46000001', 'InactiveDueToTagUnavailable']]));
 * // { ConversionGoals: [{ ..., TrackingStatus: 'TagInactive' }], PartialErrors: [] }
 * ```
 * @throws TypeError when the lookup gives a value outside ConversionGoalTrackingStatus.
 */
export function writeConversionGoalsResponse(
  goals: readonly ApiConversionGoal[],
  statuses: StatusLookup<ConversionGoalTrackingStatus>,
  options: GoalWriteOptions = {},
): ConversionGoalsResponse {
  const statusOf = lookupOf(statuses);
  return {
    ConversionGoals: goals.map((goal) => {
      const status = checked(statusOf(goal.Id), goal, isConversionGoalTrackingStatus);
      return withTrackingStatus(
        goal.original,
        status === null ? null : reportedGoalStatus(status, options),
      );
    }),
    PartialErrors: [],
  };
}

/**
 * A `GetUetTagsByIds` response for tags known only by id and status (no document was
 * loaded), as a service answering API-shaped queries needs. Ids are written as strings,
 * as the API writes int64 values.
 *
 * @example
 * ```ts
 * uetTagsResponseOf([{ Id: '26000001', TrackingStatus: 'Active' }]);
 * // { UetTags: [{ Id: '26000001', TrackingStatus: 'Active' }], PartialErrors: [] }
 * ```
 */
export function uetTagsResponseOf(records: Iterable<TagStatusRecord>): UetTagsResponse {
  return {
    UetTags: Array.from(records, (record) => ({
      Id: record.Id,
      ...(record.Name === undefined ? {} : { Name: record.Name }),
      TrackingStatus: record.TrackingStatus,
    })),
    PartialErrors: [],
  };
}

/**
 * A `GetConversionGoalsByIds` response for goals known only by id, type and status (and
 * optionally name and tag id), with {@link reportedGoalStatus} applied.
 *
 * @example
 * ```ts
 * conversionGoalsResponseOf([{ Id: '46000001', Type: 'Url', TagId: '26000001', TrackingStatus: 'RecordingConversions' }]);
 * ```
 */
export function conversionGoalsResponseOf(
  records: Iterable<GoalStatusRecord>,
  options: GoalWriteOptions = {},
): ConversionGoalsResponse {
  return {
    ConversionGoals: Array.from(records, (record) => ({
      Id: record.Id,
      ...(record.Name === undefined ? {} : { Name: record.Name }),
      Type: record.Type,
      ...(record.TagId === undefined ? {} : { TagId: record.TagId }),
      TrackingStatus: reportedGoalStatus(record.TrackingStatus, options),
    })),
    PartialErrors: [],
  };
}

function lookupOf<S extends string>(statuses: StatusLookup<S>): (id: string) => S | undefined {
  return typeof statuses === 'function' ? statuses : (id) => statuses.get(id);
}

function checked<S extends string>(
  status: S | undefined,
  object: { readonly Id: string; readonly path: string },
  isStatus: (value: unknown) => value is S,
): S | null {
  if (status === undefined) return null;
  if (!isStatus(status)) {
    throw new TypeError(
      `${object.path} (Id ${object.Id}): ${JSON.stringify(status)} is not a tracking status`,
    );
  }
  return status;
}

/** The original object with `TrackingStatus` replaced in place, or added at the end. */
function withTrackingStatus(original: JsonObject, status: string | null): JsonObject {
  return { ...original, TrackingStatus: status };
}
