import type pg from 'pg';
import { Wakeup } from '../cluster/Wakeup.js';
import { ChannelListener } from '../postgres/ChannelListener.js';
import { CHANGES_CHANNEL } from '../postgres/commitStatements.js';
import {
  type ChangePosition,
  isChangeKept,
  lastSettledPosition,
  parsePosition,
  positionId,
  readSettledChanges,
  type SettledChange,
} from '../postgres/settledChanges.js';
import {
  type ChangeStream,
  changeEventText,
  type FeedClient,
  gapEventText,
  STREAM_OPENING,
  sendOrDrop,
} from './changeStream.js';

/** Options of {@link ClusterChangeFeed}. */
export interface ClusterChangeFeedOptions {
  /** The cluster's `postgresql://` URL, for the connection that `LISTEN`s. */
  readonly connectionString: string;
  /** How long to wait for a `NOTIFY` before reading the change log anyway. @default 250 */
  readonly pollMs?: number;
  /** Told when a read of the change log failed (it is tried again). */
  readonly failed?: (error: unknown) => void;
}

/** How many changes one read of the change log takes. */
const PAGE = 1_000;

/**
 * The change stream of a front node (`uet-tag serve --db postgresql://…`): the changes the
 * shards' owners commit to the cluster's change log, in one sequence over every shard (the
 * writing transaction, then the shard and its sequence number: see `readSettledChanges`),
 * as `change` events whose `id` is `<transaction>.<shard>.<seq>`. Woken by
 * `NOTIFY uet_changes`, and reading anyway every `pollMs`. A client that names the last id
 * it saw gets every change after it, then the live ones, nothing twice: on any node, after
 * a restart too, since the position is the cluster's and not the node's. Reads and
 * catch-ups run one at a time, so none can slip between a catch-up and the live changes. A
 * `gap` event says that the change resumed from is no longer kept (changes after it may
 * have been pruned too).
 *
 * @example
 * ```ts
 * const feed = new ClusterChangeFeed(pool, { connectionString });
 * await feed.start();
 * feed.connect(client, feed.resumePointOf('1627.3.41'));
 * ```
 */
export class ClusterChangeFeed implements ChangeStream<ChangePosition> {
  /** Clients that get live changes, with the last change each has (none yet: undefined). */
  private readonly live = new Map<FeedClient, ChangePosition | undefined>();
  private readonly connected = new Set<FeedClient>();
  private readonly wakeup = new Wakeup();
  private readonly listener: ChannelListener;
  private readonly pollMs: number;
  /** The last change sent to the live clients. */
  private head: ChangePosition | undefined;
  private work: Promise<void> = Promise.resolve();
  private loop: Promise<void> | undefined;
  private closed = false;

  /** Resume points are the ids of change events. */
  readonly resumePointForm =
    'the id of a change event of the cluster (<transaction>.<shard>.<seq>, all non-negative integers)';

  constructor(
    private readonly pool: pg.Pool,
    private readonly options: ClusterChangeFeedOptions,
  ) {
    this.pollMs = options.pollMs ?? 250;
    this.listener = new ChannelListener({
      connectionString: options.connectionString,
      channel: CHANGES_CHANNEL,
      applicationName: 'uet-tag serve changes',
      notified: () => this.wakeup.wake(),
    });
  }

  /** How many clients are connected. */
  get size(): number {
    return this.connected.size;
  }

  /** Starts at the last settled change, listens, and starts reading. */
  async start(): Promise<void> {
    this.head = await lastSettledPosition(this.pool);
    await this.listener.start();
    this.loop = this.readLoop();
  }

  /** The position `text` names; `undefined` when it names none. */
  resumePointOf(text: string): ChangePosition | undefined {
    return parsePosition(text);
  }

  /**
   * Connects a client: sends what it missed after `after` (none when undefined), then
   * every live change. Returns the function that disconnects it.
   */
  connect(client: FeedClient, after: ChangePosition | undefined): () => void {
    client.write(STREAM_OPENING);
    this.connected.add(client);
    if (after === undefined) this.live.set(client, undefined);
    else void this.oneAtATime(() => this.catchUp(client, after));
    return () => {
      this.connected.delete(client);
      this.live.delete(client);
    };
  }

  /** Sends a comment to every client, so proxies keep idle streams open. */
  keepAlive(): void {
    for (const client of this.live.keys()) this.send(client, ': keep-alive\n\n');
  }

  /** Stops reading and listening, and ends every client's stream. */
  async close(): Promise<void> {
    this.closed = true;
    this.wakeup.wake();
    await this.loop;
    await this.work;
    await this.listener.stop();
    for (const client of this.connected) client.end();
    this.connected.clear();
    this.live.clear();
  }

  private async readLoop(): Promise<void> {
    while (!this.closed) {
      await this.oneAtATime(() => this.readNew()).catch((error) => this.options.failed?.(error));
      await this.wakeup.wait(this.pollMs);
    }
  }

  /** Sends the changes settled after the head to every live client that lacks them. */
  private async readNew(): Promise<void> {
    for (;;) {
      const page = await readSettledChanges(this.pool, this.head, undefined, PAGE);
      for (const change of page) {
        const text = eventOf(change);
        for (const [client, has] of this.live) {
          if (has !== undefined && compare(change.position, has) <= 0) continue;
          if (this.send(client, text)) this.live.set(client, change.position);
        }
        this.head = change.position;
      }
      if (page.length < PAGE) return;
    }
  }

  /** Sends a client what it missed, up to the head, then makes it a live client. */
  private async catchUp(client: FeedClient, after: ChangePosition): Promise<void> {
    try {
      if (!(await isChangeKept(this.pool, after))) {
        client.write(gapEventText({ after: positionId(after) }));
      }
      let has = after;
      for (;;) {
        if (this.head === undefined || compare(has, this.head) >= 0) break;
        const page = await readSettledChanges(this.pool, has, this.head, PAGE);
        for (const change of page) {
          if (!this.send(client, eventOf(change))) return;
          has = change.position;
        }
        if (page.length < PAGE) break;
      }
      if (this.connected.has(client)) this.live.set(client, has);
    } catch (error) {
      // The client reconnects with its Last-Event-ID; nothing it was sent is lost.
      this.options.failed?.(error);
      this.connected.delete(client);
      client.end();
    }
  }

  private send(client: FeedClient, text: string): boolean {
    if (!this.connected.has(client)) return false;
    if (sendOrDrop(client, text)) return true;
    this.connected.delete(client);
    this.live.delete(client);
    return false;
  }

  /** Runs reads and catch-ups one after the other. */
  private oneAtATime(task: () => Promise<void>): Promise<void> {
    const run = this.work.then(task);
    this.work = run.catch(() => {});
    return run;
  }
}

function eventOf(change: SettledChange): string {
  return changeEventText(positionId(change.position), change.record);
}

/** The order of two positions: negative, zero or positive. */
function compare(a: ChangePosition, b: ChangePosition): number {
  const xa = BigInt(a.xid);
  const xb = BigInt(b.xid);
  if (xa !== xb) return xa < xb ? -1 : 1;
  return a.shard - b.shard || a.seq - b.seq;
}
