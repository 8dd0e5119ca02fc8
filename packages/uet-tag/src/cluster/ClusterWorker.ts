import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type pg from 'pg';
import type { RuntimeClock, TrackingWindows } from 'uet-tag-status';
import { ChannelListener } from '../postgres/ChannelListener.js';
import { prepareCluster } from '../postgres/cluster.js';
import { createClusterPool } from '../postgres/clusterPool.js';
import { isConnectionLoss } from '../postgres/connectionLoss.js';
import { INPUTS_CHANNEL, readInputs } from '../postgres/inputLog.js';
import { SyncPostgres } from '../postgres/SyncPostgres.js';
import { warningCheckEveryMs } from '../service/DeadlineWarnings.js';
import { LeaseKeeper } from './LeaseKeeper.js';
import { ShardRunner } from './ShardRunner.js';
import { Wakeup } from './Wakeup.js';
import { WorkerMetrics } from './WorkerMetrics.js';

/** How many expired leases a worker looks at per round when it needs shards. */
const SHARDS_LOOKED_AT = 64;

/** Options of {@link ClusterWorker}. */
export interface ClusterWorkerOptions {
  /** A `postgresql://` URL. */
  readonly connectionString: string;
  /** @default 'uet' */
  readonly schema?: string;
  /**
   * The cluster's shard count, fixed when its schema is first prepared (a worker given
   * another count is refused).
   * @default the schema's count; 16 for a new schema
   */
  readonly shards?: number;
  /** How long a lease and a heartbeat last without renewal. @default 10_000 */
  readonly leaseTtlMs?: number;
  /** Most inputs applied per commit. @default 2_000 */
  readonly batchSize?: number;
  /** How long to wait for a `NOTIFY` before looking at the input log anyway. @default 1_000 */
  readonly pollMs?: number;
  readonly windows?: Partial<TrackingWindows>;
  readonly allowedSkewMs?: number;
  readonly historyLimit?: number;
  readonly autoRegister?: boolean;
  readonly clock?: RuntimeClock;
  /**
   * Warn when a tag turns Inactive within this long if nothing arrives: each shard's owner
   * logs one warning per tag and deadline to the warning log, which front nodes deliver to
   * webhooks. None when left out.
   */
  readonly warnBeforeMs?: number;
  /**
   * Serves Prometheus metrics on this port of 127.0.0.1 (0: any free one); none when left
   * out. The `started` event has their URL.
   */
  readonly metricsPort?: number;
  /** Told what the worker does: one plain object per event (see `uet-tag worker`). */
  readonly onEvent?: (event: WorkerEvent) => void;
}

/** What a worker reports: shards claimed, released, lost, and failures it survived. */
export type WorkerEvent =
  | { kind: 'started'; worker: string; shards: number; metrics?: string }
  | {
      kind: 'claimed';
      shard: number;
      token: number;
      from: string | null;
      resumedAt: number;
      tags: number;
      openMs: number;
    }
  | { kind: 'released'; shard: number }
  | { kind: 'warned'; shard: number; warnings: number }
  | { kind: 'lost'; shard: number; reason: string }
  | { kind: 'error'; message: string }
  | { kind: 'stopped'; worker: string };

/**
 * A worker of a cluster on PostgreSQL: it holds leases on some of the cluster's shards
 * (as many as its share among the live workers), runs a monitor for each, applies each
 * shard's input log in order, and renews its leases and heartbeat every third of their
 * time to live. A shard whose lease it lost (it was stopped, cut off, or a commit was
 * fenced) is dropped at once; one whose lease expired is claimed by whoever needs shards.
 *
 * @example
 * ```ts
 * const worker = new ClusterWorker({ connectionString: 'postgresql://postgres@127.0.0.1/test' });
 * await worker.start();
 * process.once('SIGTERM', () => void worker.stop());
 * ```
 */
export class ClusterWorker {
  /** This worker's id (its owner name in `leases`). */
  readonly id = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly schema: string;
  private readonly leaseTtlMs: number;
  private readonly batchSize: number;
  private readonly pool: pg.Pool;
  private readonly sql: SyncPostgres;
  private readonly leases: LeaseKeeper;
  private readonly runners = new Map<number, ShardRunner>();
  private readonly wakeup = new Wakeup();
  /** Wakes the control loop early: at stop. */
  private readonly controlWakeup = new Wakeup();
  /** Wakes the warning loop early: at stop. */
  private readonly warnWakeup = new Wakeup();
  private shardCount = 0;
  private stopping = false;
  private readonly listener: ChannelListener;
  private loops: Promise<unknown>[] = [];
  private metrics: WorkerMetrics | undefined;

  constructor(private readonly options: ClusterWorkerOptions) {
    this.schema = options.schema ?? 'uet';
    this.leaseTtlMs = options.leaseTtlMs ?? 10_000;
    this.batchSize = options.batchSize ?? 2_000;
    const applicationName = `uet-tag worker ${this.id}`;
    this.pool = createClusterPool(options.connectionString, this.schema, 4, applicationName);
    this.sql = new SyncPostgres({
      connectionString: options.connectionString,
      schema: this.schema,
      applicationName,
      idleInTransactionMs: this.leaseTtlMs,
      timeoutMs: Math.max(this.leaseTtlMs, 10_000),
    });
    this.leases = new LeaseKeeper(this.pool, this.id, this.leaseTtlMs);
    this.listener = new ChannelListener({
      connectionString: options.connectionString,
      channel: INPUTS_CHANNEL,
      applicationName,
      notified: () => this.wakeup.wake(),
      failed: (message) => this.emit({ kind: 'error', message }),
    });
  }

  /** The shards held now, by shard, with their input log positions. */
  held(): ReadonlyMap<number, number> {
    return new Map([...this.runners].map(([shard, runner]) => [shard, runner.cursor]));
  }

  /** Prepares the schema, registers, and starts the control and consuming loops. */
  async start(): Promise<void> {
    const { connectionString } = this.options;
    this.shardCount = prepareCluster(
      { connectionString, schema: this.schema },
      this.options.shards,
    );
    await this.register();
    // Stopped while it registered (a signal during an outage): nothing more is started.
    if (this.stopping) return;
    let metricsUrl: string | undefined;
    if (this.options.metricsPort !== undefined) {
      this.metrics = new WorkerMetrics({ held: () => this.held(), heads: () => this.heads() });
      metricsUrl = await this.metrics.listen('127.0.0.1', this.options.metricsPort);
    }
    this.emit({
      kind: 'started',
      worker: this.id,
      shards: this.shardCount,
      ...(metricsUrl === undefined ? {} : { metrics: metricsUrl }),
    });
    await this.listener.start();
    if (this.stopping) return;
    this.loops = [this.controlLoop(), this.consumeLoop(), this.warnLoop()];
  }

  /**
   * Registers the worker, again and again while its connection is cut (a restart of
   * PostgreSQL, a partition: a worker that starts then must not die of it), each time
   * told as an `error` event, 200 ms apart, doubling to 2 s. Other errors are thrown.
   */
  private async register(): Promise<void> {
    for (let waitMs = 200; ; waitMs = Math.min(2 * waitMs, 2_000)) {
      try {
        await this.leases.register(os.hostname(), process.pid);
        return;
      } catch (error) {
        if (this.stopping || !isConnectionLoss(error)) throw error;
        this.emit({
          kind: 'error',
          message: `register: ${(error as Error).message}; trying again`,
        });
        await new Promise((resolve) => setTimeout(resolve, waitMs));
      }
    }
  }

  /** Stops the loops, closes the shards' monitors and gives up their leases. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.wakeup.wake();
    this.controlWakeup.wake();
    this.warnWakeup.wake();
    await Promise.allSettled(this.loops);
    for (const [shard, runner] of [...this.runners]) {
      this.drop(shard);
      await this.leases.release(shard, runner.token).catch(() => {});
    }
    await this.leases.stop().catch(() => {});
    await this.listener.stop();
    await this.metrics?.close();
    await this.pool.end().catch(() => {});
    this.sql.close();
    this.emit({ kind: 'stopped', worker: this.id });
  }

  /** The last input log position of every shard. */
  private async heads(): Promise<Map<number, number>> {
    const result = await this.pool.query<{ shard: number; last_pos: string }>(
      'SELECT shard, last_pos FROM input_heads',
    );
    return new Map(result.rows.map((row) => [row.shard, Number(row.last_pos)]));
  }

  private emit(event: WorkerEvent): void {
    this.options.onEvent?.(event);
  }

  private async controlLoop(): Promise<void> {
    const every = Math.max(50, Math.floor(this.leaseTtlMs / 3));
    while (!this.stopping) {
      try {
        await this.control();
      } catch (error) {
        this.emit({ kind: 'error', message: `leases: ${(error as Error).message}` });
      }
      await this.controlWakeup.wait(every);
    }
  }

  /** One round: heartbeat and renewals, then claims or a release towards a fair share. */
  private async control(): Promise<void> {
    const tokens = new Map([...this.runners].map(([shard, runner]) => [shard, runner.token]));
    const kept = await this.leases.renew(tokens);
    for (const shard of tokens.keys()) {
      if (!kept.has(shard) && this.runners.get(shard)?.token === tokens.get(shard)) {
        this.drop(shard, 'the lease moved to another worker or expired');
      }
    }
    const live = await this.leases.liveWorkers();
    const share = Math.ceil(this.shardCount / live);
    if (this.runners.size > share) {
      const [shard, runner] = [...this.runners].at(-1) as [number, ShardRunner];
      this.drop(shard);
      await this.leases.release(shard, runner.token);
      this.emit({ kind: 'released', shard });
      return;
    }
    if (this.runners.size === share) return;
    // A lease of its own may show as expired when a renewal came late; it is renewed, not claimed.
    const free = await this.leases.freeShards(SHARDS_LOOKED_AT);
    const wanted = free.filter((shard) => !this.runners.has(shard));
    for (const shard of wanted.slice(0, share - this.runners.size)) {
      if (this.stopping || this.runners.has(shard)) return;
      const claim = await this.leases.claim(shard);
      if (claim === undefined) continue;
      const started = performance.now();
      try {
        const runner: ShardRunner = new ShardRunner(shard, claim.token, this.settings(), (error) =>
          this.drop(shard, (error as Error).message, runner),
        );
        this.runners.set(shard, runner);
        if (claim.from !== undefined) this.metrics?.tookOver();
        this.emit({
          kind: 'claimed',
          shard,
          token: claim.token,
          from: claim.from ?? null,
          resumedAt: runner.cursor,
          tags: runner.size,
          openMs: Math.round(performance.now() - started),
        });
        this.wakeup.wake();
      } catch (error) {
        this.emit({ kind: 'lost', shard, reason: (error as Error).message });
        await this.leases.release(shard, claim.token).catch(() => {});
      }
    }
  }

  private settings() {
    const {
      windows = {},
      allowedSkewMs,
      historyLimit,
      autoRegister,
      clock,
      warnBeforeMs,
    } = this.options;
    return {
      sql: this.sql,
      schema: this.schema,
      leaseTtlMs: this.leaseTtlMs,
      windows,
      allowedSkewMs,
      historyLimit,
      autoRegister,
      clock,
      warnBeforeMs,
    };
  }

  /** With `warnBeforeMs`: every held shard's early warnings, as often as a single node looks. */
  private async warnLoop(): Promise<void> {
    const { warnBeforeMs } = this.options;
    if (warnBeforeMs === undefined) return;
    const every = warningCheckEveryMs(warnBeforeMs);
    while (!this.stopping) {
      for (const runner of [...this.runners.values()]) {
        if (this.stopping) break;
        try {
          const warnings = runner.warn();
          if (warnings > 0) this.emit({ kind: 'warned', shard: runner.shard, warnings });
        } catch (error) {
          this.drop(runner.shard, (error as Error).message, runner);
        }
      }
      await this.warnWakeup.wait(every);
    }
  }

  /**
   * Stops a shard's monitor (nothing more is committed for it); with a reason, reports it
   * lost. With `only`, only if that monitor is still the shard's (a failure of an old one
   * leaves a newer one alone).
   */
  private drop(shard: number, reason?: string, only?: ShardRunner): void {
    const runner = this.runners.get(shard);
    if (runner === undefined || (only !== undefined && runner !== only)) return;
    this.runners.delete(shard);
    try {
      runner.close();
    } catch {
      // A failed monitor is closed already; its state is what it committed.
    }
    if (reason !== undefined) this.emit({ kind: 'lost', shard, reason });
  }

  /** Applies every held shard's new inputs, batch by batch; waits for a NOTIFY when idle. */
  private async consumeLoop(): Promise<void> {
    const pollMs = this.options.pollMs ?? 1_000;
    while (!this.stopping) {
      let busy = false;
      for (const runner of [...this.runners.values()]) {
        if (this.stopping) break;
        try {
          const inputs = await readInputs(this.pool, runner.shard, runner.cursor, this.batchSize);
          if (this.runners.get(runner.shard) !== runner || inputs.length === 0) continue;
          runner.apply(inputs);
          busy ||= inputs.length === this.batchSize;
        } catch (error) {
          this.drop(runner.shard, (error as Error).message, runner);
        }
      }
      if (!busy) await this.wakeup.wait(pollMs);
    }
  }
}
