import pg from 'pg';
import { quoteIdentifier } from './SyncPostgres.js';

/** Options of {@link NotificationListener}. */
export interface NotificationListenerOptions {
  /** A `postgresql://` URL. */
  readonly connectionString: string;
  /** The channel to `LISTEN` on. */
  readonly channel: string;
  readonly applicationName: string;
  /** Called at every notification on the channel. */
  readonly onNotify: () => void;
  /** Told why listening failed (it is tried again in half a second). */
  readonly onError?: (error: Error) => void;
}

/**
 * One connection that `LISTEN`s on a channel, made again when it is lost (a terminated
 * backend, a restarted server): notifications only wake readers up, so one missed while
 * reconnecting costs the readers' next poll, never data.
 *
 * @example
 * ```ts
 * const listener = new NotificationListener({ connectionString, channel: 'uet_changes', applicationName: 'uet-tag serve', onNotify: () => dispatcher.poke() });
 * await listener.start();
 * ```
 */
export class NotificationListener {
  private client: pg.Client | undefined;
  private stopped = false;

  constructor(private readonly options: NotificationListenerOptions) {}

  /** Connects and listens; resolves once listening, or once the first try failed. */
  async start(): Promise<void> {
    if (this.stopped) return;
    const { connectionString, applicationName, channel } = this.options;
    const client = new pg.Client({ connectionString, application_name: applicationName });
    client.on('notification', () => this.options.onNotify());
    client.on('error', () => {
      if (this.client !== client) return;
      this.client = undefined;
      this.retry(200);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${quoteIdentifier(channel)}`);
      this.client = client;
    } catch (error) {
      await client.end().catch(() => {});
      this.options.onError?.(error as Error);
      this.retry(500);
    }
  }

  /** Stops listening and closes the connection. */
  async stop(): Promise<void> {
    this.stopped = true;
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => {});
  }

  private retry(afterMs: number): void {
    if (this.stopped) return;
    setTimeout(() => void this.start().catch(() => {}), afterMs).unref();
  }
}
