import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { ConversionGoalTrackingStatus, isConversionGoalTrackingStatus } from 'uet-tag-status';
import {
  listClusterGoals,
  listClusterTags,
  summarizeCluster,
} from '../../postgres/clusterQueries.js';
import { readClusterTag } from '../../postgres/clusterTagStatus.js';
import { ServiceHttpError } from '../ServiceHttpError.js';
import { everyStatus } from '../statusCounts.js';
import { goalViewOf, tagViewOf } from '../tagViews.js';
import { optionalStatus, type Query, tagListQuery } from './queryParameters.js';

/**
 * The queries of a `uet-tag serve --db postgresql://…` node, read from the cluster's
 * tables, in the single-node service's form, as the shards' owners last committed them
 * (inputs still in the input log are not reflected): `GET /summary` (tags and goals per
 * status; `windows` null before any worker started), `GET /tags` (filters `status`, `q`;
 * `limit`, `offset`; ordered by shard and registration), `GET /tags/{tagId}` (the tag,
 * its goals and its kept history; 404 `unknownTag` for a tag no worker has registered) and
 * `GET /goals` (filter `status`).
 */
export function registerClusterQueryRoutes(app: FastifyInstance, pool: pg.Pool): void {
  app.get('/summary', { config: { access: 'read' } }, async () => {
    const summary = await summarizeCluster(pool);
    const { tags, goals } = everyStatus(summary);
    return { now: new Date().toISOString(), windows: summary.windows ?? null, tags, goals };
  });

  app.get('/tags', { config: { access: 'read' } }, async (request) => {
    const query = request.query as Query;
    const { status, search, limit, offset } = tagListQuery(query);
    const found = await listClusterTags(pool, { status, search, limit, offset });
    const tags = found.tags.map(({ report, windows }) => tagViewOf(report, windows));
    return { total: found.total, offset, limit, tags };
  });

  app.get<{ Params: { tagId: string } }>(
    '/tags/:tagId',
    { config: { access: 'read' } },
    async (request) => {
      const { tagId } = request.params;
      const found = await readClusterTag(pool, tagId);
      if (found === undefined) {
        throw new ServiceHttpError(
          404,
          'unknownTag',
          `no tag ${JSON.stringify(tagId)} is registered`,
          'tagId',
          tagId,
        );
      }
      return { ...tagViewOf(found.report, found.windows), history: found.history };
    },
  );

  app.get('/goals', { config: { access: 'read' } }, async (request) => {
    const query = request.query as Query;
    const status = optionalStatus(
      query.status,
      isConversionGoalTrackingStatus,
      Object.values(ConversionGoalTrackingStatus),
    );
    const goals = (await listClusterGoals(pool, status)).map(({ tagId, goal, windows }) => ({
      tagId,
      ...goalViewOf(goal, windows),
    }));
    return { total: goals.length, goals };
  });
}
