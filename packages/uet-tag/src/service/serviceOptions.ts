import type { FastifyInstance } from 'fastify';
import type { RuntimeClock } from 'uet-tag-status';

/** Options of `createService` and `createFrontService` beyond the configuration. */
export interface ServiceOptions {
  /** Where logs go (a stream of JSON lines); the process's stdout when left out. */
  readonly logStream?: { write(line: string): unknown };
  /** The monitor's clock; the real one when left out. */
  readonly clock?: RuntimeClock;
}

/** A running `uet-tag serve`: its HTTP server, and how to stop it. */
export interface RunningService {
  readonly app: FastifyInstance;
  /** Starts listening; resolves with the base URL (`http://127.0.0.1:40123`). */
  listen(): Promise<string>;
  /**
   * Graceful shutdown: stops taking traffic, ends the change streams, lets the requests in
   * flight finish (their inputs are committed), commits what waits, closes the store.
   */
  close(): Promise<void>;
}
