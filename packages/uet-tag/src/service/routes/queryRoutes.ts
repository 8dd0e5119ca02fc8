import type { FastifyInstance } from 'fastify';
import {
  ConversionGoalTrackingStatus,
  isConversionGoalTrackingStatus,
  isUetTagTrackingStatus,
  TrackingInputError,
  UetTagTrackingStatus,
} from 'uet-tag-status';
import { ServiceHttpError } from '../ServiceHttpError.js';
import type { ServiceContext } from '../serviceContext.js';
import { tagViewOf } from '../tagViews.js';

type Query = Record<string, unknown>;

/**
 * The read queries (read token): `GET /summary` (tags and goals per status), `GET /tags`
 * (filters `status`, `q` a substring of the id; `limit`, `offset`), `GET /tags/{tagId}`
 * (status, since, last data, next deadline, goals, history), `GET /goals` (filter
 * `status`). Times are ISO 8601 UTC; a bad filter is a 400 naming it.
 */
export function registerQueryRoutes(app: FastifyInstance, context: ServiceContext): void {
  const { monitor } = context;
  app.get('/summary', { config: { access: 'read' } }, async () => {
    const tags: Record<string, number> = {};
    for (const status of Object.values(UetTagTrackingStatus))
      tags[status] = monitor.tagsInStatus(status).length;
    const goals: Record<string, number> = {};
    for (const status of Object.values(ConversionGoalTrackingStatus))
      goals[status] = monitor.goalsInStatus(status).length;
    return { now: new Date(monitor.now()).toISOString(), windows: monitor.windows, tags, goals };
  });

  app.get('/tags', { config: { access: 'read' } }, async (request) => {
    const query = request.query as Query;
    const status = optionalStatus(
      query.status,
      isUetTagTrackingStatus,
      Object.values(UetTagTrackingStatus),
    );
    const search = optionalText(query.q, 'q');
    const limit = integerParameter(query.limit, 'limit', 1, 10_000, 100);
    const offset = integerParameter(query.offset, 'offset', 0, Number.MAX_SAFE_INTEGER, 0);
    const matching = [];
    let total = 0;
    for (const report of monitor.statuses()) {
      if (status !== undefined && report.status !== status) continue;
      if (search !== undefined && !report.tagId.toLowerCase().includes(search.toLowerCase()))
        continue;
      if (total >= offset && matching.length < limit)
        matching.push(tagViewOf(report, monitor.windows));
      total++;
    }
    return { total, offset, limit, tags: matching };
  });

  app.get<{ Params: { tagId: string } }>(
    '/tags/:tagId',
    { config: { access: 'read' } },
    async (request) => {
      const { tagId } = request.params;
      try {
        const view = tagViewOf(monitor.status(tagId), monitor.windows);
        return { ...view, history: monitor.history(tagId) };
      } catch (error) {
        if (error instanceof TrackingInputError && error.code === 'unknownTag') {
          throw new ServiceHttpError(
            404,
            'unknownTag',
            `no tag ${JSON.stringify(tagId)} is registered`,
            'tagId',
            tagId,
          );
        }
        throw error;
      }
    },
  );

  app.get('/goals', { config: { access: 'read' } }, async (request) => {
    const query = request.query as Query;
    const status = optionalStatus(
      query.status,
      isConversionGoalTrackingStatus,
      Object.values(ConversionGoalTrackingStatus),
    );
    const goals = [];
    for (const report of monitor.statuses()) {
      for (const goal of tagViewOf(report, monitor.windows).goals) {
        if (status === undefined || goal.status === status)
          goals.push({ tagId: report.tagId, ...goal });
      }
    }
    return { total: goals.length, goals };
  });
}

function optionalStatus<S extends string>(
  value: unknown,
  isStatus: (value: unknown) => value is S,
  all: readonly string[],
): S | undefined {
  if (value === undefined) return undefined;
  if (isStatus(value)) return value;
  throw new ServiceHttpError(
    400,
    'invalidField',
    `expected one of ${all.join(', ')}`,
    'status',
    value,
  );
}

function optionalText(value: unknown, field: string): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value === 'string' && value.length <= 256) return value;
  throw new ServiceHttpError(
    400,
    'invalidField',
    'expected one text of at most 256 characters',
    field,
    value,
  );
}

function integerParameter(
  value: unknown,
  field: string,
  min: number,
  max: number,
  fallback: number,
): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (typeof value === 'string' && /^\d{1,16}$/.test(value) && parsed >= min && parsed <= max)
    return parsed;
  throw new ServiceHttpError(
    400,
    'invalidField',
    `expected an integer from ${min} to ${max}`,
    field,
    value,
  );
}
