import { describe, expect, it } from 'vitest';
import { parseScenario } from '../packages/uet-tag/src/simulation/loadScenario.js';
import { createRandom, type Random } from '../packages/uet-tag/src/simulation/random.js';
import { simulateTag } from '../packages/uet-tag/src/simulation/simulateScenario.js';
import { TagProcessor } from '../packages/uet-tag/src/timelines/TagProcessor.js';
import { applyInput } from '../packages/uet-tag-status/src/engine/applyInput.js';
import { StepMemo } from '../packages/uet-tag-status/src/engine/StepMemo.js';
import { settleTag } from '../packages/uet-tag-status/src/engine/settleTag.js';
import { stepTag } from '../packages/uet-tag-status/src/engine/stepTag.js';
import { createTagFacts, type TagFacts } from '../packages/uet-tag-status/src/engine/tagFacts.js';
import type { TagEvent } from '../packages/uet-tag-status/src/machines/types.js';
import {
  ConversionGoalType,
  type ConversionGoalType as GoalType,
} from '../packages/uet-tag-status/src/valueSets/conversionGoalType.js';
import { resolveWindows } from '../packages/uet-tag-status/src/windows.js';

/*
 * StepMemo applies every input and silence by the step the machines took for the first
 * tag and event of its kind. These tests drive random tags (goals of every type, activity
 * and conversions on time, late and ahead within the skew, lost and restored access,
 * conversions for goals that are not attached, silences between inputs) through the memo
 * and through full machine steps side by side, and compare the facts and the changes
 * after every single step.
 */

const windows = resolveWindows({ activityWindowMs: 5_000, conversionWindowMs: 15_000 });
const GOAL_TYPES = Object.values(ConversionGoalType);
const START = 10_000;

/** Times are on a grid of this many ms, so that kinds of tags repeat as in a real run. */
const GRID_MS = 500;

/** A random input at about `now`: mostly on time, some late (up to two windows), a few ahead. */
function randomInput(random: Random, goalIds: readonly string[], now: number): TagEvent {
  const pick = random.next();
  const lateness = random.next();
  const at =
    lateness < 0.7
      ? now
      : lateness < 0.95
        ? now - GRID_MS * Math.floor((random.next() * 2 * windows.conversionWindowMs) / GRID_MS)
        : now + GRID_MS;
  if (pick < 0.5) return { type: 'tag.dataReceived', at, now };
  if (pick < 0.85) {
    // Now and then a goal that is not attached: the machines ignore its conversion.
    const goalId = goalIds[Math.floor(random.next() * (goalIds.length + 0.2))] ?? 'missing';
    return { type: 'goal.conversionRecorded', goalId, at, now };
  }
  return { type: pick < 0.93 ? 'tag.accessLost' : 'tag.accessRestored', at: now };
}

/** The facts and changes as text that tells every field apart, `undefined` ones included. */
function exactly(value: unknown): string {
  return JSON.stringify(value, (_key, field) => (field === undefined ? '(undefined)' : field));
}

interface Compared {
  readonly steps: number;
  readonly differences: readonly string[];
}

/** A new goal of a random type attached at `at`. */
function randomAttach(random: Random, goalIds: string[], at: number): TagEvent {
  const goalType = GOAL_TYPES[Math.floor(random.next() * GOAL_TYPES.length)] as GoalType;
  const goalId = `g${goalIds.length}`;
  goalIds.push(goalId);
  return { type: 'goal.attached', goalId, goalType, at };
}

/**
 * Runs `tags` random tags of `inputs` inputs each through a shared memo and through full
 * steps, the silences due before each input applied first (by the memo, and in full).
 * With `attachRate`, that share of inputs attaches a goal (through the memo too), and
 * the tags start with none.
 */
function compare(
  memo: StepMemo,
  seed: number,
  tags: number,
  inputs: number,
  attachRate = 0,
): Compared {
  const random = createRandom(seed);
  const differences: string[] = [];
  let steps = 0;
  for (let tag = 0; tag < tags; tag++) {
    const byMemo: TagFacts = createTagFacts(random.next() < 0.9);
    const goalIds: string[] = [];
    const goalCount = attachRate > 0 ? 0 : Math.floor(random.next() * 3);
    for (let index = 0; index < goalCount; index++) {
      const goalType = GOAL_TYPES[Math.floor(random.next() * GOAL_TYPES.length)] as GoalType;
      goalIds.push(`g${index}`);
      stepTag(byMemo, { type: 'goal.attached', goalId: `g${index}`, goalType, at: START }, windows);
    }
    const byMachines = structuredClone(byMemo);
    let now = START;
    for (let index = 0; index < inputs; index++) {
      now += GRID_MS * Math.floor((random.next() * 2 * windows.activityWindowMs) / GRID_MS);
      const silences = settleTag(byMemo, now, windows, { memo });
      const fullSilences = settleTag(byMachines, now, windows, { fastPath: false });
      const event =
        attachRate > 0 && random.next() < attachRate
          ? randomAttach(random, goalIds, now)
          : randomInput(random, goalIds, now);
      const changes = applyInput(byMemo, event, now, windows, { memo });
      const full = applyInput(byMachines, event, now, windows, { fastPath: false });
      const got = exactly({ silences, changes, facts: byMemo });
      const expected = exactly({ silences: fullSilences, changes: full, facts: byMachines });
      if (got !== expected) differences.push(`${exactly(event)}: ${got} instead of ${expected}`);
      steps += 1;
    }
  }
  return { steps, differences };
}

describe('StepMemo: every input and silence as a full machine step would apply it', () => {
  it('R2 R3 R4 R5 G3 G4 D1 D3 the memo gives the same facts and changes as full steps after every input, on random tags', () => {
    const memo = new StepMemo();
    const { steps, differences } = compare(memo, 31, 3_000, 40);
    expect(differences).toEqual([]);
    expect(steps).toBe(120_000);
  }, 240_000);

  it('G1 G2 G4 G5 goals attached through the memo at any point of a history get the facts and changes of full steps', () => {
    const memo = new StepMemo();
    const { steps, differences } = compare(memo, 53, 1_500, 40, 0.08);
    expect(differences).toEqual([]);
    expect(steps).toBe(60_000);
  }, 240_000);

  it('R4 R5 a year of flapping tags steps the machines once per kind, not per change', () => {
    const scenario = parseScenario(
      JSON.stringify({
        name: 'flapping',
        start: '2024-01-01T00:00:00Z',
        end: '+365d',
        seed: 3,
        tags: Array.from({ length: 20 }, (_, index) => ({
          id: `tag${index}`,
          traffic: { ratePerHour: 0.04 },
          goals: [{ id: 'signup', type: 'Url', conversionRate: 0.1 }],
        })),
      }),
      'json',
    );
    const memo = new StepMemo();
    let changes = 0;
    scenario.tags.forEach((tag, index) => {
      const processor = new TagProcessor(tag.id, scenario.start, scenario.windows, {
        retainChanges: false,
        memo,
      });
      simulateTag(scenario, index, scenario.seed, processor);
      for (const summary of processor.summaries(scenario.end)) changes += summary.changes;
    });
    expect(changes).toBeGreaterThan(10_000);
    // One full step per kind of tag and event met: attaching the goals takes one, not 20.
    expect(memo.fullSteps).toBeLessThan(changes / 20);
    // About one step in two changes anything; most are of a kind that followed the kind of
    // the step before, found without ranking the tag's times.
    expect(memo.rankedSteps).toBeLessThan(changes / 8);
    const again = new StepMemo();
    const processor = new TagProcessor('tagA', scenario.start, scenario.windows, { memo: again });
    for (const goalId of ['a', 'b', 'c']) processor.goalAttached(goalId, 'Url', scenario.start);
    const other = new TagProcessor('tagB', scenario.start, scenario.windows, { memo: again });
    for (const goalId of ['d', 'e', 'f']) other.goalAttached(goalId, 'Url', scenario.start);
    expect(again.fullSteps).toBe(3);
    expect(other.facts.goals.map((goal) => goal.goalId)).toEqual(['d', 'e', 'f']);
  });

  it('R4 G3 a memo whose capacity is reached starts again and still gives full steps', () => {
    const memo = new StepMemo(16);
    const { differences } = compare(memo, 47, 300, 40);
    expect(differences).toEqual([]);
  }, 120_000);

  it('R4 a memo used with other windows forgets the kinds of the old ones', () => {
    const memo = new StepMemo();
    const facts = createTagFacts();
    stepTag(facts, { type: 'tag.dataReceived', at: 0, now: 0 }, windows, { memo });
    const other = resolveWindows({ activityWindowMs: 9_000, conversionWindowMs: 15_000 });
    const full = structuredClone(facts);
    const event: TagEvent = { type: 'tag.silenceElapsed', at: 5_000 };
    // Under the first windows this silence lapses the tag; under the other ones it does not.
    expect(stepTag(structuredClone(facts), event, windows, { memo })).toHaveLength(1);
    expect(stepTag(facts, event, other, { memo })).toEqual(
      stepTag(full, event, other, { fastPath: false }),
    );
    expect(facts).toEqual(full);
    expect(facts.status).toBe('Active');
  });
});
