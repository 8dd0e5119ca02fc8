import pg from 'pg';
import { quoteIdentifier } from './SyncPostgres.js';

/** Options of {@link ChannelListener}. */
export interface ChannelListenerOptions {
  /** A `postgresql://` URL. */
  readonly connectionString: string;
  /** The channel to `LISTEN` on. */
  readonly channel: string;
  /** The connection's `application_name`, as `pg_stat_activity` shows it. */
  readonly applicationName: string;
  /** Called at each notification on the channel. */
  readonly notified: () => void;
  /** Told when the connection could not be made or listened (it is tried again). */
  readonly failed?: (message: string) => void;
}

/**
 * A connection that `LISTEN`s on one channel and is made again when it is lost (a
 * terminated backend, a restarted server), so that a loop waiting for work is woken as soon
 * as it exists. Notifications are only hints: a listener's owner still looks for work after
 * a timeout, since notifications sent while the connection was down are lost.
 *
 * @example
 * ```ts
 * const listener = new ChannelListener({ connectionString, channel: 'uet_inputs', applicationName: 'uet-tag worker', notified: () => wakeup.wake() });
 * await listener.start();
 * ```
 */
export class ChannelListener {
  private client: pg.Client | undefined;
  private stopped = false;

  constructor(private readonly options: ChannelListenerOptions) {}

  /** Connects and listens; on failure, tries again in the background. */
  async start(): Promise<void> {
    if (this.stopped) return;
    const { options } = this;
    const client = new pg.Client({
      connectionString: options.connectionString,
      application_name: options.applicationName,
    });
    client.on('notification', () => options.notified());
    client.on('error', () => {
      if (this.client !== client) return;
      this.client = undefined;
      this.retry(200);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${quoteIdentifier(options.channel)}`);
      // Stopped while connecting: this connection is not kept.
      if (this.stopped) await client.end();
      else this.client = client;
    } catch (error) {
      await client.end().catch(() => {});
      options.failed?.(`LISTEN: ${(error as Error).message}`);
      this.retry(500);
    }
  }

  /** Closes the connection; it is not made again. */
  async stop(): Promise<void> {
    this.stopped = true;
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => {});
  }

  private retry(afterMs: number): void {
    setTimeout(() => void this.start().catch(() => {}), afterMs).unref();
  }
}
