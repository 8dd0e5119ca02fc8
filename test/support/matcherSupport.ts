import {
  type ConversionMatcherOptions,
  createConversionMatcher,
} from '../../packages/uet-tag-status/src/uet/createConversionMatcher.js';
import type { GoalDefinition } from '../../packages/uet-tag-status/src/uet/goalDefinition.js';
import type { UetHit } from '../../packages/uet-tag-status/src/uet/UetHit.js';

/* Hits, goals and a matcher for the tests of createConversionMatcher. */

export const MINUTE = 60_000;
export const T0 = Date.UTC(2025, 0, 6);

export const page = (pageUrl: string, fields: Partial<UetHit> = {}): UetHit => ({
  tagId: '5',
  eventType: 'pageLoad',
  pageUrl,
  ...fields,
});
export const custom = (fields: Partial<UetHit>): UetHit => ({
  tagId: '5',
  eventType: 'custom',
  ...fields,
});

export const urlGoal = (
  goalId: string,
  expression: string,
  extra: Partial<GoalDefinition> = {},
): GoalDefinition => ({
  goalId,
  goalType: 'Url',
  url: { operator: 'Contains', expression },
  ...extra,
});

/** A matcher with the goals on tag 5, and `at(minutes, hit)` to match a hit T0 + minutes. */
export function start(goals: readonly GoalDefinition[], options: ConversionMatcherOptions = {}) {
  const matcher = createConversionMatcher(options);
  matcher.setGoals('5', goals);
  const at = (minutes: number, hit: UetHit) => matcher.match(hit, T0 + minutes * MINUTE);
  return { matcher, at };
}
