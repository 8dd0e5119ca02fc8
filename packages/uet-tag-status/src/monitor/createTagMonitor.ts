import { reportError } from '../runtime/listeners.js';
import { TrackingInputError } from '../TrackingInputError.js';
import { assertSkew } from '../validation.js';
import { resolveWindows } from '../windows.js';
import { ChangeReporter } from './ChangeReporter.js';
import { changeRecordOf } from './changeRecordOf.js';
import { GoalMatching } from './GoalMatching.js';
import { HeldActivity } from './HeldActivity.js';
import { InputApplier } from './InputApplier.js';
import { MonitorStoreError } from './MonitorStoreError.js';
import type { MonitorStatusChange } from './monitorInput.js';
import {
  checkStoredWindows,
  resolveMonitorOptions,
  type TagMonitorOptions,
} from './monitorOptions.js';
import { goalsInStatus, statusReport, tagsInStatus } from './monitorQueries.js';
import { PendingCommit } from './PendingCommit.js';
import { SilenceScheduler } from './SilenceScheduler.js';
import type { StoreSnapshot } from './store/monitorStore.js';
import { TagTable } from './TagTable.js';
import type { TagMonitor } from './tagMonitor.js';

type MonitorState = 'open' | 'failed' | 'closed';

/**
 * Creates a monitor for many tags (SPEC R1–R7, G1–G7, D1–D7). Status transitions come
 * from the XState machines through the engine (`stepTag`); activity that cannot change
 * a status takes the engine's fast path. Per tag it keeps compact typed-array state,
 * one entry in a single deadline heap, and a bounded history.
 *
 * Every mutating call runs as one operation: apply the held activity, settle the
 * silences due by the monitor's time, apply the call, commit what changed to the store
 * (when there is one), then tell the subscribers what the commit made durable.
 *
 * @example
 * ```ts
 * import { SimulatedClock } from 'xstate';
 *
 * const clock = new SimulatedClock();
 * const monitor = createTagMonitor({ clock, onStatusChange: (change) => console.log(change) });
 * monitor.registerTag('tag-1', { goals: [{ goalId: 'signup', goalType: 'Url' }] });
 * monitor.recordActivity('tag-1', clock.now()); // tag-1 Unverified -> Active, signup TagUnverified -> NoRecentConversions
 * clock.increment(86_400_000); // tag-1 Active -> Inactive, signup -> TagInactive
 * ```
 * @throws {@link TrackingInputError} `invalidOption` for bad options or windows that
 * differ from the store's; {@link MonitorStoreError} when the store cannot be opened.
 */
export function createTagMonitor(options: TagMonitorOptions = {}): TagMonitor {
  const resolved = resolveMonitorOptions(options);
  const { clock, store, onError } = resolved;
  const table = new TagTable();
  const pending = store === undefined ? undefined : new PendingCommit();
  const scheduler = new SilenceScheduler(table, clock);
  const reporter = new ChangeReporter(resolved.historyLimit, pending, onError);
  const held = new HeldActivity(table, pending);
  const matching = new GoalMatching(resolved.matching);
  let windows = resolveWindows(resolved.windows);
  let processorNow = clock.now();
  let checkpoint: string | undefined;
  let checkpointChanged = false;
  let state: MonitorState = 'open';
  let failure: unknown;

  if (store !== undefined) {
    const snapshot = store.open(windows);
    try {
      checkStoredWindows(resolved.windows, snapshot.windows, store.description);
      windows = snapshot.windows;
      load(snapshot);
    } catch (error) {
      store.close();
      throw error;
    }
  }
  if (resolved.onStatusChange) reporter.subscribe(resolved.onStatusChange);
  // The windows are final now (the store's, once it is open).
  const inputs = new InputApplier({
    table,
    scheduler,
    reporter,
    held,
    matching,
    pending,
    allowedSkewMs: resolved.allowedSkewMs,
    autoRegister: resolved.autoRegister,
    windows,
  });

  function load(snapshot: StoreSnapshot): void {
    for (const tag of snapshot.tags) table.load(matching.load(tag));
    table.collectFree();
    for (const no of table.liveNumbers()) scheduler.rekey(no, windows);
    reporter.load(snapshot.changes, (no) => table.isLive(no), snapshot.nextSeq);
    processorNow = Math.max(snapshot.now, processorNow);
    checkpoint = snapshot.checkpoint;
  }

  /** The monitor's time: the clock's, but never going backwards (SPEC D6). */
  function advanceNow(): number {
    const clockNow = clock.now();
    if (clockNow > processorNow) processorNow = clockNow;
    return processorNow;
  }

  function ensureOpen(): void {
    if (state === 'open') return;
    const description = store?.description ?? 'monitor';
    if (state === 'closed') {
      throw new MonitorStoreError('closed', description, 'the monitor is closed');
    }
    throw new MonitorStoreError(
      'failed',
      description,
      'an earlier commit failed, so the monitor stopped; create it again from the store',
      failure,
    );
  }

  /**
   * Commits what is pending, then tells subscribers; returns the changes told (with
   * `collect`; none without).
   */
  function flush(collect: boolean): readonly MonitorStatusChange[] {
    if (store !== undefined && pending !== undefined && (!pending.isEmpty || checkpointChanged)) {
      const commit = pending.take(
        { now: processorNow, nextSeq: reporter.nextSeq, checkpoint },
        (no) => matching.withDefinitions(table.toStored(no)),
      );
      try {
        store.commit(commit);
      } catch (error) {
        fail(error);
        reporter.discard();
        throw error;
      }
      checkpointChanged = false;
    }
    table.release();
    const told = reporter.tell(collect);
    if (state === 'open') scheduler.arm(processorNow, onTimer);
    return told;
  }

  /**
   * Runs one mutating call: catch up (on at most `settleLimit` silences), apply, commit,
   * tell; returns the call's result and what it told (unless `collect` is false). With
   * `toClock` false the monitor's time stays where it is (the body moves it, input by input).
   */
  function operation<T>(
    body: (now: number) => T,
    settleLimit = Number.POSITIVE_INFINITY,
    toClock = true,
    collect = true,
  ): { result: T; changes: readonly MonitorStatusChange[] } {
    ensureOpen();
    held.apply();
    const now = toClock ? advanceNow() : processorNow;
    let result: T | undefined;
    let error: unknown;
    let threw = false;
    try {
      inputs.settle(now, settleLimit);
      result = body(now);
    } catch (caught) {
      error = caught;
      threw = true;
    }
    const changes = flush(collect);
    if (threw) throw error;
    return { result: result as T, changes };
  }

  function onTimer(): void {
    if (state !== 'open') return;
    try {
      operation(() => undefined, resolved.silencesPerTimer, true, false);
    } catch (error) {
      reportError(error, onError);
    }
  }

  /** Stops the monitor after a failure; the store keeps the last durable state. */
  function fail(error: unknown): void {
    state = 'failed';
    failure = error;
    scheduler.disarm();
    try {
      store?.close();
    } catch {
      // The store failed already; what it holds is what it committed before.
    }
  }

  // Start-up: silences that fell due while the monitor was down are reported now (D7).
  try {
    operation(() => undefined);
  } catch (error) {
    if (state === 'open') fail(error);
    throw error;
  }

  return {
    now: advanceNow,
    get size() {
      return table.size;
    },
    get windows() {
      return { ...windows };
    },
    get checkpoint() {
      return checkpoint;
    },
    get lastSeq() {
      return reporter.nextSeq - 1;
    },
    registerTag(tagId, registration = {}) {
      operation((now) =>
        inputs.registerTag(tagId, registration.goals, registration.tagAvailable, now),
      );
    },
    removeTag(tagId) {
      operation(() => inputs.removeTag(tagId));
    },
    attachGoal(tagId, goal) {
      operation((now) => inputs.attachGoal(tagId, goal, now));
    },
    detachGoal(tagId, goalId) {
      operation((now) => inputs.detachGoal(tagId, goalId, now));
    },
    recordActivity(tagId, at) {
      // In memory, activity that changes no status is only held: nothing to commit or tell.
      if (state === 'open' && store === undefined) {
        if (inputs.holdSteadyActivity(tagId, at, advanceNow())) return;
      }
      operation((now) => inputs.recordActivity(tagId, at, now));
    },
    recordConversion(tagId, goalId, at) {
      operation((now) => inputs.recordConversion(tagId, goalId, at, now));
    },
    recordHit(hit, at) {
      return operation((now) => inputs.recordHit(hit, at, now)).result;
    },
    loseTagAccess(tagId) {
      operation((now) => inputs.changeAccess(tagId, 'tag.accessLost', now));
    },
    restoreTagAccess(tagId) {
      operation((now) => inputs.changeAccess(tagId, 'tag.accessRestored', now));
    },
    apply(batch, applyOptions = {}) {
      if (!Array.isArray(batch)) {
        throw new TrackingInputError('invalidInput', 'inputs', batch, 'an array of inputs');
      }
      const atInputTimes = applyOptions.atInputTimes === true;
      const { result: rejected, changes } = operation(
        (now) => {
          const until = atInputTimes ? Math.max(now, clock.now()) : now;
          const { rejected: bad, now: reached } = inputs.applyBatch(batch, now, until);
          if (reached > processorNow) processorNow = reached;
          if (applyOptions.checkpoint !== undefined && applyOptions.checkpoint !== checkpoint) {
            checkpoint = applyOptions.checkpoint;
            checkpointChanged = true;
          }
          return bad;
        },
        Number.POSITIVE_INFINITY,
        !atInputTimes,
      );
      return { applied: batch.length - rejected.length, rejected, changes };
    },
    status(tagId) {
      held.apply();
      return statusReport(table, inputs.requireTag(tagId));
    },
    *statuses() {
      held.apply();
      for (const no of table.liveNumbers()) yield statusReport(table, no);
    },
    tagsInStatus: (status) => tagsInStatus(table, status),
    goalsInStatus: (status) => goalsInStatus(table, status),
    history(tagId) {
      const no = inputs.requireTag(tagId);
      return reporter.historyOf(no, table.idOf(no));
    },
    changesAfter(afterSeq, limit = 1_000) {
      ensureOpen();
      assertSkew('afterSeq', afterSeq);
      if (!Number.isSafeInteger(limit) || limit < 1 || limit > 100_000) {
        throw new TrackingInputError('invalidInput', 'limit', limit, 'an integer from 1 to 100000');
      }
      if (store?.readChanges === undefined) {
        throw new MonitorStoreError(
          'noChangeLog',
          store?.description ?? 'monitor',
          'keeps no change log: give the monitor a store that keeps one (createMemoryStore(), or createSqliteStore from uet-tag/sqlite)',
        );
      }
      return store
        .readChanges(afterSeq, limit)
        .map((change) => changeRecordOf(change.tagId, change));
    },
    subscribe: (listener) => reporter.subscribe(listener),
    close() {
      if (state === 'closed') return;
      held.apply();
      const wasOpen = state === 'open';
      state = 'closed';
      scheduler.disarm();
      if (wasOpen) store?.close();
    },
  };
}
