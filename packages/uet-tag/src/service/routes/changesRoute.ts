import type { FastifyInstance } from 'fastify';
import { ServiceHttpError } from '../ServiceHttpError.js';
import type { ServiceContext } from '../serviceContext.js';

/**
 * `GET /changes`: the live change stream as Server-Sent Events (see `ChangeFeed`). Each
 * change is an event `change` whose `id` is its sequence number; a reconnecting client's
 * `Last-Event-ID` (or `?after=<seq>`) resumes after it, across restarts too, since the
 * changes come from the store's change log. Without either, the stream starts with the
 * next change.
 */
export function registerChangesRoute(app: FastifyInstance, context: ServiceContext): void {
  app.get('/changes', { config: { access: 'read' } }, async (request, reply) => {
    const afterSeq = resumePointOf(
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
    const disconnect = context.feed.connect(
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

/** The sequence number to resume after: Last-Event-ID first, then `?after=`. */
function resumePointOf(header: unknown, query: unknown): number | undefined {
  const [value, field] = header !== undefined ? [header, 'last-event-id'] : [query, 'after'];
  if (value === undefined) return undefined;
  const text = String(value);
  const seq = Number(text);
  if (!/^\d{1,16}$/.test(text) || !Number.isSafeInteger(seq)) {
    throw new ServiceHttpError(
      400,
      'invalidField',
      'expected a change sequence number (a non-negative integer)',
      field,
      value,
    );
  }
  return seq;
}
