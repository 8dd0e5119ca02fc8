import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { readClusterTag } from '../../postgres/clusterTagStatus.js';
import { ServiceHttpError } from '../ServiceHttpError.js';
import { tagViewOf } from '../tagViews.js';

/**
 * The queries of a `uet-tag serve --db postgresql://…` node, read from the cluster's
 * tables: `GET /tags/{tagId}`, the tag, its goals and its kept history as its shard's owner
 * last committed them, in the single-node service's form; 404 `unknownTag` for a tag no
 * worker has registered (yet: inputs still in the input log are not reflected).
 */
export function registerClusterQueryRoutes(app: FastifyInstance, pool: pg.Pool): void {
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
}
