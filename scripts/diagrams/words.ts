import { DAY_MS, DEFAULT_WINDOWS, HOUR_MS } from '../../packages/uet-tag-status/src/windows.js';

/** A window in words: whole days as "7 days", whole hours as "24 h". */
export function durationInWords(ms: number): string {
  if (ms % DAY_MS === 0 && ms !== DAY_MS) return `${ms / DAY_MS} days`;
  if (ms % HOUR_MS === 0) return `${ms / HOUR_MS} h`;
  return `${ms} ms`;
}

const activity = durationInWords(DEFAULT_WINDOWS.activityWindowMs);
const conversion = durationInWords(DEFAULT_WINDOWS.conversionWindowMs);

/** What each machine event means to a reader. */
export const eventWords: Readonly<Record<string, string>> = {
  'tag.dataReceived': 'data received',
  'tag.silenceElapsed': `${activity} without data`,
  'tag.accessLost': 'tag access lost',
  'tag.accessRestored': 'tag access restored',
  'tag.statusChanged': 'tag status changed',
  'goal.attached': 'goal attached',
  'goal.detached': 'goal detached',
  'goal.conversionRecorded': 'conversion recorded',
  'goal.conversionWindowElapsed': `no conversion in ${conversion}`,
};

/** What each named guard asks, as a reader would say it after "if". */
export const guardWords: Readonly<Record<string, string>> = {
  isActivityWindowElapsed: 'no newer data came',
  isRecentActivity: `stamped in the last ${activity}`,
  isConversionThroughTag: 'for a tag-based goal',
  isTagUnavailable: 'no access to the tag (tag-based goal)',
  isTagUnverified: 'tag Unverified (tag-based goal)',
  isTagInactive: 'tag Inactive (tag-based goal)',
  hasRecentConversion: `a conversion in the last ${conversion}`,
};

/** How guard combinators read. */
export const combinatorWords: Readonly<Record<string, string>> = {
  and: ' and ',
  or: ' or ',
};

/** Heads the list of root transitions that keep every state's status. */
export const everywhereHeading = 'In every state, the status stays on';

/** Names the source of transitions that leave every status alike. */
export const anyStateWords = 'any status';
