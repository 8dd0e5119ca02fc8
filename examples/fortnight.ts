/**
 * A simulated fortnight of one UET tag with two conversion goals, on a simulated clock:
 * `npm run demo`. It prints each status change with its time, subject, old and new
 * status and the status's documented meaning.
 *
 * The site is a business-to-business shop: visits on weekdays from 09:00 to 17:00 UTC,
 * none at weekends, so its tag goes Inactive every Saturday afternoon. The `signup` goal
 * counts sign-ups through the tag (`Url`); `offline-sales` imports sales made by phone
 * (`OfflineConversion`), which have no tag.
 */
import { pathToFileURL } from 'node:url';
import {
  type ConversionGoalTrackingStatus,
  conversionGoalTrackingStatusMeanings,
  createTagRuntime,
  HOUR_MS,
  type StatusChange,
  type UetTagTrackingStatus,
  uetTagTrackingStatusMeanings,
} from 'uet-tag-status';
import { SimulatedClock } from 'xstate';

const START = Date.UTC(2025, 0, 6); // Monday 6 January 2025, 00:00 UTC
const DAYS = 14;
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** What happens at a given hour from the start, besides the weekday visits. */
type Happening =
  | { readonly kind: 'conversion'; readonly goalId: string; readonly at: number }
  | { readonly kind: 'accessLost' }
  | { readonly kind: 'accessRestored' };

const at = (day: number, hour: number, minute = 0) =>
  START + day * 24 * HOUR_MS + hour * HOUR_MS + minute * 60_000;

/** The fortnight's happenings, by the time the processor learns of them. */
const happenings: readonly { readonly when: number; readonly what: Happening }[] = [
  { when: at(1, 14, 30), what: { kind: 'conversion', goalId: 'signup', at: at(1, 14, 30) } },
  // A phone sale on Tuesday afternoon, imported on Wednesday morning.
  { when: at(2, 10), what: { kind: 'conversion', goalId: 'offline-sales', at: at(1, 16) } },
  { when: at(9, 11), what: { kind: 'accessLost' } },
  { when: at(10, 10), what: { kind: 'accessRestored' } },
  { when: at(11, 15), what: { kind: 'conversion', goalId: 'signup', at: at(11, 15) } },
];

/** A UTC time as `Mon 06 Jan 09:00`. */
export function formatTime(ms: number): string {
  const date = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${WEEKDAYS[date.getUTCDay()]} ${pad(date.getUTCDate())} ${MONTHS[date.getUTCMonth()]} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}`;
}

function meaningOf(change: StatusChange): string {
  return change.kind === 'tag'
    ? uetTagTrackingStatusMeanings[change.to as UetTagTrackingStatus]
    : conversionGoalTrackingStatusMeanings[change.to as ConversionGoalTrackingStatus];
}

/** One status change as a line: when it took effect, whose, from → to, what it means. */
export function formatChange(change: StatusChange): string {
  const subject = change.kind === 'tag' ? `tag ${change.tagId}` : `goal ${change.goalId}`;
  const noticed =
    change.noticedAt === change.effectiveAt ? '' : ` (noticed ${formatTime(change.noticedAt)})`;
  return `${formatTime(change.effectiveAt)}  ${subject.padEnd(19)} ${change.from} → ${change.to}${noticed}. ${meaningOf(change)}`;
}

/** Runs the fortnight hour by hour and returns the printed timeline. */
export function fortnight(): string[] {
  const clock = new SimulatedClock();
  clock.set(START);
  const lines: string[] = [];
  const runtime = createTagRuntime({
    tagId: 'shop',
    clock,
    goals: [
      { goalId: 'signup', goalType: 'Url' },
      { goalId: 'offline-sales', goalType: 'OfflineConversion' },
    ],
    onStatusChange: (change) => lines.push(formatChange(change)),
  });
  lines.push(
    `${formatTime(START)}  start: tag shop ${runtime.status()}, ` +
      [...runtime.goalStatuses()].map(([goalId, status]) => `goal ${goalId} ${status}`).join(', '),
  );

  for (let hour = 0; hour <= DAYS * 24; hour += 1) {
    const now = START + hour * HOUR_MS;
    clock.set(now);
    const weekday = new Date(now).getUTCDay();
    const hourOfDay = hour % 24;
    if (weekday >= 1 && weekday <= 5 && hourOfDay >= 9 && hourOfDay <= 17) {
      runtime.recordActivity(now);
    }
    for (const { when, what } of happenings) {
      if (when < now || when >= now + HOUR_MS) continue;
      clock.set(when);
      if (what.kind === 'conversion') runtime.recordConversion(what.goalId, what.at);
      else if (what.kind === 'accessLost') runtime.loseTagAccess();
      else runtime.restoreTagAccess();
    }
  }
  lines.push(
    `${formatTime(clock.now())}  end: tag shop ${runtime.status()}, ` +
      [...runtime.goalStatuses()].map(([goalId, status]) => `goal ${goalId} ${status}`).join(', '),
  );
  runtime.stop();
  return lines;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const line of fortnight()) console.log(line);
}
