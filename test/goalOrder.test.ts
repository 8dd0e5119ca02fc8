import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import { replayFile } from '../packages/uet-tag/src/replay/replayFile.js';
import { parseScenario } from '../packages/uet-tag/src/simulation/loadScenario.js';
import { simulateScenario } from '../packages/uet-tag/src/simulation/simulateScenario.js';
import { simulateWithActors } from '../packages/uet-tag/src/simulation/simulateWithActors.js';
import { createSqliteStore } from '../packages/uet-tag/src/sqlite/index.js';
import { createTagFacts, stepTag } from '../packages/uet-tag-status/src/engine/index.js';
import {
  createMemoryStore,
  createTagMonitor,
  createTagRuntime,
  DEFAULT_WINDOWS,
  type GoalDefinition,
  type MonitorStore,
} from '../packages/uet-tag-status/src/index.js';
import { AWKWARD_GOAL_IDS } from './support/awkwardIds.js';

/*
 * Goals come out in the order they were attached, everywhere, whatever their ids: an
 * object would list integer-like ids ('10', '9', '0') first in numeric order, and
 * prototype member names ('constructor', '__proto__') are traps for `in` and indexing.
 */

const ORDER = [...AWKWARD_GOAL_IDS];
const GOALS: GoalDefinition[] = ORDER.map((goalId) => ({ goalId, goalType: 'Url' }));
const DAY = DEFAULT_WINDOWS.activityWindowMs;
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'uet-goal-order-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

const goalIdsOf = (changes: readonly { kind: string; goalId?: string }[]) =>
  changes.flatMap((change) => (change.kind === 'goal' ? [change.goalId] : []));

describe('goal order is attachment order', () => {
  it(`G2 the runtime lists and reports its goals in attachment order (${ORDER.join(', ')})`, () => {
    const clock = new SimulatedClock();
    const runtime = createTagRuntime({ tagId: 't', clock, goals: GOALS });
    const changes: { kind: string; goalId?: string }[] = [];
    runtime.onStatusChange((change) => changes.push(change));
    runtime.recordActivity(0);
    clock.increment(DAY);
    expect([...runtime.goalStatuses().keys()]).toEqual(ORDER);
    expect(goalIdsOf(changes)).toEqual([...ORDER, ...ORDER]);
    runtime.stop();
  });

  it('G2 the engine keeps goal facts and reports goal changes in attachment order', () => {
    const facts = createTagFacts();
    for (const { goalId, goalType } of GOALS) {
      stepTag(facts, { type: 'goal.attached', goalId, goalType, at: 0 }, DEFAULT_WINDOWS);
    }
    const changes = stepTag(facts, { type: 'tag.dataReceived', at: 0, now: 0 }, DEFAULT_WINDOWS);
    expect(facts.goals.map((goal) => goal.goalId)).toEqual(ORDER);
    expect(goalIdsOf(changes)).toEqual(ORDER);
  });

  const stores: { name: string; create: () => MonitorStore }[] = [
    { name: 'memory store', create: () => createMemoryStore() },
    {
      name: 'SQLite store',
      create: () => createSqliteStore({ path: path.join(scratch, 'order.db') }),
    },
  ];
  for (const { name, create } of stores) {
    it(`D7 the monitor (${name}) reports, lists and restores goals in attachment order`, () => {
      const clock = new SimulatedClock();
      const store = create();
      const changes: { kind: string; goalId?: string }[] = [];
      let monitor = createTagMonitor({ clock, store, onStatusChange: (c) => changes.push(c) });
      monitor.registerTag('t', { goals: GOALS.slice(0, 4) });
      for (const goal of GOALS.slice(4)) monitor.attachGoal('t', goal);
      monitor.recordActivity('t', 0);
      clock.increment(DAY);
      expect(goalIdsOf(changes)).toEqual([...ORDER, ...ORDER]);
      expect(monitor.status('t').goals.map((goal) => goal.goalId)).toEqual(ORDER);
      expect(goalIdsOf(monitor.history('t'))).toEqual([...ORDER, ...ORDER].slice(-9));
      monitor.close();
      monitor = createTagMonitor({ clock, store });
      expect(monitor.status('t').goals.map((goal) => goal.goalId)).toEqual(ORDER);
      monitor.close();
    });
  }

  it('G2 the simulator and the actor reference give goal timelines in attachment order', () => {
    const scenario = parseScenario(
      JSON.stringify({
        name: 'order',
        start: 0,
        end: 3 * DAY,
        tags: [{ id: 't', hits: [DAY], goals: ORDER.map((id) => ({ id, type: 'Url' })) }],
      }),
      'json',
      'order.json',
    );
    for (const result of [simulateScenario(scenario), simulateWithActors(scenario)]) {
      expect(result.timelines.map((timeline) => timeline.goalId ?? 'tag')).toEqual([
        'tag',
        ...ORDER,
      ]);
      expect(goalIdsOf(result.changes)).toEqual([...ORDER, ...ORDER]);
    }
  });

  it('G2 replay gives goal timelines in the order the goals were declared', async () => {
    const file = path.join(scratch, 'order.ndjson');
    fs.writeFileSync(file, `${JSON.stringify({ kind: 'activity', tagId: 't', at: 0 })}\n`);
    const result = await replayFile(file, { goals: GOALS, until: 2 * DAY });
    expect(result.timelines.map((timeline) => timeline.goalId ?? 'tag')).toEqual(['tag', ...ORDER]);
  });
});
