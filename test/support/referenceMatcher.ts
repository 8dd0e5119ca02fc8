import type {
  ConversionMatcher,
  ConversionMatcherOptions,
} from '../../packages/uet-tag-status/src/uet/createConversionMatcher.js';
import type {
  GoalDefinition,
  GoalExpression,
} from '../../packages/uet-tag-status/src/uet/goalDefinition.js';
import { compileDotNetRegex } from '../../packages/uet-tag-status/src/uet/regex/compileDotNetRegex.js';
import type { UetHit } from '../../packages/uet-tag-status/src/uet/UetHit.js';

/*
 * The goal matching of SPEC M1–M6 and A2 written the plain way, as the documentation of
 * createConversionMatcher states it: every goal tested one after another on every hit,
 * a regular expression run per goal, every visit and click kept forever. Nothing is
 * indexed, nothing is evicted; closed visits and old clicks are recognised by their
 * times alone. The indexed matcher must give the same goal ids for every hit.
 */

interface Visit {
  firstAt: number;
  lastAt: number;
  sessionId: string | undefined;
  pages: number;
}

interface Progress {
  lastedBefore: number;
  lasted: number;
  pages: number;
}

const reduce = (text: string) => text.replace(/^https?:\/\//, '').replace(/^www\./, '');

function holds({ operator, expression }: GoalExpression, value: string): boolean {
  const text = value.toLowerCase();
  const wanted = expression.toLowerCase();
  switch (operator) {
    case 'Equals':
      return reduce(text) === reduce(wanted);
    case 'BeginsWith':
      return reduce(text).startsWith(reduce(wanted));
    case 'Contains':
      return text.includes(wanted);
    case 'RegularExpression':
      return compileDotNetRegex(expression).regExp.test(value);
  }
}

function isClick(hit: UetHit): boolean {
  if (hit.clickId?.endsWith('-1')) return true;
  const url = hit.pageUrl ?? '';
  const beforeFragment = url.split('#')[0] ?? '';
  const query = beforeFragment.includes('?')
    ? beforeFragment.slice(beforeFragment.indexOf('?') + 1)
    : '';
  return query
    .split('&')
    .some((part) => part.slice(0, 8).toLowerCase() === 'msclkid=' && part.length > 8);
}

function convertsOnEvent(goal: GoalDefinition, hit: UetHit): boolean {
  const event = goal.event;
  if (event === undefined || hit.eventType !== 'custom') return false;
  const fields = [
    [event.action, hit.eventAction],
    [event.category, hit.eventCategory],
    [event.label, hit.eventLabel],
  ] as const;
  for (const [condition, value] of fields) {
    if (condition !== undefined && (value === undefined || !holds(condition, value))) return false;
  }
  if (event.value !== undefined) {
    const ev = hit.eventValue;
    if (ev === undefined) return false;
    const { operator, value } = event.value;
    if (operator === 'Equals' && !(ev === value)) return false;
    if (operator === 'LessThan' && !(ev < value)) return false;
    if (operator === 'GreaterThan' && !(ev > value)) return false;
  }
  return true;
}

/** The reference: same interface as the matcher, minus the counters. */
export function createReferenceMatcher(
  options: ConversionMatcherOptions = {},
): Pick<ConversionMatcher, 'setGoals' | 'match'> {
  const timeout = options.visitTimeoutMs ?? 30 * 60_000;
  const byClick = options.attribution === 'click';
  const goalsOf = new Map<string, readonly GoalDefinition[]>();
  const visits = new Map<string, Visit>();
  const clicks = new Map<string, number[]>();
  let now = 0;

  function progressOf(key: string | undefined, hit: UetHit, at: number): Progress | undefined {
    const isPage = hit.eventType === 'pageLoad';
    if (key === undefined) return { lastedBefore: -1, lasted: 0, pages: isPage ? 1 : 0 };
    let visit = visits.get(key);
    if (visit !== undefined && visit.lastAt + timeout <= now) visit = undefined;
    if (visit !== undefined) {
      const otherSession =
        hit.sessionId !== undefined &&
        visit.sessionId !== undefined &&
        hit.sessionId !== visit.sessionId;
      if (otherSession && at < visit.lastAt) return undefined;
      if (!otherSession && at <= visit.firstAt - timeout) return undefined;
      if (otherSession) visit = undefined;
    }
    let lastedBefore: number;
    if (visit === undefined) {
      if (at + timeout <= now) return undefined;
      visit = { firstAt: at, lastAt: at, sessionId: hit.sessionId, pages: 0 };
      visits.set(key, visit);
      lastedBefore = -1;
    } else {
      lastedBefore = visit.lastAt - visit.firstAt;
      visit.firstAt = Math.min(visit.firstAt, at);
      visit.lastAt = Math.max(visit.lastAt, at);
      if (visit.sessionId === undefined) visit.sessionId = hit.sessionId;
    }
    if (isPage) visit.pages += 1;
    return { lastedBefore, lasted: visit.lastAt - visit.firstAt, pages: visit.pages };
  }

  return {
    setGoals(tagId, goals) {
      goalsOf.set(tagId, goals);
    },

    match(hit, at) {
      now = Math.max(now, at);
      const all = goalsOf.get(hit.tagId);
      if (all === undefined) return [];
      const goals = all.filter(
        (goal) =>
          goal.status !== 'Paused' &&
          goal.status !== 'Deleted' &&
          ['Url', 'Event', 'Duration', 'PagesViewedPerVisit'].includes(goal.goalType),
      );
      const windowOf = (goal: GoalDefinition) => (goal.conversionWindowMinutes ?? 43_200) * 60_000;
      const keep = Math.max(0, ...goals.map(windowOf));
      const key = hit.visitorId === undefined ? undefined : `${hit.tagId}/${hit.visitorId}`;
      const needsVisits = goals.some(
        (goal) => goal.goalType === 'Duration' || goal.goalType === 'PagesViewedPerVisit',
      );
      const progress = needsVisits ? progressOf(key, hit, at) : undefined;
      const clicked = isClick(hit);
      if (byClick && clicked && key !== undefined)
        clicks.set(key, [...(clicks.get(key) ?? []), at]);
      const clickTimes = key === undefined ? (clicked ? [at] : []) : (clicks.get(key) ?? []);
      const converted: string[] = [];
      for (const goal of goals) {
        let matches = false;
        switch (goal.goalType) {
          case 'Url':
            matches =
              hit.eventType === 'pageLoad' &&
              hit.pageUrl !== undefined &&
              goal.url !== undefined &&
              holds(goal.url, hit.pageUrl);
            break;
          case 'Event':
            matches = convertsOnEvent(goal, hit);
            break;
          case 'Duration': {
            const threshold = (goal.minimumDurationSeconds ?? 0) * 1_000;
            matches =
              progress !== undefined &&
              progress.lastedBefore < threshold &&
              threshold <= progress.lasted;
            break;
          }
          case 'PagesViewedPerVisit':
            matches =
              hit.eventType === 'pageLoad' &&
              progress !== undefined &&
              progress.pages === Math.max(1, goal.minimumPagesViewed ?? 0);
            break;
        }
        if (matches && byClick) {
          matches = clickTimes.some(
            (click) => click <= at && at - click < windowOf(goal) && click + keep > now,
          );
        }
        if (matches) converted.push(goal.goalId);
      }
      return converted;
    },
  };
}
