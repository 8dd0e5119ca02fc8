import { UetTagTrackingStatus } from 'uet-tag-status';
import { z } from 'zod';
import { withoutAbsent } from '../withoutAbsent.js';
import type { ApiUetTag } from './apiObjects.js';
import { absentIfNull, int64Id, jsonObject, limitedString, oneOf } from './fieldSchemas.js';

/**
 * A UetTag as the schema gives it, before its origin is attached.
 *
 * @example
 * ```ts
 * const fields: UetTagFields = uetTagSchema.parse({ Id: 26012345 }); // { Id: '26012345' }
 * ```
 */
export type UetTagFields = Omit<ApiUetTag, 'path' | 'original'>;

/**
 * The schema of one `UetTag` object of Campaign Management v13 (SPEC A1). Known fields
 * are checked, null reads as absent, unknown fields are dropped here (the loader keeps
 * the original object for write-back), and `Id` becomes a decimal string.
 *
 * @example
 * ```ts
 * uetTagSchema.parse({ Id: 26000001, Name: 'Shop', TrackingStatus: 'Active', Extra: 1 });
 * // { Id: '26000001', Name: 'Shop', TrackingStatus: 'Active', ... }
 * ```
 */
export const uetTagSchema = z
  .object(
    {
      Id: int64Id,
      Name: absentIfNull(limitedString(100)),
      Description: absentIfNull(limitedString()),
      TrackingStatus: absentIfNull(oneOf(UetTagTrackingStatus, 'UetTagTrackingStatus')),
      TrackingScript: absentIfNull(limitedString()),
      TrackingNoScript: absentIfNull(limitedString()),
      Industry: absentIfNull(limitedString()),
      CustomerShare: absentIfNull(jsonObject),
    },
    { error: 'a UetTag object' },
  )
  .transform((tag): UetTagFields => withoutAbsent(tag));
