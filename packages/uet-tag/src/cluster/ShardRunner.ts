import {
  createTagMonitor,
  type RuntimeClock,
  type TagMonitor,
  type TrackingWindows,
} from 'uet-tag-status';
import type { LoggedInput } from '../postgres/inputLog.js';
import { fenceStatement } from '../postgres/leaseSql.js';
import { createPostgresStore } from '../postgres/postgresStore.js';
import type { SyncPostgres } from '../postgres/SyncPostgres.js';
import { warningStatements } from '../postgres/warningLog.js';
import { type DeadlineWarning, DeadlineWarnings } from '../service/DeadlineWarnings.js';

/** What a worker's shards share: the connection, the schema, the monitor's settings. */
export interface ShardSettings {
  readonly sql: SyncPostgres;
  readonly schema: string;
  readonly leaseTtlMs: number;
  readonly windows: Partial<TrackingWindows>;
  readonly allowedSkewMs?: number;
  readonly historyLimit?: number;
  readonly autoRegister?: boolean;
  readonly clock?: RuntimeClock;
  /** Warn when a tag turns Inactive within this long if nothing arrives (`--warn-before`). */
  readonly warnBeforeMs?: number;
}

/**
 * One shard a worker holds: a monitor on the shard's PostgreSQL store under the worker's
 * lease (every commit checks its fencing token), and the position in the shard's input
 * log that the monitor's state covers (its checkpoint, committed with it). Opening it
 * resumes from the store and reports the silences that fell due since the last commit
 * (SPEC D7), once: that start-up commit is fenced too. With `warnBeforeMs`, it writes
 * the shard's early warnings to the cluster's warning log, fenced as well.
 */
export class ShardRunner {
  /** The last input log position applied and committed. */
  cursor: number;
  private readonly monitor: TagMonitor;
  private readonly warnings: DeadlineWarnings | undefined;
  /** The warnings of the look under way. */
  private found: DeadlineWarning[] = [];

  constructor(
    readonly shard: number,
    readonly token: number,
    private readonly settings: ShardSettings,
    onError: (error: unknown) => void,
  ) {
    this.monitor = createTagMonitor({
      store: createPostgresStore({
        connection: settings.sql,
        schema: settings.schema,
        shard,
        lease: { token },
        leaseTtlMs: settings.leaseTtlMs,
      }),
      windows: settings.windows,
      allowedSkewMs: settings.allowedSkewMs,
      historyLimit: settings.historyLimit,
      autoRegister: settings.autoRegister,
      clock: settings.clock,
      onError,
    });
    this.cursor = positionOf(this.monitor.checkpoint, shard);
    this.warnings =
      settings.warnBeforeMs === undefined
        ? undefined
        : new DeadlineWarnings(this.monitor, settings.warnBeforeMs, (warning) =>
            this.found.push(warning),
          );
  }

  /** How many tags the shard holds. */
  get size(): number {
    return this.monitor.size;
  }

  /**
   * Applies the next inputs of the shard's log as one fenced commit, with their last
   * position as the checkpoint; returns how many the monitor rejected (SPEC D4).
   * @throws {@link MonitorStoreError} when the commit failed (`inUse`: the lease moved).
   */
  apply(inputs: readonly LoggedInput[]): number {
    const last = inputs.at(-1);
    if (last === undefined) return 0;
    if (inputs[0]?.pos !== this.cursor + 1) {
      throw new Error(
        `shard ${this.shard}: the input log continues at ${inputs[0]?.pos}, not ${this.cursor + 1}`,
      );
    }
    const { rejected } = this.monitor.apply(
      inputs.map((input) => input.record),
      { checkpoint: String(last.pos) },
    );
    this.cursor = last.pos;
    return rejected.length;
  }

  /**
   * Looks for deadlines within the warning time and logs a warning of each one not warned
   * of yet, in one fenced transaction (a warning an earlier owner logged is left out, by
   * its key); returns how many were found. Nothing without `warnBeforeMs`.
   * @throws {@link SqlFailure} when the write failed (the lease moved, or PostgreSQL is gone).
   */
  warn(): number {
    if (this.warnings === undefined) return 0;
    this.found = [];
    this.warnings.check();
    const found = this.found;
    if (found.length === 0) return 0;
    const { sql, leaseTtlMs } = this.settings;
    sql.run(
      [
        fenceStatement(this.shard, this.token, leaseTtlMs),
        ...warningStatements(
          this.shard,
          found.map((warning) => ({
            tagId: warning.tagId,
            key: warning.key,
            body: JSON.stringify(warning),
          })),
        ),
      ],
      'write',
    );
    return found.length;
  }

  /** Stops the monitor; its state is what it committed. */
  close(): void {
    this.monitor.close();
  }
}

function positionOf(checkpoint: string | undefined, shard: number): number {
  if (checkpoint === undefined) return 0;
  const position = Number(checkpoint);
  if (!Number.isSafeInteger(position) || position < 0) {
    throw new Error(`shard ${shard}: the checkpoint ${checkpoint} is not an input log position`);
  }
  return position;
}
