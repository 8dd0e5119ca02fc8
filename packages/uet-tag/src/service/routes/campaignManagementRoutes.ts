import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import {
  ConversionGoalTrackingStatus,
  type ConversionGoalType,
  isConversionGoalType,
} from 'uet-tag-status';
import { describeValue } from 'uet-tag-status/engine';
import { GOAL_TYPE_SPELLINGS } from '../../advertising/apiValueSets.js';
import { normalizeInt64Id } from '../../advertising/fieldSchemas.js';
import {
  conversionGoalsResponseOf,
  type GoalStatusRecord,
  type GoalWriteOptions,
  uetTagsResponseOf,
} from '../../advertising/writeAdvertisingObjects.js';
import type { CampaignStatusSource } from '../campaignStatusSource.js';
import {
  type BatchError,
  batchError,
  type CampaignManagementErrorCode,
  operationError,
} from './campaignManagementErrors.js';

/** The base of the stand-in's paths, as the REST API's. */
const BASE = '/CampaignManagement/v13';

/** The most ids one request may name, as the API allows. */
const MAX_IDS = 100;

/**
 * A bad request, answered as the API answers one: 400 with
 * `{"ApplicationFault": {"TrackingId", "Type": "ApiFaultDetail", "OperationErrors": [...], "BatchErrors": []}}`.
 */
class FaultReply {
  constructor(
    readonly errorCode: CampaignManagementErrorCode,
    readonly message: string,
    readonly field: string,
  ) {}

  send(reply: FastifyReply): FastifyReply {
    return reply.code(400).send({
      ApplicationFault: {
        TrackingId: randomUUID(),
        Type: 'ApiFaultDetail',
        BatchErrors: [],
        OperationErrors: [operationError(this.errorCode, this.message, this.field)],
      },
    });
  }
}

/** How a request's list of ids is read: what an absent or empty list means, and its codes. */
interface IdListRule {
  readonly field: string;
  /** `all`: null or empty asks for everything, as the API documents for this list. */
  readonly whenEmpty: 'all' | 'refuse';
  readonly tooMany: CampaignManagementErrorCode;
  readonly invalid: CampaignManagementErrorCode;
}

const TAG_IDS_OR_ALL: IdListRule = {
  field: 'TagIds',
  whenEmpty: 'all',
  tooMany: 'UetTagIdsExceedsLimit',
  invalid: 'InvalidUetTagId',
};
const TAG_IDS: IdListRule = { ...TAG_IDS_OR_ALL, whenEmpty: 'refuse' };
const GOAL_IDS_OR_ALL: IdListRule = {
  field: 'ConversionGoalIds',
  whenEmpty: 'all',
  tooMany: 'ConversionGoalIdArrayExceedsLimit',
  invalid: 'InvalidConversionGoalId',
};

/**
 * A stand-in for the Campaign Management API's read operations that return tracking
 * statuses (SPEC A3), with the tags and goals this service watches, so that a team can run
 * its app's integration tests against simulated tags: `POST …/UetTags/QueryByIds`
 * (`GetUetTagsByIds`: `TagIds`, null or empty for every tag; an unknown id reads `null`
 * with a BatchError at its index), `POST …/ConversionGoals/QueryByIds`
 * (`GetConversionGoalsByIds`, in request order; null or empty `ConversionGoalIds` for
 * every goal of the types) and `POST …/ConversionGoals/QueryByTagIds`
 * (`GetConversionGoalsByTagIds`), the goal operations filtered by `ConversionGoalTypes`,
 * which they require as the API does. `InactiveDueToTagUnavailable` is returned only when
 * `ReturnAdditionalFields` names it; otherwise such a goal reads `TagInactive`, as the API
 * does. Errors carry the API's documented codes (`CAMPAIGN_MANAGEMENT_ERROR_CODES`). The
 * statuses come from `source`: the single node's monitor, or a cluster's tables on a front
 * node.
 */
export function registerCampaignManagementRoutes(
  app: FastifyInstance,
  source: CampaignStatusSource,
): void {
  const read = { config: { access: 'read' as const } };

  app.post(`${BASE}/UetTags/QueryByIds`, read, async (request, reply) => {
    const body = bodyOf(request.body);
    if (body instanceof FaultReply) return body.send(reply);
    const ids = idList(body.TagIds, TAG_IDS_OR_ALL);
    if (ids instanceof FaultReply) return ids.send(reply);
    if (ids === null) return uetTagsResponseOf(await source.allTags());
    const errors: BatchError[] = [];
    const found = await source.tagsById(ids);
    const tags = ids.map((id, index) => {
      const known = found.get(id);
      if (known === undefined) {
        errors.push(batchError(index, 'InvalidUetTagId', `no UET tag ${id} exists`, 'TagIds'));
        return null;
      }
      return uetTagsResponseOf([known.tag]).UetTags[0];
    });
    return { UetTags: tags, PartialErrors: errors };
  });

  app.post(`${BASE}/ConversionGoals/QueryByIds`, read, async (request, reply) => {
    const body = bodyOf(request.body);
    if (body instanceof FaultReply) return body.send(reply);
    const ids = idList(body.ConversionGoalIds, GOAL_IDS_OR_ALL);
    if (ids instanceof FaultReply) return ids.send(reply);
    const types = goalTypes(body.ConversionGoalTypes);
    if (types instanceof FaultReply) return types.send(reply);
    const options = writeOptions(body.ReturnAdditionalFields);
    if (ids === null) {
      const goals = (await source.allGoals()).filter((goal) => types.has(goal.Type));
      return { ...conversionGoalsResponseOf(goals, options), PartialErrors: [] };
    }
    const byId = await source.goalsById(ids);
    const errors: BatchError[] = [];
    const goals = ids.map((id, index) => {
      const goal = byId.get(id);
      if (goal === undefined || !types.has(goal.Type)) {
        errors.push(
          batchError(
            index,
            'InvalidConversionGoalId',
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
    const ids = idList(body.TagIds, TAG_IDS) as string[] | FaultReply;
    if (ids instanceof FaultReply) return ids.send(reply);
    const types = goalTypes(body.ConversionGoalTypes);
    if (types instanceof FaultReply) return types.send(reply);
    const options = writeOptions(body.ReturnAdditionalFields);
    const errors: BatchError[] = [];
    const goals: GoalStatusRecord[] = [];
    const found = await source.tagsById(ids);
    ids.forEach((id, index) => {
      const known = found.get(id);
      if (known === undefined) {
        errors.push(batchError(index, 'InvalidUetTagId', `no UET tag ${id} exists`, 'TagIds'));
        return;
      }
      for (const goal of known.goals) if (types.has(goal.Type)) goals.push(goal);
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
  return new FaultReply('NullRequest', 'The request body must be a JSON object.', 'body');
}

/** The ids of a request, as decimal strings; `null` for every item where the rule allows it. */
function idList(value: unknown, rule: IdListRule): string[] | null | FaultReply {
  const { field } = rule;
  const empty = value === null || value === undefined || (Array.isArray(value) && !value.length);
  if (empty && rule.whenEmpty === 'all') return null;
  if (!Array.isArray(value) || value.length === 0) {
    return new FaultReply(
      'NullArrayArgument',
      `${field} must be a list of 1 to ${MAX_IDS} ids.`,
      field,
    );
  }
  if (value.length > MAX_IDS) {
    return new FaultReply(
      rule.tooMany,
      `${field} holds ${value.length} ids; at most ${MAX_IDS} are allowed.`,
      field,
    );
  }
  const ids: string[] = [];
  for (const [index, item] of value.entries()) {
    const read = normalizeInt64Id(item);
    if ('expected' in read) {
      return new FaultReply(
        rule.invalid,
        `${field}[${index}] is not valid: expected ${read.expected}.`,
        `${field}[${index}]`,
      );
    }
    ids.push(read.id);
  }
  return ids;
}

/** `ConversionGoalTypes` (required): space- or comma-separated, or a list, of type names (`Url` or `UrlGoal`). */
function goalTypes(value: unknown): Set<ConversionGoalType> | FaultReply {
  const names =
    typeof value === 'string' ? value.split(/[,\s]+/).filter((name) => name !== '') : value;
  if (!Array.isArray(names) || names.length === 0) {
    return new FaultReply(
      'ConversionGoalTypesNotPassed',
      `ConversionGoalTypes is required: one or more conversion goal types, got ${value === undefined ? 'nothing' : describeValue(value)}.`,
      'ConversionGoalTypes',
    );
  }
  const types = new Set<ConversionGoalType>();
  for (const name of names) {
    const type = typeof name === 'string' ? GOAL_TYPE_SPELLINGS.get(name) : undefined;
    if (type === undefined || !isConversionGoalType(type)) {
      return new FaultReply(
        'ConversionGoalTypesNotPassed',
        `ConversionGoalTypes: ${describeValue(name)} is not a conversion goal type.`,
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
