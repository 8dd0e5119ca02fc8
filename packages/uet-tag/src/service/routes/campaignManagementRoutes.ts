import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import {
  ConversionGoalTrackingStatus,
  type ConversionGoalType,
  isConversionGoalType,
} from 'uet-tag-status';
import { GOAL_TYPE_SPELLINGS } from '../../advertising/apiValueSets.js';
import { normalizeInt64Id } from '../../advertising/fieldSchemas.js';
import {
  conversionGoalsResponseOf,
  type GoalStatusRecord,
  type GoalWriteOptions,
  uetTagsResponseOf,
} from '../../advertising/writeAdvertisingObjects.js';
import type { CampaignStatusSource } from '../campaignStatusSource.js';

/** The base of the stand-in's paths, as the REST API's. */
const BASE = '/CampaignManagement/v13';

/** The most ids one request may name, as the API allows. */
const MAX_IDS = 100;

/** A BatchError of `PartialErrors`, as the REST JSON writes it. */
interface BatchError {
  readonly Code: number;
  readonly Details: string | null;
  readonly ErrorCode: string;
  readonly FieldPath: string | null;
  readonly ForwardCompatibilityMap: null;
  readonly Index: number;
  readonly Message: string;
  readonly Type: 'BatchError';
}

/**
 * A bad request, answered as the API answers one: 400 with
 * `{"ApplicationFault": {"TrackingId", "Type": "ApiFaultDetail", "OperationErrors": [...], "BatchErrors": []}}`.
 */
class FaultReply {
  constructor(
    readonly errorCode: string,
    readonly message: string,
    readonly field: string,
  ) {}

  send(reply: FastifyReply): FastifyReply {
    return reply.code(400).send({
      ApplicationFault: {
        TrackingId: randomUUID(),
        Type: 'ApiFaultDetail',
        BatchErrors: [],
        OperationErrors: [
          {
            Code: 1,
            Details: this.field,
            ErrorCode: this.errorCode,
            Message: this.message,
            Type: 'OperationError',
          },
        ],
      },
    });
  }
}

/**
 * A stand-in for the Campaign Management API's read operations that return tracking
 * statuses (SPEC A3), with the tags and goals this service watches, so that a team can run
 * its app's integration tests against simulated tags: `POST …/UetTags/QueryByIds`
 * (`GetUetTagsByIds`: `TagIds`, or null for every tag; an unknown id reads `null` with a
 * BatchError at its index), `POST …/ConversionGoals/QueryByIds` (`GetConversionGoalsByIds`,
 * in request order) and `POST …/ConversionGoals/QueryByTagIds`
 * (`GetConversionGoalsByTagIds`), each filtered by `ConversionGoalTypes` when given.
 * `InactiveDueToTagUnavailable` is returned only when `ReturnAdditionalFields` names it;
 * otherwise such a goal reads `TagInactive`, as the API does. The error codes are the
 * stand-in's own names (the API's numeric codes are not reproduced). The statuses come from
 * `source`: the single node's monitor, or a cluster's tables on a front node.
 */
export function registerCampaignManagementRoutes(
  app: FastifyInstance,
  source: CampaignStatusSource,
): void {
  const read = { config: { access: 'read' as const } };

  app.post(`${BASE}/UetTags/QueryByIds`, read, async (request, reply) => {
    const body = bodyOf(request.body);
    if (body instanceof FaultReply) return body.send(reply);
    const ids = idList(body.TagIds, 'TagIds', true);
    if (ids instanceof FaultReply) return ids.send(reply);
    if (ids === null) return uetTagsResponseOf(await source.allTags());
    const errors: BatchError[] = [];
    const found = await source.tagsById(ids);
    const tags = ids.map((id, index) => {
      const known = found.get(id);
      if (known === undefined) {
        errors.push(batchError(index, 'UetTagIdInvalid', `no UET tag ${id} exists`, 'TagIds'));
        return null;
      }
      return uetTagsResponseOf([known.tag]).UetTags[0];
    });
    return { UetTags: tags, PartialErrors: errors };
  });

  app.post(`${BASE}/ConversionGoals/QueryByIds`, read, async (request, reply) => {
    const body = bodyOf(request.body);
    if (body instanceof FaultReply) return body.send(reply);
    const ids = idList(body.ConversionGoalIds, 'ConversionGoalIds', false);
    if (ids instanceof FaultReply) return ids.send(reply);
    const types = goalTypes(body.ConversionGoalTypes);
    if (types instanceof FaultReply) return types.send(reply);
    const options = writeOptions(body.ReturnAdditionalFields);
    const byId = await source.goalsById(ids as string[]);
    const errors: BatchError[] = [];
    const goals = (ids as string[]).map((id, index) => {
      const goal = byId.get(id);
      if (goal === undefined || (types !== undefined && !types.has(goal.Type))) {
        errors.push(
          batchError(
            index,
            'ConversionGoalIdInvalid',
            `no conversion goal ${id} of the requested types exists`,
            'ConversionGoalIds',
          ),
        );
        return null;
      }
      return conversionGoalsResponseOf([goal], options).ConversionGoals[0];
    });
    return { ConversionGoals: goals, PartialErrors: errors };
  });

  app.post(`${BASE}/ConversionGoals/QueryByTagIds`, read, async (request, reply) => {
    const body = bodyOf(request.body);
    if (body instanceof FaultReply) return body.send(reply);
    const ids = idList(body.TagIds, 'TagIds', false);
    if (ids instanceof FaultReply) return ids.send(reply);
    const types = goalTypes(body.ConversionGoalTypes);
    if (types instanceof FaultReply) return types.send(reply);
    const options = writeOptions(body.ReturnAdditionalFields);
    const errors: BatchError[] = [];
    const goals: GoalStatusRecord[] = [];
    const found = await source.tagsById(ids as string[]);
    (ids as string[]).forEach((id, index) => {
      const known = found.get(id);
      if (known === undefined) {
        errors.push(batchError(index, 'UetTagIdInvalid', `no UET tag ${id} exists`, 'TagIds'));
        return;
      }
      for (const goal of known.goals) {
        if (types === undefined || types.has(goal.Type)) goals.push(goal);
      }
    });
    return {
      ConversionGoals: conversionGoalsResponseOf(goals, options).ConversionGoals,
      PartialErrors: errors,
    };
  });
}

function bodyOf(body: unknown): Record<string, unknown> | FaultReply {
  if (typeof body === 'object' && body !== null && !Array.isArray(body))
    return body as Record<string, unknown>;
  return new FaultReply('InvalidRequest', 'The request body must be a JSON object.', 'body');
}

/** The ids of a request, as decimal strings; `null` when `nullMeansAll` and the list is null. */
function idList(
  value: unknown,
  field: string,
  nullMeansAll: boolean,
): string[] | null | FaultReply {
  if ((value === null || value === undefined) && nullMeansAll) return null;
  if (!Array.isArray(value) || value.length === 0) {
    return new FaultReply(
      'NullArrayArgument',
      `${field} must be a list of 1 to ${MAX_IDS} ids.`,
      field,
    );
  }
  if (value.length > MAX_IDS) {
    return new FaultReply(
      'ArrayExceedsLimit',
      `${field} holds ${value.length} ids; at most ${MAX_IDS} are allowed.`,
      field,
    );
  }
  const ids: string[] = [];
  for (const [index, item] of value.entries()) {
    const read = normalizeInt64Id(item);
    if ('expected' in read) {
      return new FaultReply(
        'InvalidId',
        `${field}[${index}] is not valid: expected ${read.expected}.`,
        `${field}[${index}]`,
      );
    }
    ids.push(read.id);
  }
  return ids;
}

/** `ConversionGoalTypes`: comma-separated or a list, of type names (`Url` or `UrlGoal`); all when absent. */
function goalTypes(value: unknown): Set<ConversionGoalType> | undefined | FaultReply {
  if (value === undefined || value === null) return undefined;
  const names =
    typeof value === 'string' ? value.split(/[,\s]+/).filter((name) => name !== '') : value;
  if (!Array.isArray(names)) {
    return new FaultReply(
      'InvalidConversionGoalTypes',
      'ConversionGoalTypes must be a list or comma-separated type names.',
      'ConversionGoalTypes',
    );
  }
  const types = new Set<ConversionGoalType>();
  for (const name of names) {
    const type = typeof name === 'string' ? GOAL_TYPE_SPELLINGS.get(name) : undefined;
    if (type === undefined || !isConversionGoalType(type)) {
      return new FaultReply(
        'InvalidConversionGoalTypes',
        `ConversionGoalTypes: ${JSON.stringify(name)} is not a conversion goal type.`,
        'ConversionGoalTypes',
      );
    }
    types.add(type);
  }
  return types;
}

function writeOptions(fields: unknown): GoalWriteOptions {
  const names =
    typeof fields === 'string' ? fields.split(/[,\s]+/) : Array.isArray(fields) ? fields : [];
  return {
    returnInactiveDueToTagUnavailable: names.includes(
      ConversionGoalTrackingStatus.InactiveDueToTagUnavailable,
    ),
  };
}

function batchError(index: number, errorCode: string, message: string, field: string): BatchError {
  return {
    Code: 1,
    Details: null,
    ErrorCode: errorCode,
    FieldPath: field,
    ForwardCompatibilityMap: null,
    Index: index,
    Message: message,
    Type: 'BatchError',
  };
}
