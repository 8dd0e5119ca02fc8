import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Gauge, Registry } from 'prom-client';

/** What the metrics read from the worker when they are scraped. */
export interface WorkerMetricsSource {
  /** The shards held, with the input log position each applied. */
  held(): ReadonlyMap<number, number>;
  /** The last input log position of each shard (read from PostgreSQL). */
  heads(): Promise<ReadonlyMap<number, number>>;
}

/**
 * A worker's Prometheus metrics (prom-client, a registry of its own) on an HTTP server of
 * its own: `uet_worker_shards_owned`, `uet_worker_input_lag` (inputs appended to its shards
 * and not yet applied) and `uet_worker_takeovers_total` (shards claimed from another worker).
 *
 * @example
 * ```ts
 * const metrics = new WorkerMetrics(worker);
 * const url = await metrics.listen('127.0.0.1', 9464);
 * ```
 */
export class WorkerMetrics {
  readonly registry = new Registry();
  private readonly takeovers: Counter;
  private server: http.Server | undefined;

  constructor(source: WorkerMetricsSource) {
    new Gauge({
      name: 'uet_worker_shards_owned',
      help: 'Shards whose lease this worker holds.',
      registers: [this.registry],
      collect() {
        this.set(source.held().size);
      },
    });
    new Gauge({
      name: 'uet_worker_input_lag',
      help: "Inputs appended to this worker's shards and not yet applied.",
      registers: [this.registry],
      async collect() {
        const heads = await source.heads();
        let lag = 0;
        for (const [shard, position] of source.held())
          lag += (heads.get(shard) ?? position) - position;
        this.set(lag);
      },
    });
    this.takeovers = new Counter({
      name: 'uet_worker_takeovers_total',
      help: 'Shards this worker claimed from another worker.',
      registers: [this.registry],
    });
  }

  /** Counts one takeover. */
  tookOver(): void {
    this.takeovers.inc();
  }

  /** Serves `/metrics`; resolves with its URL. */
  listen(host: string, port: number): Promise<string> {
    const server = http.createServer((request, response) => {
      if (request.url !== '/metrics') {
        response.writeHead(404).end();
        return;
      }
      this.registry.metrics().then(
        (text) => response.writeHead(200, { 'content-type': this.registry.contentType }).end(text),
        (error: Error) => response.writeHead(500).end(error.message),
      );
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        const address = server.address() as AddressInfo;
        resolve(`http://${host}:${address.port}/metrics`);
      });
    });
  }

  /** Stops serving. */
  close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    return new Promise((resolve) =>
      server === undefined ? resolve() : server.close(() => resolve()),
    );
  }
}
