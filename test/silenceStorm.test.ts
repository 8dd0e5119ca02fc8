import { describe, expect, it } from 'vitest';
import { createRandom } from '../packages/uet-tag/src/simulation/random.js';
import { applyInput } from '../packages/uet-tag-status/src/engine/applyInput.js';
import type { FactChange } from '../packages/uet-tag-status/src/engine/factChange.js';
import { nextSilence } from '../packages/uet-tag-status/src/engine/nextSilence.js';
import { StepMemo } from '../packages/uet-tag-status/src/engine/StepMemo.js';
import { settleTag } from '../packages/uet-tag-status/src/engine/settleTag.js';
import { stepTag } from '../packages/uet-tag-status/src/engine/stepTag.js';
import { createTagFacts, type TagFacts } from '../packages/uet-tag-status/src/engine/tagFacts.js';
import type { TagEvent } from '../packages/uet-tag-status/src/machines/types.js';
import { createTagMonitor } from '../packages/uet-tag-status/src/monitor/createTagMonitor.js';
import type {
  MonitorInput,
  MonitorStatusChange,
} from '../packages/uet-tag-status/src/monitor/monitorInput.js';
import {
  ConversionGoalType,
  type ConversionGoalType as GoalType,
} from '../packages/uet-tag-status/src/valueSets/conversionGoalType.js';
import { resolveWindows } from '../packages/uet-tag-status/src/windows.js';
import { simulatedClockAt } from './support/testClocks.js';

/*
 * Storms: many tags' silences falling due at once. The monitor applies each silence by
 * the step the machines took for the first tag of its kind (StepMemo); these tests
 * check, on more than 100,000 silences of tags with random histories (goals of every type,
 * activity, conversions, lost access), that this is exactly what full machine steps do.
 */

const windows = resolveWindows({ activityWindowMs: 5_000, conversionWindowMs: 15_000 });
const GOAL_TYPES = Object.values(ConversionGoalType);
const START = 10_000;
/** How long the random histories run before the storm. */
const HISTORY_MS = 8_000;

interface TagHistory {
  readonly goals: readonly { goalId: string; goalType: GoalType }[];
  /** The tag's inputs in time order, with the time each is processed at. */
  readonly inputs: readonly { readonly event: TagEvent; readonly now: number }[];
}

/**
 * A random history: up to two goals of random types, then some activity, conversions and
 * access changes at random times (in order, each processed when it happens). A share of
 * the tags get a plain history (one goal or none, activity only), as most tags of a real
 * storm have, so that kinds repeat.
 */
function randomHistory(random: () => number, plainShare: number): TagHistory {
  const plain = random() < plainShare;
  const goalCount = plain ? Math.floor(random() * 2) : Math.floor(random() * 3);
  const goals = Array.from({ length: goalCount }, (_, index) => ({
    goalId: `g${index}`,
    goalType: GOAL_TYPES[Math.floor(random() * GOAL_TYPES.length)] as GoalType,
  }));
  // Times on a 200 ms grid, so that the monitor gets the tags' inputs in a few dozen batches.
  const times = Array.from({ length: 1 + Math.floor(random() * (plain ? 2 : 4)) }, () =>
    Math.floor(START + 200 * Math.floor((random() * HISTORY_MS) / 200)),
  ).sort((a, b) => a - b);
  const inputs = times.map((at) => {
    const pick = plain ? 0 : random();
    if (pick < 0.6 || goals.length === 0 || pick >= 0.9) {
      if (pick >= 0.95) return { event: { type: 'tag.accessLost', at } as TagEvent, now: at };
      if (pick >= 0.9) return { event: { type: 'tag.accessRestored', at } as TagEvent, now: at };
      return { event: { type: 'tag.dataReceived', at, now: at } as TagEvent, now: at };
    }
    const goal = goals[Math.floor(random() * goals.length)] as TagHistory['goals'][number];
    return {
      event: { type: 'goal.conversionRecorded', goalId: goal.goalId, at, now: at } as TagEvent,
      now: at,
    };
  });
  return { goals, inputs };
}

/**
 * A tag's facts after its history, as the engine builds them (the silences due by each
 * input applied before it); its changes go to `changes`.
 */
function factsAfter(history: TagHistory, changes: FactChange[] = []): TagFacts {
  const facts = createTagFacts();
  for (const goal of history.goals) {
    stepTag(facts, { type: 'goal.attached', ...goal, at: START - 1 }, windows);
  }
  for (const { event, now } of history.inputs) {
    changes.push(...settleTag(facts, now, windows));
    changes.push(...applyInput(facts, event, now, windows));
  }
  return facts;
}

const histories = (count: number, seed: number, plainShare: number) => {
  const generator = createRandom(seed);
  return Array.from({ length: count }, () => randomHistory(() => generator.next(), plainShare));
};

describe('silence storms: every silence as a full machine step would apply it', () => {
  it('R4 G3 the memo gives the same facts and changes as full steps, silence by silence, on random tags', () => {
    const memo = new StepMemo();
    const differences: string[] = [];
    let silences = 0;
    for (const history of histories(15_000, 7, 0.5)) {
      const byMemo = factsAfter(history);
      const byMachines = structuredClone(byMemo);
      for (let due = nextSilence(byMemo, windows); due !== undefined; ) {
        const expected: readonly FactChange[] = stepTag(byMachines, due.event, windows, {
          fastPath: false,
        });
        const changes = memo.step(byMemo, due.event, windows);
        const got = exactly({ changes, facts: byMemo });
        if (got !== exactly({ changes: expected, facts: byMachines })) differences.push(got);
        silences += 1;
        due = nextSilence(byMemo, windows);
      }
    }
    expect(differences).toEqual([]);
    expect(silences).toBeGreaterThanOrEqual(15_000);
    // The machines stepped only to learn each kind of tag: most silences reused a step
    // (these histories are short and dense, so their kinds are many; a real storm's are few).
    expect(memo.fullSteps).toBeLessThan(silences / 2);
  }, 240_000);

  it('R4 G3 D7 a monitor storm of 100,000+ silences reports what full steps give, each silence once, in effective-time order', () => {
    const tags = histories(110_000, 11, 0.9);
    const clock = simulatedClockAt(START - 1);
    const reported: MonitorStatusChange[] = [];
    const monitor = createTagMonitor({
      clock,
      windows,
      onStatusChange: (change) => reported.push(change),
    });
    // Every tag registered with its goals, then all inputs in time order, each applied
    // when it happens: the monitor's state before the storm is what the engine builds.
    monitor.apply(
      tags.map((history, index) => ({
        kind: 'registerTag',
        tagId: `tag-${index}`,
        goals: history.goals,
      })) as MonitorInput[],
    );
    const timeline = tags
      .flatMap((history, index) => history.inputs.map((input) => ({ ...input, index })))
      .sort((a, b) => a.now - b.now || a.index - b.index);
    for (let first = 0; first < timeline.length; ) {
      const now = (timeline[first] as (typeof timeline)[number]).now;
      const batch: MonitorInput[] = [];
      for (; first < timeline.length && (timeline[first]?.now as number) === now; first++) {
        const { event, index } = timeline[first] as (typeof timeline)[number];
        batch.push(monitorInputOf(`tag-${index}`, event));
      }
      clock.increment(now - monitor.now());
      const { rejected } = monitor.apply(batch);
      expect(rejected).toEqual([]);
    }
    const stormAt = START + HISTORY_MS + 10 * windows.conversionWindowMs;
    const lastInputAt = monitor.now();
    const beforeStorm = reported.length;
    clock.increment(stormAt - monitor.now());
    const everything = reported.filter((change) => change.effectiveAt >= START);
    const storm = reported.slice(beforeStorm);
    // Each tag's history: its last ten changes as reported (the storm's were kept in tag order).
    const reportedByTag = new Map<string, MonitorStatusChange[]>();
    for (const change of reported) {
      const changes = reportedByTag.get(change.tagId);
      if (changes === undefined) reportedByTag.set(change.tagId, [change]);
      else changes.push(change);
    }
    const historyDifferences = tags
      .map((_, index) => `tag-${index}`)
      .filter(
        (tagId) =>
          exactly(monitor.history(tagId)) !== exactly((reportedByTag.get(tagId) ?? []).slice(-10)),
      );
    expect(historyDifferences).toEqual([]);
    monitor.close();

    // Each tag's changes, from its registration through the storm, against full steps.
    let expectedCount = 0;
    const differences: string[] = [];
    const byTag = new Map<string, MonitorStatusChange[]>();
    for (const change of everything) {
      const changes = byTag.get(change.tagId);
      if (changes === undefined) byTag.set(change.tagId, [change]);
      else changes.push(change);
    }
    tags.forEach((history, index) => {
      const expected: FactChange[] = [];
      const facts = factsAfter(history, expected);
      const stormChanges = settleTag(facts, stormAt, windows, { fastPath: false });
      expected.push(...stormChanges);
      expectedCount += stormChanges.filter((change) => change.effectiveAt > lastInputAt).length;
      const got = (byTag.get(`tag-${index}`) ?? []).map(
        ({ kind, from, to, effectiveAt, ...rest }) => ({
          kind,
          ...(kind === 'goal' ? { goalId: (rest as { goalId: string }).goalId } : {}),
          from,
          to,
          effectiveAt,
        }),
      );
      if (exactly(got) !== exactly(expected)) differences.push(`tag-${index}: ${exactly(got)}`);
    });
    expect(differences).toEqual([]);
    expect(storm.length).toBe(expectedCount);
    expect(storm.length).toBeGreaterThanOrEqual(100_000);
    for (let index = 1; index < storm.length; index++) {
      expect((storm[index] as MonitorStatusChange).effectiveAt).toBeGreaterThanOrEqual(
        (storm[index - 1] as MonitorStatusChange).effectiveAt,
      );
    }
  }, 300_000);
});

/** A value as text that tells every field apart, `undefined` ones included. */
function exactly(value: unknown): string {
  return JSON.stringify(value, (_key, field) => (field === undefined ? '(undefined)' : field));
}

/** The monitor input of one history event for tag `tagId`. */
function monitorInputOf(tagId: string, event: TagEvent): MonitorInput {
  switch (event.type) {
    case 'tag.dataReceived':
      return { kind: 'activity', tagId, at: event.at };
    case 'goal.conversionRecorded':
      return { kind: 'conversion', tagId, goalId: event.goalId, at: event.at };
    case 'tag.accessLost':
      return { kind: 'accessLost', tagId };
    case 'tag.accessRestored':
      return { kind: 'accessRestored', tagId };
    default:
      throw new Error(`no input for ${event.type}`);
  }
}
