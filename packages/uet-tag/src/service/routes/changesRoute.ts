import type { FastifyInstance } from 'fastify';
import type { ChangeStream } from '../changeStream.js';
import { ServiceHttpError } from '../ServiceHttpError.js';

/**
 * `GET /changes`: the live change stream as Server-Sent Events (see `ChangeFeed` and
 * `ClusterChangeFeed`). Each change is an event `change` whose `id` is its resume point; a
 * reconnecting client's `Last-Event-ID` (or `?after=<id>`) resumes after it, across
 * restarts too, since the changes come from the store's change log. Without either, the
 * stream starts with the next change. A resume point the stream cannot read is a 400
 * naming the header or parameter.
 */
export function registerChangesRoute<Position>(
  app: FastifyInstance,
  context: { readonly feed: ChangeStream<Position> },
): void {
  const { feed } = context;
  app.get('/changes', { config: { access: 'read' } }, async (request, reply) => {
    const afterSeq = resumePointOf(
      feed,
      request.headers['last-event-id'],
      (request.query as Record<string, unknown>).after,
    );
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    raw.socket?.setNoDelay(true);
    const disconnect = feed.connect(
      {
        write: (text) => {
          raw.write(text);
        },
        end: () => raw.end(),
        get bufferedBytes() {
          return raw.writableLength;
        },
      },
      afterSeq,
    );
    request.raw.on('close', disconnect);
  });
}

/** The point to resume after: Last-Event-ID first, then `?after=`. */
function resumePointOf<Position>(
  feed: ChangeStream<Position>,
  header: unknown,
  query: unknown,
): Position | undefined {
  const [value, field] = header !== undefined ? [header, 'last-event-id'] : [query, 'after'];
  if (value === undefined) return undefined;
  const point = feed.resumePointOf(String(value));
  if (point === undefined) {
    throw new ServiceHttpError(
      400,
      'invalidField',
      `expected ${feed.resumePointForm}`,
      field,
      value,
    );
  }
  return point;
}
