import { isoTime, type TagMonitor, UetTagTrackingStatus } from 'uet-tag-status';
import { nextDeadlineOf } from './tagViews.js';

/**
 * An early warning (`--warn-before`): an `Active` tag turns `Inactive` at `inactiveAt` if
 * nothing arrives before. Sent on the change stream (event `warning`) and to webhooks,
 * with `key` as its idempotency key (one warning per tag and deadline).
 */
export interface DeadlineWarning {
  readonly kind: 'warning';
  readonly key: string;
  readonly tagId: string;
  readonly status: typeof UetTagTrackingStatus.Active;
  readonly inactiveAt: number;
  readonly inactiveTime: string;
  readonly warnedAt: number;
  readonly warnedTime: string;
}

/**
 * How often tags are looked at for a warning time: a tenth of it, from 250 ms to a minute.
 *
 * @example
 * ```ts
 * warningCheckEveryMs(3_600_000); // 60_000
 * ```
 */
export function warningCheckEveryMs(warnBeforeMs: number): number {
  return Math.min(60_000, Math.max(250, Math.floor(warnBeforeMs / 10)));
}

/**
 * Watches for tags that will turn `Inactive` within `warnBeforeMs` if nothing arrives and
 * warns once per tag and deadline (new data moves the deadline, and a later warning may
 * follow). It looks every `checkEveryMs` (a tenth of `warnBeforeMs`, from 250 ms to one
 * minute), over every tag: O(tags) per look.
 *
 * @example
 * ```ts
 * const warnings = new DeadlineWarnings(monitor, 3_600_000, (warning) => feed.warn(warning));
 * warnings.start();
 * ```
 */
export class DeadlineWarnings {
  /** The deadline each tag was last warned of. */
  private readonly warned = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly monitor: TagMonitor,
    private readonly warnBeforeMs: number,
    private readonly emit: (warning: DeadlineWarning) => void,
  ) {}

  /** How often the tags are looked at, in ms. */
  get checkEveryMs(): number {
    return warningCheckEveryMs(this.warnBeforeMs);
  }

  /** Starts looking, now and then every {@link checkEveryMs}. */
  start(): void {
    this.check();
    this.timer = setInterval(() => this.check(), this.checkEveryMs);
    this.timer.unref();
  }

  /** Stops looking. */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Looks once: warns of every deadline within the warning time not warned of yet. */
  check(): void {
    const now = this.monitor.now();
    const window = this.monitor.windows.activityWindowMs;
    for (const report of this.monitor.statuses()) {
      const inactiveAt = nextDeadlineOf(report, window);
      if (inactiveAt === undefined) {
        this.warned.delete(report.tagId);
        continue;
      }
      if (inactiveAt - now > this.warnBeforeMs || inactiveAt <= now) continue;
      if (this.warned.get(report.tagId) === inactiveAt) continue;
      this.warned.set(report.tagId, inactiveAt);
      this.emit({
        kind: 'warning',
        key: `warning:${report.tagId}:${inactiveAt}`,
        tagId: report.tagId,
        status: UetTagTrackingStatus.Active,
        inactiveAt,
        inactiveTime: isoTime(inactiveAt),
        warnedAt: now,
        warnedTime: isoTime(now),
      });
    }
  }
}
