import type { FastifyInstance } from 'fastify';
import {
  ConversionGoalTrackingStatus,
  isConversionGoalTrackingStatus,
  TrackingInputError,
} from 'uet-tag-status';
import { ServiceHttpError } from '../ServiceHttpError.js';
import type { ServiceContext } from '../serviceContext.js';
import { monitorStatusCounts } from '../statusCounts.js';
import { tagViewOf } from '../tagViews.js';
import { optionalStatus, type Query, tagListQuery } from './queryParameters.js';

/**
 * The read queries (read token): `GET /summary` (tags and goals per status), `GET /tags`
 * (filters `status`, `q` a substring of the id; `limit`, `offset`), `GET /tags/{tagId}`
 * (status, since, last data, next deadline, goals, history), `GET /goals` (filter
 * `status`). Times are ISO 8601 UTC; a bad filter is a 400 naming it.
 */
export function registerQueryRoutes(app: FastifyInstance, context: ServiceContext): void {
  const { monitor } = context;
  app.get('/summary', { config: { access: 'read' } }, async () => {
    const { tags, goals } = monitorStatusCounts(monitor);
    return { now: new Date(monitor.now()).toISOString(), windows: monitor.windows, tags, goals };
  });

  app.get('/tags', { config: { access: 'read' } }, async (request) => {
    const query = request.query as Query;
    const { status, search, limit, offset } = tagListQuery(query);
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
