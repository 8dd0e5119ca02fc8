/** One Server-Sent Events client: where its events are written. */
export interface FeedClient {
  /** Writes text to the client. */
  write(text: string): void;
  /** How many bytes wait unsent to the client (a client too far behind is dropped). */
  readonly bufferedBytes: number;
  /** Ends the client's response. */
  end(): void;
}

/**
 * What `GET /changes` streams from: the single node's change feed (resume points are its
 * sequence numbers) or a front node's view of the cluster's change log (resume points name
 * a change of the cluster's one sequence).
 */
export interface ChangeStream<Position> {
  /** How many clients are connected. */
  readonly size: number;
  /** What a resume point looks like, for the error of a bad one. */
  readonly resumePointForm: string;
  /** The resume point a `Last-Event-ID` (or `?after=`) names; `undefined` when it names none. */
  resumePointOf(text: string): Position | undefined;
  /**
   * Connects a client: sends what it missed after `after` (none when undefined), then
   * every live change, nothing twice. Returns the function that disconnects it.
   */
  connect(client: FeedClient, after: Position | undefined): () => void;
}

/** The first bytes of every stream: a comment, and how soon a client should reconnect. */
export const STREAM_OPENING = ': uet-tag change stream\nretry: 1000\n\n';

/** The most a client may have buffered (unsent) before it is dropped as too slow, in bytes. */
const MAX_BUFFERED_BYTES = 8 * 1_048_576;

/**
 * A change as one Server-Sent Event: `change`, with its resume point as `id`.
 *
 * @example
 * ```ts
 * changeEventText('41', change); // 'id: 41\nevent: change\ndata: {...}\n\n'
 * ```
 */
export function changeEventText(id: string, change: object): string {
  return `id: ${id}\nevent: change\ndata: ${JSON.stringify(change)}\n\n`;
}

/**
 * The event that says changes a client asked for are no longer kept.
 *
 * @example
 * ```ts
 * gapEventText({ afterSeq: 1, firstKeptSeq: 3 }); // 'event: gap\ndata: {...}\n\n'
 * ```
 */
export function gapEventText(gap: object): string {
  return `event: gap\ndata: ${JSON.stringify(gap)}\n\n`;
}

/**
 * Writes text to a client, and ends it when it is too far behind; returns whether the
 * client is still connected.
 *
 * @example
 * ```ts
 * if (!sendOrDrop(client, text)) clients.delete(client);
 * ```
 */
export function sendOrDrop(client: FeedClient, text: string): boolean {
  client.write(text);
  if (client.bufferedBytes <= MAX_BUFFERED_BYTES) return true;
  client.end();
  return false;
}
