import { type RuntimeClock, realClock } from '../runtime/clock.js';
import { DEFAULT_ALLOWED_SKEW_MS } from '../runtime/createTagRuntime.js';
import type { ErrorHandler } from '../runtime/listeners.js';
import { TrackingInputError } from '../TrackingInputError.js';
import type { ConversionMatcherOptions } from '../uet/createConversionMatcher.js';
import { assertSkew } from '../validation.js';
import type { TrackingWindows } from '../windows.js';
import type { MonitorChangeListener } from './monitorInput.js';
import type { MonitorStore } from './store/monitorStore.js';

/**
 * How many changes per tag {@link TagMonitor.history} keeps unless told otherwise.
 *
 * @example
 * ```ts
 * createTagMonitor({ historyLimit: 2 * DEFAULT_HISTORY_LIMIT });
 * ```
 */
export const DEFAULT_HISTORY_LIMIT = 10;

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
   * only. See `createMemoryStore`, and `createSqliteStore` from `uet-tag/sqlite`.
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
   * Whether activity or a conversion for a tag that is not registered registers it first
   * (with no goals, access available), and a conversion that names its `goalType` attaches
   * a goal that is not attached yet: for inputs that come straight from tags (a collector,
   * a log), where the tags are whatever sends hits. Without it such inputs are rejected
   * (`unknownTag`, `unknownGoal`).
   * @default false
   */
  readonly autoRegister?: boolean;
  /**
   * How hits are matched against the definitions of goals (SPEC M5, M6): the attribution
   * and the visit timeout of `createConversionMatcher`.
   * @default { attribution: 'none', visitTimeoutMs: 1_800_000 }
   */
  readonly matching?: ConversionMatcherOptions;
  /**
   * Called with every status change once it is durable; subscribed before start-up, so
   * it also hears the silences that elapsed while the monitor was down (SPEC D7).
   */
  readonly onStatusChange?: MonitorChangeListener;
  /**
   * Called with errors that have no caller to go to: a listener that threw, or a store
   * failure while firing timers. Without it such an error is thrown asynchronously.
   */
  readonly onError?: ErrorHandler;
}

/** {@link TagMonitorOptions} checked, with their defaults filled in. */
export interface ResolvedMonitorOptions {
  readonly windows: Partial<TrackingWindows> | undefined;
  readonly clock: RuntimeClock;
  readonly allowedSkewMs: number;
  readonly store: MonitorStore | undefined;
  readonly historyLimit: number;
  readonly silencesPerTimer: number;
  readonly autoRegister: boolean;
  readonly matching: ConversionMatcherOptions;
  readonly onStatusChange: MonitorChangeListener | undefined;
  readonly onError: ErrorHandler | undefined;
}

/**
 * Checks a monitor's options and fills in their defaults.
 *
 * @example
 * ```ts
 * resolveMonitorOptions({ historyLimit: 3 }).allowedSkewMs; // 300_000
 * ```
 * @throws {@link TrackingInputError} `invalidOption` naming the bad option.
 */
export function resolveMonitorOptions(options: TagMonitorOptions): ResolvedMonitorOptions {
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
  if (options.autoRegister !== undefined && typeof options.autoRegister !== 'boolean') {
    throw new TrackingInputError(
      'invalidOption',
      'autoRegister',
      options.autoRegister,
      'true or false',
    );
  }
  return {
    windows: options.windows,
    clock: options.clock ?? realClock,
    allowedSkewMs,
    store: options.store,
    historyLimit,
    silencesPerTimer,
    autoRegister: options.autoRegister ?? false,
    matching: options.matching ?? {},
    onStatusChange: options.onStatusChange,
    onError: options.onError,
  };
}

/**
 * Checks that the windows given to a monitor are those its store was created with.
 *
 * @throws {@link TrackingInputError} `invalidOption` naming the window that differs.
 */
export function checkStoredWindows(
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
