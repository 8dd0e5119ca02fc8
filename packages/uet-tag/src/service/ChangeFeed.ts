import type { MonitorStatusChange } from 'uet-tag-status';
import type { DeadlineWarning } from './DeadlineWarnings.js';
import type { ChangeSource } from './DurableChanges.js';

/** One Server-Sent Events client: where its events are written. */
export interface FeedClient {
  /** Writes text to the client. */
  write(text: string): void;
  /** How many bytes wait unsent to the client (a client too far behind is dropped). */
  readonly bufferedBytes: number;
  /** Ends the client's response. */
  end(): void;
}

/** How many changes one read of the change log takes while a client catches up. */
const REPLAY_PAGE = 1_000;

/** The most a client may have buffered (unsent) before it is dropped as too slow, in bytes. */
const MAX_BUFFERED_BYTES = 8 * 1_048_576;

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
export class ChangeFeed {
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

  /**
   * Connects a client: sends what it missed after `afterSeq` (none when undefined), then
   * every live change. Returns the function that disconnects it.
   */
  connect(client: FeedClient, afterSeq: number | undefined): () => void {
    client.write(': uet-tag change stream\nretry: 1000\n\n');
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
        const gap = { afterSeq, firstKeptSeq: first.seq };
        client.write(`event: gap\ndata: ${JSON.stringify(gap)}\n\n`);
      }
      for (const change of page) client.write(changeEvent(change));
      after = (page[page.length - 1] as MonitorStatusChange).seq;
      if (page.length < REPLAY_PAGE) return;
    }
  }

  private broadcast(text: string): void {
    for (const client of this.clients) {
      client.write(text);
      if (client.bufferedBytes > MAX_BUFFERED_BYTES) {
        this.clients.delete(client);
        client.end();
      }
    }
  }
}

/** A change as one Server-Sent Event. */
function changeEvent(change: MonitorStatusChange): string {
  return `id: ${change.seq}\nevent: change\ndata: ${JSON.stringify(change)}\n\n`;
}
