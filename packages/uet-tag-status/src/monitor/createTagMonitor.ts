import type { FactChange } from '../engine/factChange.js';
import { applyActivityFastPath, applyFastPath } from '../engine/fastPath.js';
import { nextSilence } from '../engine/nextSilence.js';
import { stepTag } from '../engine/stepTag.js';
import { createTagFacts } from '../engine/tagFacts.js';
import { activityKeepsStatus } from '../machines/chartFacts.js';
import type { TagEvent } from '../machines/types.js';
import { MAX_TIMER_DELAY_MS, type RuntimeClock, realClock } from '../runtime/clock.js';
import { DEFAULT_ALLOWED_SKEW_MS, type GoalDefinition } from '../runtime/createTagRuntime.js';
import { TrackingInputError } from '../TrackingInputError.js';
import {
  assertEpochMs,
  assertId,
  assertNotInFuture,
  assertSkew,
  checkNewGoal,
} from '../validation.js';
import {
  type ConversionGoalTrackingStatus,
  isConversionGoalTrackingStatus,
} from '../valueSets/conversionGoalTrackingStatus.js';
import type { ConversionGoalType } from '../valueSets/conversionGoalType.js';
import {
  isUetTagTrackingStatus,
  type UetTagTrackingStatus,
} from '../valueSets/uetTagTrackingStatus.js';
import { resolveWindows, type TrackingWindows } from '../windows.js';
import { ChangeHistory, type HistoryEntry } from './ChangeHistory.js';
import { DeadlineHeap } from './DeadlineHeap.js';
import { HeldActivity } from './HeldActivity.js';
import { MonitorStoreError } from './MonitorStoreError.js';
import {
  type BatchResult,
  MONITOR_INPUT_KINDS,
  type MonitorChangeListener,
  type MonitorInput,
  type MonitorStatusChange,
  type RejectedInput,
} from './monitorInput.js';
import { PendingCommit } from './PendingCommit.js';
import type { MonitorStore, StoreSnapshot } from './store/monitorStore.js';
import { numberInEntry, statusInEntry, TagTable } from './TagTable.js';

/**
 * How many changes per tag {@link TagMonitor.history} keeps unless told otherwise.
 *
 * @example
 * ```ts
 * createTagMonitor({ historyLimit: 2 * DEFAULT_HISTORY_LIMIT });
 * ```
 */
export const DEFAULT_HISTORY_LIMIT = 10;

/** How many inputs of a batch have their tags looked up ahead, together. */
const LOOKAHEAD = 256;

/** Options of {@link createTagMonitor}. */
export interface TagMonitorOptions {
  /**
   * The windows; SPEC T2 defaults for any left out. With a store that already exists,
   * the store's windows apply, and a window given here must equal the store's.
   */
  readonly windows?: Partial<TrackingWindows>;
  /**
   * Where time comes from and the one timer runs.
   * @default realClock
   */
  readonly clock?: RuntimeClock;
  /**
   * How far after the monitor's time an input may be stamped (SPEC D3).
   * @default 300_000 (5 minutes)
   */
  readonly allowedSkewMs?: number;
  /**
   * Where state is kept across restarts (SPEC D7). Without one, state lives in memory
   * only. See `createMemoryStore`, and `createSqliteStore` from `uet-tag-status/sqlite`.
   */
  readonly store?: MonitorStore;
  /**
   * How many status changes per tag {@link TagMonitor.history} keeps (0 to 65535).
   * @default 10
   */
  readonly historyLimit?: number;
  /**
   * How many silences one timer callback applies at most (a positive integer). The rest
   * follow on a timer of delay 0, each batch committed and told, so that the host's
   * event loop runs in between when many fall due at once (a million take seconds).
   * Between those timers, queries show the silences not yet applied as not yet elapsed,
   * as they do between a deadline and its timer; any mutating call still applies every
   * due silence first. With XState's `SimulatedClock`, each further slice runs at the
   * clock's next move (`increment(0)` will do): it runs a timer that the last timer it ran
   * set only then.
   * @default Infinity (every due silence in one callback)
   */
  readonly silencesPerTimer?: number;
  /**
   * Called with every status change once it is durable; subscribed before start-up, so
   * it also hears the silences that elapsed while the monitor was down (SPEC D7).
   */
  readonly onStatusChange?: MonitorChangeListener;
  /**
   * Called with errors that have no caller to go to: a listener that threw, or a store
   * failure while firing timers. Without it such an error is thrown asynchronously.
   */
  readonly onError?: (error: unknown) => void;
}

/** A goal's status, as {@link TagMonitor.status} reports it. */
export interface GoalStatusReport {
  readonly goalId: string;
  readonly goalType: ConversionGoalType;
  readonly status: ConversionGoalTrackingStatus;
  /** Effective time of the goal's latest status change, if any. */
  readonly since: number | undefined;
  readonly lastConversionAt: number | undefined;
}

/** A tag's status and its goals', as {@link TagMonitor.status} reports them. */
export interface TagStatusReport {
  readonly tagId: string;
  readonly status: UetTagTrackingStatus;
  /** Effective time of the tag's latest status change, if any. */
  readonly since: number | undefined;
  readonly lastDataAt: number | undefined;
  readonly tagAvailable: boolean;
  /** Goals in attachment order. */
  readonly goals: readonly GoalStatusReport[];
}

/** Options of {@link TagMonitor.registerTag}. */
export interface RegisterTagOptions {
  /** Goals attached at once, in this order. */
  readonly goals?: readonly GoalDefinition[];
  /**
   * Whether the account has access to the tag (SPEC G4).
   * @default true
   */
  readonly tagAvailable?: boolean;
}

/** Options of {@link TagMonitor.apply}. */
export interface ApplyOptions {
  /**
   * A position in the caller's input to commit with the batch (see
   * {@link TagMonitor.checkpoint}).
   */
  readonly checkpoint?: string;
}

/**
 * Many tags and their goals, watched with one deadline structure and one timer. Every
 * mutating call returns once its effects are durable in the store (when there is one);
 * it then reports the status changes it caused to subscribers, each once.
 */
export interface TagMonitor {
  /** The monitor's time: the clock's, but never going backwards (SPEC D6). */
  now(): number;
  /** How many tags are registered. */
  readonly size: number;
  /** The checkpoint committed with the latest batch that had one (see {@link ApplyOptions}). */
  readonly checkpoint: string | undefined;
  /**
   * Registers a tag, `Unverified` (SPEC R1).
   * @throws {@link TrackingInputError} `invalidId`, `duplicateTag`, `unknownGoalType`, `duplicateGoal`.
   */
  registerTag(tagId: string, options?: RegisterTagOptions): void;
  /**
   * Removes a tag with its goals and history.
   * @throws {@link TrackingInputError} `unknownTag`.
   */
  removeTag(tagId: string): void;
  /**
   * Attaches a goal; its first status comes from the goal machine.
   * @throws {@link TrackingInputError} `unknownTag`, `invalidId`, `unknownGoalType`, `duplicateGoal`.
   */
  attachGoal(tagId: string, goal: GoalDefinition): void;
  /**
   * Detaches a goal.
   * @throws {@link TrackingInputError} `unknownTag`, `unknownGoal`.
   */
  detachGoal(tagId: string, goalId: string): void;
  /**
   * Records activity received at `at` (SPEC R2, R3, R5, D1–D4).
   * @throws {@link TrackingInputError} `unknownTag`, `invalidTime`, `futureTime`.
   */
  recordActivity(tagId: string, at: number): void;
  /**
   * Records a conversion received at `at` (SPEC G3, G6).
   * @throws {@link TrackingInputError} `unknownTag`, `unknownGoal`, `invalidTime`, `futureTime`.
   */
  recordConversion(tagId: string, goalId: string, at: number): void;
  /** The account lost access to the tag (SPEC G4), now. */
  loseTagAccess(tagId: string): void;
  /** The account has access to the tag again (SPEC G4), now. */
  restoreTagAccess(tagId: string): void;
  /**
   * Applies a batch as one durable step: good inputs are applied, each bad one is
   * reported with its index and reason (SPEC D4).
   */
  apply(inputs: readonly MonitorInput[], options?: ApplyOptions): BatchResult;
  /**
   * A tag's status and its goals'.
   * @throws {@link TrackingInputError} `unknownTag`.
   */
  status(tagId: string): TagStatusReport;
  /** Every tag's status, in registration-number order. */
  statuses(): IterableIterator<TagStatusReport>;
  /** The ids of the tags in a status. */
  tagsInStatus(status: UetTagTrackingStatus): string[];
  /** The goals in a status, with their tags' ids. */
  goalsInStatus(status: ConversionGoalTrackingStatus): { tagId: string; goalId: string }[];
  /** A tag's latest status changes (its goals' included), oldest first. */
  history(tagId: string): MonitorStatusChange[];
  /** Subscribes to status changes; returns the function that unsubscribes. */
  subscribe(listener: MonitorChangeListener): () => void;
  /** Stops the timer and closes the store. Later calls throw `closed`. */
  close(): void;
}

type MonitorState = 'open' | 'failed' | 'closed';

const NO_CHANGES: readonly MonitorStatusChange[] = Object.freeze([]);

/**
 * Creates a monitor for many tags (SPEC R1–R7, G1–G7, D1–D7). Status transitions come
 * from the XState machines through the engine (`stepTag`); activity that cannot change
 * a status takes the engine's fast path. Per tag it keeps compact typed-array state,
 * one entry in a single deadline heap, and a bounded history.
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
  const allowedSkewMs = options.allowedSkewMs ?? DEFAULT_ALLOWED_SKEW_MS;
  assertSkew('allowedSkewMs', allowedSkewMs);
  const historyLimit = options.historyLimit ?? DEFAULT_HISTORY_LIMIT;
  if (!Number.isSafeInteger(historyLimit) || historyLimit < 0 || historyLimit > 65_535) {
    throw new TrackingInputError(
      'invalidOption',
      'historyLimit',
      historyLimit,
      'an integer from 0 to 65535',
    );
  }
  const silencesPerTimer = options.silencesPerTimer ?? Number.POSITIVE_INFINITY;
  if (
    silencesPerTimer !== Number.POSITIVE_INFINITY &&
    (!Number.isSafeInteger(silencesPerTimer) || silencesPerTimer < 1)
  ) {
    throw new TrackingInputError(
      'invalidOption',
      'silencesPerTimer',
      silencesPerTimer,
      'a positive integer, or Infinity',
    );
  }
  const clock = options.clock ?? realClock;
  const { store } = options;
  const table = new TagTable();
  const heap = new DeadlineHeap();
  const history = new ChangeHistory(historyLimit);
  const held = new HeldActivity();
  /** The id map entries of the next inputs of a batch, read ahead. */
  const entries = new Int32Array(LOOKAHEAD);
  const pending = store === undefined ? undefined : new PendingCommit();
  const listeners = new Set<MonitorChangeListener>();
  let windows = resolveWindows(options.windows);
  let processorNow = clock.now();
  let nextSeq = 1;
  let checkpoint: string | undefined;
  let checkpointChanged = false;
  let state: MonitorState = 'open';
  let failure: unknown;
  let timer: unknown;
  let armedFor = Number.NaN;
  let reported: MonitorStatusChange[] = [];
  /** Reused for every activity, so the hot path allocates nothing; full steps get a copy. */
  const activityEvent = { type: 'tag.dataReceived' as const, at: 0, now: 0 };

  if (store !== undefined) {
    const snapshot = store.open(windows);
    try {
      checkWindows(options.windows, snapshot.windows, store.description);
      windows = snapshot.windows;
      load(snapshot);
    } catch (error) {
      store.close();
      throw error;
    }
  }
  if (options.onStatusChange) listeners.add(options.onStatusChange);

  function load(snapshot: StoreSnapshot): void {
    for (const tag of snapshot.tags) table.load(tag);
    table.collectFree();
    for (const no of table.liveNumbers()) rekey(no);
    for (const change of snapshot.changes) {
      if (!table.isLive(change.tagNo)) continue;
      const dropped = history.add(change.tagNo, change);
      if (dropped !== undefined) pending?.dropChange(dropped);
    }
    processorNow = Math.max(snapshot.now, processorNow);
    nextSeq = snapshot.nextSeq;
    checkpoint = snapshot.checkpoint;
  }

  function advanceNow(): number {
    const clockNow = clock.now();
    if (clockNow > processorNow) processorNow = clockNow;
    return processorNow;
  }

  function reportError(error: unknown): void {
    if (options.onError) options.onError(error);
    else
      queueMicrotask(() => {
        throw error;
      });
  }

  function ensureOpen(): void {
    if (state === 'open') return;
    const description = store?.description ?? 'monitor';
    if (state === 'closed')
      throw new MonitorStoreError('closed', description, 'the monitor is closed');
    throw new MonitorStoreError(
      'failed',
      description,
      'an earlier commit failed, so the monitor stopped; create it again from the store',
      failure,
    );
  }

  /** Re-keys a tag in the heap from its facts: its earliest silence, or none. */
  function rekey(no: number): void {
    const due = nextSilence(table.view(no), windows);
    if (due === undefined) heap.delete(no);
    else heap.set(no, due.at);
  }

  /**
   * Holds activity that the engine's fast path would take, when nothing is due, reading
   * nothing of the tag but its id map entry, which says its status. Says whether it held the
   * activity; when not, nothing changed and the general path must run. Held activity is
   * applied by {@link applyHeldActivity} before anything reads a tag's data times or
   * changes a tag: at the start of every call that does, before any timer fires, and
   * before every batch input that is not held itself.
   */
  function holdSteadyActivity(
    tagId: unknown,
    at: unknown,
    now: number,
    knownEntry?: number,
  ): boolean {
    if (typeof tagId !== 'string' || heap.peekDeadline() <= now) return false;
    const entry = knownEntry ?? table.entryOf(tagId) ?? -1;
    if (entry < 0 || !activityKeepsStatus(statusInEntry(entry))) return false;
    if (held.add(entry, checkTime(at, now))) applyHeldActivity();
    return true;
  }

  /**
   * Applies the held activity through the engine's fast path, in arrival order, reading
   * and writing only the tags' data times; nothing is reported, as no status changes.
   */
  function applyHeldActivity(): void {
    const count = held.length;
    if (count === 0) return;
    const { entries: heldEntries, times } = held;
    held.clear();
    for (let index = 0; index < count; index++) {
      const entry = heldEntries[index] as number;
      const no = numberInEntry(entry);
      const at = times[index] as number;
      const facts = table.activityView(no, statusInEntry(entry));
      if (!applyActivityFastPath(facts, at)) {
        throw new Error(
          `internal: activity held for tag ${table.idOf(no)} would change its status`,
        );
      }
      table.writeDataTimes(no, facts);
      pending?.hit(no, at);
    }
  }

  /** Records the changes of one step: sequence numbers, history, the pending commit. */
  function report(no: number, changes: readonly FactChange[], now: number): void {
    if (changes.length === 0) return;
    const tagId = table.idOf(no);
    for (const change of changes) {
      const seq = nextSeq;
      nextSeq += 1;
      const goalId = change.kind === 'goal' ? change.goalId : undefined;
      reported.push(
        change.kind === 'tag'
          ? {
              kind: 'tag',
              tagId,
              from: change.from,
              to: change.to,
              effectiveAt: change.effectiveAt,
              noticedAt: now,
              seq,
            }
          : {
              kind: 'goal',
              tagId,
              goalId: change.goalId,
              from: change.from,
              to: change.to,
              effectiveAt: change.effectiveAt,
              noticedAt: now,
              seq,
            },
      );
      const entry: HistoryEntry = {
        seq,
        goalId,
        from: change.from,
        to: change.to,
        effectiveAt: change.effectiveAt,
        noticedAt: now,
      };
      const dropped = history.add(no, entry);
      if (pending === undefined || dropped === seq) continue;
      pending.addChange({ ...entry, tagNo: no });
      if (dropped !== undefined) pending.dropChange(dropped);
    }
  }

  /**
   * Fires the silences due by `now` (all of them, or the first `limit`), in effective-time
   * order over all tags (ties by tag number). Heap keys may be early (activity on the fast
   * path only moves deadlines later and leaves the key); such a key is corrected when it
   * reaches the top.
   */
  function settleDue(now: number, limit = Number.POSITIVE_INFINITY): void {
    if (heap.peekDeadline() <= now) fireDue(now, limit);
  }

  function fireDue(now: number, limit: number): void {
    let fired = 0;
    while (fired < limit && heap.peekDeadline() <= now) {
      const no = heap.peekTag();
      const facts = table.view(no);
      const due = nextSilence(facts, windows);
      if (due === undefined) {
        heap.delete(no);
        continue;
      }
      if (due.at !== heap.peekDeadline()) {
        heap.set(no, due.at);
        continue;
      }
      const changes = stepTag(facts, due.event, windows, { fastPath: false });
      if (changes.length === 0) {
        throw new Error(
          `internal: the silence of tag ${table.idOf(no)} due at ${due.at} changed no status`,
        );
      }
      table.write(no, facts);
      pending?.touch(no);
      report(no, changes, now);
      rekey(no);
      fired += 1;
    }
  }

  /**
   * Applies one machine event to a tag: the engine's fast path, else a full step.
   * Precondition (the engine's): nothing is due by `now`. Every call starts with
   * `settleDue(now)`, and a full step settles again after itself, since it may make a
   * silence due at once (SPEC D1a); the fast path only moves deadlines later.
   */
  function step(no: number, event: TagEvent, now: number): void {
    const facts = table.view(no);
    if (applyFastPath(facts, event)) {
      table.writeDataTimes(no, facts);
      if (event.type === 'tag.dataReceived') pending?.hit(no, event.at);
      else pending?.touch(no);
      return;
    }
    const changes = stepTag(facts, { ...event }, windows, { fastPath: false });
    table.write(no, facts);
    pending?.touch(no);
    report(no, changes, now);
    rekey(no);
    settleDue(now);
  }

  /** A live tag's number. */
  function requireTag(tagId: unknown): number {
    const no = typeof tagId === 'string' ? table.numberOf(tagId) : undefined;
    if (no !== undefined) return no;
    assertId('tagId', tagId);
    throw new TrackingInputError('unknownTag', 'tagId', tagId, 'the id of a registered tag');
  }

  function requireGoal(no: number, goalId: unknown): string {
    assertId('goalId', goalId);
    if (!table.goalsOf(no).some((goal) => goal.goalId === goalId)) {
      throw new TrackingInputError(
        'unknownGoal',
        'goalId',
        goalId,
        `the id of a goal attached to tag ${table.idOf(no)}`,
      );
    }
    return goalId;
  }

  function checkTime(at: unknown, now: number): number {
    assertEpochMs('at', at);
    assertNotInFuture('at', at, now, allowedSkewMs);
    return at;
  }

  function registerTag(tagId: unknown, goals: unknown, tagAvailable: unknown, now: number): void {
    assertId('tagId', tagId);
    if (table.numberOf(tagId) !== undefined) {
      throw new TrackingInputError('duplicateTag', 'tagId', tagId, 'an id not yet registered');
    }
    if (tagAvailable !== undefined && typeof tagAvailable !== 'boolean') {
      throw new TrackingInputError('invalidOption', 'tagAvailable', tagAvailable, 'true or false');
    }
    if (goals !== undefined && !Array.isArray(goals)) {
      throw new TrackingInputError('invalidOption', 'goals', goals, 'an array of goals');
    }
    const taken = new Set<string>();
    const definitions = ((goals ?? []) as unknown[]).map((goal) => {
      const definition = checkNewGoal(goal, (goalId) => taken.has(goalId));
      taken.add(definition.goalId);
      return definition;
    });
    const no = table.add(tagId, createTagFacts(tagAvailable ?? true));
    pending?.touch(no);
    for (const { goalId, goalType } of definitions) {
      step(no, { type: 'goal.attached', goalId, goalType, at: now }, now);
    }
  }

  function removeTag(tagId: unknown): void {
    const no = requireTag(tagId);
    heap.delete(no);
    history.clear(no);
    table.remove(no);
    pending?.remove(no);
  }

  function attachGoal(tagId: unknown, goal: unknown, now: number): void {
    const no = requireTag(tagId);
    const { goalId, goalType } = checkNewGoal(goal, (goalId) =>
      table.goalsOf(no).some((attached) => attached.goalId === goalId),
    );
    step(no, { type: 'goal.attached', goalId, goalType, at: now }, now);
  }

  function recordActivity(tagId: unknown, at: unknown, now: number): void {
    const no = requireTag(tagId);
    activityEvent.at = checkTime(at, now);
    activityEvent.now = now;
    step(no, activityEvent, now);
  }

  function recordConversion(tagId: unknown, goalId: unknown, at: unknown, now: number): void {
    const no = requireTag(tagId);
    const goal = requireGoal(no, goalId);
    const time = checkTime(at, now);
    step(no, { type: 'goal.conversionRecorded', goalId: goal, at: time, now }, now);
  }

  function changeAccess(
    tagId: unknown,
    type: 'tag.accessLost' | 'tag.accessRestored',
    now: number,
  ) {
    step(requireTag(tagId), { type, at: now }, now);
  }

  /** Applies one input; `entry` is its tag's id map entry when read beforehand and still true. */
  function applyInput(input: MonitorInput, now: number, entry?: number): void {
    if (typeof input !== 'object' || input === null) {
      throw new TrackingInputError('invalidInput', 'input', input, 'an object with a kind');
    }
    if (input.kind !== 'activity') applyHeldActivity();
    switch (input.kind) {
      case 'activity':
        if (holdSteadyActivity(input.tagId, input.at, now, entry)) break;
        applyHeldActivity();
        recordActivity(input.tagId, input.at, now);
        break;
      case 'conversion':
        recordConversion(input.tagId, input.goalId, input.at, now);
        break;
      case 'registerTag':
        registerTag(input.tagId, input.goals, input.tagAvailable, now);
        break;
      case 'removeTag':
        removeTag(input.tagId);
        break;
      case 'attachGoal':
        attachGoal(input.tagId, input, now);
        break;
      case 'detachGoal': {
        const no = requireTag(input.tagId);
        step(no, { type: 'goal.detached', goalId: requireGoal(no, input.goalId) }, now);
        break;
      }
      case 'accessLost':
        changeAccess(input.tagId, 'tag.accessLost', now);
        break;
      case 'accessRestored':
        changeAccess(input.tagId, 'tag.accessRestored', now);
        break;
      default:
        throw new TrackingInputError(
          'invalidInput',
          'kind',
          (input as { kind?: unknown }).kind,
          `one of ${MONITOR_INPUT_KINDS.join(', ')}`,
        );
    }
  }

  /** Commits what is pending, then tells subscribers; returns the changes told. */
  function flush(): readonly MonitorStatusChange[] {
    if (store !== undefined && pending !== undefined && (!pending.isEmpty || checkpointChanged)) {
      const commit = pending.take({ now: processorNow, nextSeq, checkpoint }, (no) =>
        table.toStored(no),
      );
      try {
        store.commit(commit);
      } catch (error) {
        fail(error);
        reported = [];
        throw error;
      }
      checkpointChanged = false;
    }
    table.release();
    if (reported.length === 0) {
      arm();
      return NO_CHANGES;
    }
    const changes = reported;
    reported = [];
    for (const change of changes) {
      for (const listener of listeners) {
        try {
          listener(change);
        } catch (error) {
          reportError(error);
        }
      }
    }
    arm();
    return changes;
  }

  /**
   * Runs one mutating call: catch up (on at most `settleLimit` silences), apply, commit,
   * tell; returns what it told.
   */
  function operation<T>(
    body: (now: number) => T,
    settleLimit = Number.POSITIVE_INFINITY,
  ): {
    result: T;
    changes: readonly MonitorStatusChange[];
  } {
    ensureOpen();
    applyHeldActivity();
    const now = advanceNow();
    let result: T | undefined;
    let error: unknown;
    let threw = false;
    try {
      settleDue(now, settleLimit);
      result = body(now);
    } catch (caught) {
      error = caught;
      threw = true;
    }
    const changes = flush();
    if (threw) throw error;
    return { result: result as T, changes };
  }

  /** The hot single calls, without the closure and result of {@link operation}. */
  function single<A, B>(body: (a: A, b: B, now: number) => void, a: A, b: B): void {
    ensureOpen();
    applyHeldActivity();
    const now = advanceNow();
    try {
      settleDue(now);
      body(a, b, now);
    } finally {
      flush();
    }
  }

  function arm(): void {
    if (state !== 'open') return;
    const next = heap.peekDeadline();
    if (next === armedFor) return;
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = undefined;
    armedFor = next;
    if (next === Number.POSITIVE_INFINITY) return;
    const delay =
      next <= processorNow ? 0 : Math.min(Math.max(next - clock.now(), 0), MAX_TIMER_DELAY_MS);
    timer = clock.setTimeout(onTimer, delay);
    (timer as { unref?: () => void } | undefined)?.unref?.();
  }

  function onTimer(): void {
    timer = undefined;
    armedFor = Number.NaN;
    if (state !== 'open') return;
    try {
      operation(() => undefined, silencesPerTimer);
    } catch (error) {
      reportError(error);
    }
  }

  /** Stops the monitor after a failure; the store keeps the last durable state. */
  function fail(error: unknown): void {
    state = 'failed';
    failure = error;
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = undefined;
    try {
      store?.close();
    } catch {
      // The store failed already; what it holds is what it committed before.
    }
  }

  function statusReport(no: number): TagStatusReport {
    const facts = table.view(no);
    return {
      tagId: table.idOf(no),
      status: facts.status,
      since: facts.changedAt,
      lastDataAt: facts.lastDataAt,
      tagAvailable: facts.tagAvailable,
      goals: facts.goals.map((goal) => ({
        goalId: goal.goalId,
        goalType: goal.goalType,
        status: goal.status,
        since: goal.changedAt,
        lastConversionAt: goal.lastConversionAt,
      })),
    };
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
    get checkpoint() {
      return checkpoint;
    },
    registerTag(tagId, registration = {}) {
      operation((now) => registerTag(tagId, registration.goals, registration.tagAvailable, now));
    },
    removeTag(tagId) {
      operation(() => removeTag(tagId));
    },
    attachGoal(tagId, goal) {
      operation((now) => attachGoal(tagId, goal, now));
    },
    detachGoal(tagId, goalId) {
      operation((now) => applyInput({ kind: 'detachGoal', tagId, goalId }, now));
    },
    recordActivity(tagId, at) {
      // In memory, activity that changes no status is only held: nothing to commit or tell.
      if (state === 'open' && store === undefined && holdSteadyActivity(tagId, at, advanceNow())) {
        return;
      }
      single(recordActivity, tagId, at);
    },
    recordConversion(tagId, goalId, at) {
      operation((now) => recordConversion(tagId, goalId, at, now));
    },
    loseTagAccess(tagId) {
      operation((now) => changeAccess(tagId, 'tag.accessLost', now));
    },
    restoreTagAccess(tagId) {
      operation((now) => changeAccess(tagId, 'tag.accessRestored', now));
    },
    apply(inputs, applyOptions = {}) {
      if (!Array.isArray(inputs)) {
        throw new TrackingInputError('invalidInput', 'inputs', inputs, 'an array of inputs');
      }
      const { result: rejected, changes } = operation((now) => {
        const bad: RejectedInput[] = [];
        for (let from = 0; from < inputs.length; from += LOOKAHEAD) {
          const to = Math.min(inputs.length, from + LOOKAHEAD);
          const version = table.entriesOf(inputs, from, to, entries);
          for (let index = from; index < to; index++) {
            const entry = table.version === version ? entries[index - from] : undefined;
            try {
              applyInput(inputs[index] as MonitorInput, now, entry);
            } catch (error) {
              if (!(error instanceof TrackingInputError)) throw error;
              bad.push({ index, error });
            }
          }
        }
        applyHeldActivity();
        if (applyOptions.checkpoint !== undefined && applyOptions.checkpoint !== checkpoint) {
          checkpoint = applyOptions.checkpoint;
          checkpointChanged = true;
        }
        return bad;
      });
      return { applied: inputs.length - rejected.length, rejected, changes };
    },
    status(tagId) {
      applyHeldActivity();
      return statusReport(requireTag(tagId));
    },
    *statuses() {
      applyHeldActivity();
      for (const no of table.liveNumbers()) yield statusReport(no);
    },
    tagsInStatus(status) {
      if (!isUetTagTrackingStatus(status)) {
        throw new TrackingInputError(
          'invalidInput',
          'status',
          status,
          'Unverified, Active or Inactive',
        );
      }
      return table.numbersInStatus(status).map((no) => table.idOf(no));
    },
    goalsInStatus(status) {
      if (!isConversionGoalTrackingStatus(status)) {
        throw new TrackingInputError(
          'invalidInput',
          'status',
          status,
          'a ConversionGoalTrackingStatus value',
        );
      }
      const found: { tagId: string; goalId: string }[] = [];
      for (const no of table.liveNumbers()) {
        for (const goal of table.goalsOf(no)) {
          if (goal.status === status) found.push({ tagId: table.idOf(no), goalId: goal.goalId });
        }
      }
      return found;
    },
    history(tagId) {
      const no = requireTag(tagId);
      const id = table.idOf(no);
      return history.list(no).map((entry) => toChange(id, entry));
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    close() {
      if (state === 'closed') return;
      applyHeldActivity();
      const wasOpen = state === 'open';
      state = 'closed';
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
      if (wasOpen) store?.close();
    },
  };
}

function toChange(tagId: string, entry: HistoryEntry): MonitorStatusChange {
  const common = {
    tagId,
    effectiveAt: entry.effectiveAt,
    noticedAt: entry.noticedAt,
    seq: entry.seq,
  };
  if (entry.goalId === undefined) {
    return {
      kind: 'tag',
      ...common,
      from: entry.from as UetTagTrackingStatus,
      to: entry.to as UetTagTrackingStatus,
    };
  }
  return {
    kind: 'goal',
    goalId: entry.goalId,
    ...common,
    from: entry.from as ConversionGoalTrackingStatus,
    to: entry.to as ConversionGoalTrackingStatus,
  };
}

function checkWindows(
  given: Partial<TrackingWindows> | undefined,
  stored: TrackingWindows,
  description: string,
): void {
  for (const field of ['activityWindowMs', 'conversionWindowMs'] as const) {
    const value = given?.[field];
    if (value !== undefined && value !== stored[field]) {
      throw new TrackingInputError(
        'invalidOption',
        field,
        value,
        `${stored[field]}, the window ${description} was created with`,
      );
    }
  }
}
