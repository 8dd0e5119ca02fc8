import type { MonitorStatusChange } from 'uet-tag-status';
import {
  type ChangeStream,
  changeEventText,
  type FeedClient,
  gapEventText,
  STREAM_OPENING,
  sendOrDrop,
} from './changeStream.js';
import type { DeadlineWarning } from './DeadlineWarnings.js';
import type { ChangeSource } from './DurableChanges.js';

/** How many changes one read of the change log takes while a client catches up. */
const REPLAY_PAGE = 1_000;

/**
 * The live change stream of `GET /changes`: every status change as a Server-Sent Event
 * whose `id` is its sequence number, and early warnings as `warning` events (no `id`, so
 * that they never move a client's resume point). A client that names the last `seq` it
 * saw (`Last-Event-ID`, or `?after=`) first gets every change after it from the store's
 * change log, then the live ones, with nothing lost or repeated; the whole catch-up runs
 * in one turn of the event loop, so no live change can slip in between. A `gap` event says
 * when changes it asked for are no longer kept.
 *
 * @example
 * ```ts
 * const feed = new ChangeFeed(monitor);
 * feed.connect(client, 41); // client: write, end, bufferedBytes over the reply's socket
 * ```
 */
export class ChangeFeed implements ChangeStream<number> {
  private readonly clients = new Set<FeedClient>();
  private readonly unsubscribe: () => void;

  /** @param monitor The monitor, or its changes once durable (`DurableChanges`). */
  constructor(private readonly monitor: ChangeSource) {
    this.unsubscribe = monitor.subscribe((change) => this.broadcast(changeEvent(change)));
  }

  /** How many clients are connected. */
  get size(): number {
    return this.clients.size;
  }

  /** Resume points are changes' sequence numbers. */
  readonly resumePointForm = 'a change sequence number (a non-negative integer)';

  /** The sequence number `text` is; `undefined` when it is not one. */
  resumePointOf(text: string): number | undefined {
    const seq = Number(text);
    return /^\d{1,16}$/.test(text) && Number.isSafeInteger(seq) ? seq : undefined;
  }

  /**
   * Connects a client: sends what it missed after `afterSeq` (none when undefined), then
   * every live change. Returns the function that disconnects it.
   */
  connect(client: FeedClient, afterSeq: number | undefined): () => void {
    client.write(STREAM_OPENING);
    if (afterSeq !== undefined) this.replay(client, afterSeq);
    this.clients.add(client);
    return () => {
      this.clients.delete(client);
    };
  }

  /** Sends an early warning to every client. */
  warn(warning: DeadlineWarning): void {
    this.broadcast(`event: warning\ndata: ${JSON.stringify(warning)}\n\n`);
  }

  /** Sends a comment to every client, so proxies keep idle streams open. */
  keepAlive(): void {
    this.broadcast(': keep-alive\n\n');
  }

  /** Ends every client's stream and stops listening to the monitor. */
  close(): void {
    this.unsubscribe();
    for (const client of this.clients) client.end();
    this.clients.clear();
  }

  private replay(client: FeedClient, afterSeq: number): void {
    let after = afterSeq;
    for (;;) {
      const page = this.monitor.changesAfter(after, REPLAY_PAGE);
      const first = page[0];
      if (first === undefined) return;
      if (after === afterSeq && first.seq > afterSeq + 1) {
        client.write(gapEventText({ afterSeq, firstKeptSeq: first.seq }));
      }
      for (const change of page) client.write(changeEvent(change));
      after = (page[page.length - 1] as MonitorStatusChange).seq;
      if (page.length < REPLAY_PAGE) return;
    }
  }

  private broadcast(text: string): void {
    for (const client of this.clients) {
      if (!sendOrDrop(client, text)) this.clients.delete(client);
    }
  }
}

/** A change as one Server-Sent Event. */
function changeEvent(change: MonitorStatusChange): string {
  return changeEventText(String(change.seq), change);
}
