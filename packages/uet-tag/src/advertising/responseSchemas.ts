import { z } from 'zod';
import { withoutAbsent } from '../withoutAbsent.js';
import type { ApiBatchError } from './apiObjects.js';
import { conversionGoalSchema } from './conversionGoalSchema.js';
import { absentIfNull, limitedString } from './fieldSchemas.js';
import { uetTagSchema } from './uetTagSchema.js';

const integer = z.number({ error: 'an integer' }).int({ error: 'an integer' });

const batchError = z
  .object(
    {
      Code: absentIfNull(integer),
      ErrorCode: absentIfNull(limitedString()),
      Message: absentIfNull(limitedString()),
      Details: absentIfNull(limitedString()),
      FieldPath: absentIfNull(limitedString()),
      Index: absentIfNull(integer),
      Type: absentIfNull(limitedString()),
    },
    { error: 'a BatchError object' },
  )
  .transform((error): Omit<ApiBatchError, 'path'> => withoutAbsent(error));

/**
 * A response's `PartialErrors`: a list of BatchError objects, or null.
 *
 * @example
 * ```ts
 * partialErrorsSchema.parse([{ Code: 1100, ErrorCode: 'CampaignServiceInvalidId', Index: 2 }]);
 * ```
 */
export const partialErrorsSchema = absentIfNull(
  z.array(batchError.nullable(), { error: 'a list of BatchError objects, or null' }),
);

/**
 * The body of a `GetUetTagsByIds` response: `{"UetTags":[...],"PartialErrors":[...]}`. A
 * null item stands for a tag the API could not return and is kept as null here.
 *
 * @example
 * ```ts
 * getUetTagsByIdsResponseSchema.parse({ UetTags: [{ Id: '26000001' }, null], PartialErrors: [] });
 * ```
 */
export const getUetTagsByIdsResponseSchema = z.object(
  {
    UetTags: absentIfNull(
      z.array(uetTagSchema.nullable(), { error: 'a list of UetTag objects, or null' }),
    ),
    PartialErrors: partialErrorsSchema,
  },
  { error: 'a GetUetTagsByIds response object' },
);

/**
 * The body of a `GetConversionGoalsByIds` or `GetConversionGoalsByTagIds` response:
 * `{"ConversionGoals":[...],"PartialErrors":[...]}`; null items are kept as null.
 *
 * @example
 * ```ts
 * getConversionGoalsResponseSchema.parse({ ConversionGoals: [null], PartialErrors: null });
 * ```
 */
export const getConversionGoalsResponseSchema = z.object(
  {
    ConversionGoals: absentIfNull(
      z.array(conversionGoalSchema.nullable(), {
        error: 'a list of ConversionGoal objects, or null',
      }),
    ),
    PartialErrors: partialErrorsSchema,
  },
  { error: 'a GetConversionGoalsByIds or GetConversionGoalsByTagIds response object' },
);

/**
 * Either response, or one object holding both lists (a convenient file of an account's
 * tags and goals; the API itself never returns both at once).
 *
 * @example
 * ```ts
 * advertisingResponseSchema.parse({ UetTags: [], ConversionGoals: [] });
 * ```
 */
export const advertisingResponseSchema = z.object(
  {
    UetTags: getUetTagsByIdsResponseSchema.shape.UetTags,
    ConversionGoals: getConversionGoalsResponseSchema.shape.ConversionGoals,
    PartialErrors: partialErrorsSchema,
  },
  { error: 'a GetUetTagsByIds or GetConversionGoals response object' },
);
