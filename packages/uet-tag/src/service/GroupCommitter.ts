import type { MonitorInput, RejectedInput, TagMonitor } from 'uet-tag-status';
import type { InputSink, SubmissionResult } from './InputSink.js';

export type { SubmissionResult } from './InputSink.js';

interface Submission {
  readonly inputs: readonly MonitorInput[];
  readonly resolve: (result: SubmissionResult) => void;
  readonly reject: (error: unknown) => void;
}

/** Options of {@link GroupCommitter}. */
export interface GroupCommitterOptions {
  /**
   * How long to wait for more submissions after the first one of a group, in ms; with 0
   * the group is whatever arrived in the same turn of the event loop.
   * @default 0
   */
  readonly intervalMs?: number;
  /**
   * Resolves once every commit made before the call is durable, for a store whose commits
   * return before the disk has them (`SqliteMonitorStore.sync` with `deferSync`): a group
   * is answered only then, and the groups that arrive meanwhile are applied and committed
   * while the disk works. Left out, a commit is durable when `apply` returns.
   */
  readonly durable?: () => Promise<void>;
  /**
   * With `durable`: how many committed groups may wait for their sync at once. Submissions
   * that arrive while that many wait form one group, committed as soon as one of them is
   * durable, so a busy service makes few, large commits (each costs the same CPU whatever
   * its size) while its event loop stays free to parse requests.
   * @default 1
   */
  readonly maxSyncing?: number;
  /** Told after every commit: how many inputs it held and how long it took to be durable, in seconds. */
  readonly committed?: (inputs: number, seconds: number) => void;
  /**
   * Told when making a commit durable failed (its group, and every later one, is refused)
   * or answering a durable group threw.
   */
  readonly failed?: (error: unknown) => void;
}

/**
 * Group commit: the inputs of concurrent requests are applied to the monitor as one batch,
 * one durable commit, and each request is answered once that commit is on disk. Requests
 * that arrive while a commit runs form the next group, so durability costs one fsync per
 * group, not one per request. With `durable` (a store that syncs off the event loop) the
 * next groups are applied while the disk flushes the last ones, so groups grow with the
 * load instead of being bounded by one request per connection per fsync.
 *
 * @example
 * ```ts
 * const committer = new GroupCommitter(monitor);
 * const { applied, rejected } = await committer.submit([{ kind: 'activity', tagId: '5', at: Date.now() }]);
 * ```
 */
export class GroupCommitter implements InputSink {
  private waiting: Submission[] = [];
  private scheduled = false;
  private closed = false;
  /** Committed groups whose sync has not resolved yet. */
  private syncing = 0;
  /** Told once nothing waits or syncs (`close`). */
  private readonly idle: (() => void)[] = [];

  constructor(
    private readonly monitor: TagMonitor,
    private readonly options: GroupCommitterOptions = {},
  ) {}

  /**
   * Queues inputs for the next group commit; resolves once they are durable, or rejects
   * when the commit fails (then none of the group is kept).
   */
  submit(inputs: readonly MonitorInput[]): Promise<SubmissionResult> {
    if (this.closed) return Promise.reject(new Error('the service is shutting down'));
    return new Promise((resolve, reject) => {
      this.waiting.push({ inputs, resolve, reject });
      this.schedule();
    });
  }

  /** Commits whatever waits, now (with `durable`, once fewer than `maxSyncing` groups sync). */
  flush(): void {
    this.scheduled = false;
    const group = this.waiting;
    if (group.length === 0) return;
    if (this.options.durable !== undefined && this.syncing >= (this.options.maxSyncing ?? 1)) {
      return;
    }
    this.waiting = [];
    const all: MonitorInput[] = [];
    for (const submission of group) for (const input of submission.inputs) all.push(input);
    const started = process.hrtime.bigint();
    let rejected: readonly RejectedInput[];
    try {
      rejected = this.monitor.apply(all).rejected;
    } catch (error) {
      for (const submission of group) submission.reject(error);
      return;
    }
    const durable = this.options.durable;
    if (durable === undefined) {
      this.answer(group, rejected, started, all.length);
      return;
    }
    this.syncing += 1;
    durable()
      .then(
        () => this.answer(group, rejected, started, all.length),
        (error: unknown) => {
          this.options.failed?.(error);
          for (const submission of group) submission.reject(error);
        },
      )
      .finally(() => {
        this.syncing -= 1;
        if (this.waiting.length > 0) this.schedule();
        else if (this.isIdle) for (const resolve of this.idle.splice(0)) resolve();
      })
      .catch((error: unknown) => this.options.failed?.(error));
  }

  /**
   * Takes no more submissions and commits what waits; resolves once every group is
   * answered (durable, or refused).
   */
  close(): Promise<void> {
    this.closed = true;
    this.flush();
    return new Promise((resolve) => {
      if (this.isIdle) resolve();
      else this.idle.push(resolve);
    });
  }

  private get isIdle(): boolean {
    return this.waiting.length === 0 && this.syncing === 0;
  }

  /** Answers a durable group's submissions, each with its own rejected inputs. */
  private answer(
    group: readonly Submission[],
    rejected: readonly RejectedInput[],
    started: bigint,
    inputs: number,
  ): void {
    this.options.committed?.(inputs, Number(process.hrtime.bigint() - started) / 1e9);
    let offset = 0;
    let next = 0;
    for (const submission of group) {
      const end = offset + submission.inputs.length;
      const own: RejectedInput[] = [];
      while (next < rejected.length && (rejected[next] as RejectedInput).index < end) {
        const entry = rejected[next] as RejectedInput;
        own.push({ index: entry.index - offset, error: entry.error });
        next++;
      }
      submission.resolve({ applied: submission.inputs.length - own.length, rejected: own });
      offset = end;
    }
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    const interval = this.options.intervalMs ?? 0;
    if (interval > 0) setTimeout(() => this.flush(), interval);
    else setImmediate(() => this.flush());
  }
}
