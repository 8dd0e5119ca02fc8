import type { GoalDefinition } from 'uet-tag-status';
import { formatDuration, formatTime } from '../time.js';
import type { ModelGoal, ModelTag } from './modelView.js';

const HOUR_MS = 3_600_000;

/** A window in words: "24 hours", "7 days". */
function windowWords(ms: number): string {
  if (ms % (24 * HOUR_MS) === 0 && ms > 24 * HOUR_MS) return `${ms / (24 * HOUR_MS)} days`;
  if (ms % HOUR_MS === 0) return count(ms / HOUR_MS, 'hour');
  return formatDuration(ms);
}

const count = (n: number, what: string) =>
  `${n.toLocaleString('en-US')} ${what}${n === 1 ? '' : 's'}`;

/** "1,204 hits in the last 24 hours", or "hits up to …" when the source does not count them. */
function hitsSeen(tag: ModelTag, windowMs: number): string {
  const last = tag.lastDataAt === undefined ? '' : ` (the last at ${formatTime(tag.lastDataAt)})`;
  if (tag.recentHits === undefined) return `data from the tag${last}`;
  return `${count(tag.recentHits, 'hit')} in the last ${windowWords(windowMs)}${last}`;
}

/**
 * Why Microsoft's status of a tag and the model's differ, in a marketer's words: what each
 * side saw, and what to check.
 *
 * @example
 * ```ts
 * explainTagDifference('Inactive', tag, 86_400_000);
 * // 'the model saw 1,204 hits in the last 1d, …: the hits reach your collector but not Microsoft — check …'
 * ```
 */
export function explainTagDifference(reported: string, tag: ModelTag, windowMs: number): string {
  const seen = hitsSeen(tag, windowMs);
  const lastSeen =
    tag.lastDataAt === undefined ? 'none at all' : `the last at ${formatTime(tag.lastDataAt)}`;
  switch (`${reported}>${tag.status}`) {
    case 'Inactive>Active':
      return `the model saw ${seen}: the hits reach your collector but not Microsoft — check consent mode (ad storage denied), ad blockers, or that the tag id on your pages is ${tag.tagId}`;
    case 'Unverified>Active':
    case 'Unverified>Inactive':
      return `Microsoft has never received data from this tag, but the model saw data (${lastSeen}): the tag on your pages may carry another tag id than ${tag.tagId}, or its requests never reach Microsoft (consent mode, ad blockers, a proxy)`;
    case 'Active>Inactive':
    case 'Active>Unverified': {
      const modelSide =
        tag.lastDataAt === undefined
          ? 'the model has no data from it at all'
          : `the model's latest data from it is at ${formatTime(tag.lastDataAt)}`;
      return `Microsoft received data from this tag in the last ${windowWords(windowMs)}, but ${modelSide}: the data given to the model does not cover every place the tag runs (another site, an app, the Conversions API), or a log or collector missed traffic`;
    }
    case 'Inactive>Unverified':
      return `Microsoft received data from this tag once, but none in the last ${windowWords(windowMs)}; the model's data has none at all: give the model the traffic of the pages where the tag runs`;
    default:
      return `Microsoft says ${reported}, the model computes ${tag.status} from ${seen}`;
  }
}

/** A goal's definition, short: "URL begins with contoso.com/thanks". */
export function describeDefinition(definition: GoalDefinition | undefined): string {
  if (definition === undefined) return 'its definition is unknown to the model';
  if (definition.url !== undefined) {
    return `URL ${operatorWords(definition.url.operator)} ${definition.url.expression}`;
  }
  const event = definition.event;
  if (event !== undefined) {
    const parts: string[] = [];
    if (event.action)
      parts.push(`action ${operatorWords(event.action.operator)} ${event.action.expression}`);
    if (event.category)
      parts.push(`category ${operatorWords(event.category.operator)} ${event.category.expression}`);
    if (event.label)
      parts.push(`label ${operatorWords(event.label.operator)} ${event.label.expression}`);
    if (event.value) parts.push(`value ${valueWords(event.value.operator)} ${event.value.value}`);
    return `an event whose ${parts.join(' and ')}`;
  }
  if (definition.minimumDurationSeconds !== undefined) {
    return `a visit of at least ${formatDuration(definition.minimumDurationSeconds * 1000)}`;
  }
  if (definition.minimumPagesViewed !== undefined) {
    return `a visit of at least ${count(definition.minimumPagesViewed, 'page')}`;
  }
  return `a ${definition.goalType} goal`;
}

function operatorWords(operator: string): string {
  switch (operator) {
    case 'Equals':
      return 'equals';
    case 'BeginsWith':
      return 'begins with';
    case 'Contains':
      return 'contains';
    default:
      return 'matches the pattern';
  }
}

function valueWords(operator: string): string {
  if (operator === 'GreaterThan') return 'is greater than';
  if (operator === 'LessThan') return 'is less than';
  return 'equals';
}

/**
 * Why Microsoft's status of a goal and the model's differ, in a marketer's words.
 *
 * @example
 * ```ts
 * explainGoalDifference('NoRecentConversions', goal, tag, 604_800_000);
 * ```
 */
export function explainGoalDifference(
  reported: string,
  goal: ModelGoal,
  tag: ModelTag,
  windowMs: number,
): string {
  const window = windowWords(windowMs);
  const definition = describeDefinition(goal.definition);
  const last =
    goal.lastConversionAt === undefined
      ? ''
      : ` (the last at ${formatTime(goal.lastConversionAt)})`;
  const converted =
    goal.recentConversions === undefined
      ? `conversions (the last at ${goal.lastConversionAt === undefined ? '?' : formatTime(goal.lastConversionAt)})`
      : `${count(goal.recentConversions, 'conversion')} in the last ${window}${last}`;
  if (reported.startsWith('Tag') && !goal.status.startsWith('Tag')) {
    return `Microsoft's status comes from the tag (${reported}), while the model has the tag ${tag.status} (data ${tag.lastDataAt === undefined ? 'never seen' : `last seen at ${formatTime(tag.lastDataAt)}`}): see the tag's own line`;
  }
  if (goal.status.startsWith('Tag') && !reported.startsWith('Tag')) {
    return `the model's status comes from the tag, which it has ${tag.status} (data ${tag.lastDataAt === undefined ? 'never seen' : `last seen at ${formatTime(tag.lastDataAt)}`}), while Microsoft counts the goal's conversions: see the tag's own line`;
  }
  switch (`${reported}>${goal.status}`) {
    case 'NoRecentConversions>RecordingConversions':
      return `Microsoft recorded no conversion in the last ${window}, but the model counted ${converted} from hits matching ${definition}: Microsoft counts only conversions it can attribute to an ad click or view within the goal's conversion window (compare with --attribution click), or those hits do not reach Microsoft`;
    case 'RecordingConversions>NoRecentConversions':
      return `Microsoft recorded conversions in the last ${window}, but no hit in the model's data matches ${definition}: the conversions come from elsewhere (another site, an app, the Conversions API, offline imports), or the goal's definition on Microsoft's side differs from the one the model was given`;
    default:
      return `Microsoft says ${reported}, the model computes ${goal.status}`;
  }
}
