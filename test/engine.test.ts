import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyInput } from '../packages/uet-tag-status/src/engine/applyInput.js';
import {
  effectiveTimeOf,
  type FactChange,
} from '../packages/uet-tag-status/src/engine/factChange.js';
import { applyFastPath } from '../packages/uet-tag-status/src/engine/fastPath.js';
import {
  nextSilence,
  nextSilenceAt,
  silenceEventAt,
} from '../packages/uet-tag-status/src/engine/nextSilence.js';
import { settleTag } from '../packages/uet-tag-status/src/engine/settleTag.js';
import { stepTag } from '../packages/uet-tag-status/src/engine/stepTag.js';
import { createTagFacts, type TagFacts } from '../packages/uet-tag-status/src/engine/tagFacts.js';
import { activityKeepsStatus } from '../packages/uet-tag-status/src/machines/chartFacts.js';
import type { TagEvent } from '../packages/uet-tag-status/src/machines/types.js';
import { trackingStatusesAt } from '../packages/uet-tag-status/src/oracle.js';
import { createTagRuntime } from '../packages/uet-tag-status/src/runtime/createTagRuntime.js';
import type { StatusChange } from '../packages/uet-tag-status/src/runtime/statusChange.js';
import {
  ConversionGoalType,
  isTagBasedGoalType,
} from '../packages/uet-tag-status/src/valueSets/conversionGoalType.js';
import { resolveWindows } from '../packages/uet-tag-status/src/windows.js';
import { awkwardGoalId } from './support/awkwardIds.js';
import { simulatedClockAt } from './support/testClocks.js';

const windows = resolveWindows({ activityWindowMs: 100, conversionWindowMs: 300 });
const SKEW = 10;
const START = 1_000;
const goalTypes = Object.values(ConversionGoalType);

type Op =
  | { kind: 'advance'; ms: number }
  | { kind: 'data'; ago: number }
  | { kind: 'conversion'; goal: number; ago: number }
  | { kind: 'accessLost' }
  | { kind: 'accessRestored' }
  | { kind: 'attach'; goalType: ConversionGoalType }
  | { kind: 'detach'; goal: number };

const ago = fc.oneof(
  fc.integer({ min: -SKEW, max: 20 }),
  fc.constantFrom(99, 100, 101, 299, 300, 301),
  fc.integer({ min: 0, max: 500 }),
);
const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('advance' as const),
      ms: fc.oneof(
        fc.integer({ min: 0, max: 400 }),
        fc.constantFrom(1, 99, 100, 101, 299, 300, 301),
      ),
    }),
  },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('data' as const), ago }) },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('conversion' as const), goal: fc.nat(5), ago }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('accessLost' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('accessRestored' as const) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('attach' as const),
      goalType: fc.constantFrom(...goalTypes),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('detach' as const), goal: fc.nat(5) }) },
);

type Comparable = Pick<StatusChange, 'kind' | 'from' | 'to' | 'effectiveAt'> & { goalId?: string };
const comparable = (change: FactChange | StatusChange): Comparable => ({
  kind: change.kind,
  from: change.from,
  to: change.to,
  effectiveAt: change.effectiveAt,
  ...(change.kind === 'goal' ? { goalId: change.goalId } : {}),
});

/** Drives the engine the way a processor does: settle, step, settle. */
function engineInput(
  facts: TagFacts,
  now: number,
  event: TagEvent,
  fastPath: boolean,
): FactChange[] {
  return [
    ...settleTag(facts, now, windows, { fastPath }),
    ...applyInput(facts, event, now, windows, { fastPath }),
  ];
}

describe('engine', () => {
  it('R7 G7 D1 D5: fast path, full machine steps, the timed runtime and the oracle agree after every step, goals in attachment order whatever their ids', () => {
    fc.assert(
      fc.property(fc.array(opArbitrary, { maxLength: 60 }), (ops) => {
        const clock = simulatedClockAt(START);
        const runtime = createTagRuntime({ tagId: 't', clock, windows, allowedSkewMs: SKEW });
        const runtimeChanges: Comparable[] = [];
        runtime.onStatusChange((change) => runtimeChanges.push(comparable(change)));
        const fast = createTagFacts();
        const full = createTagFacts();
        const fastChanges: Comparable[] = [];
        const fullChanges: Comparable[] = [];
        const history = {
          activities: [] as number[],
          goals: new Map<string, { goalType: ConversionGoalType; conversions: number[] }>(),
          tagAvailable: true,
        };
        let nextGoal = 0;
        const attached = () => [...history.goals.keys()];
        const apply = (event: TagEvent) => {
          const now = clock.now();
          fastChanges.push(...engineInput(fast, now, event, true).map(comparable));
          fullChanges.push(...engineInput(full, now, event, false).map(comparable));
        };
        for (const op of ops) {
          const now = clock.now();
          if (op.kind === 'advance') {
            clock.increment(op.ms);
            fastChanges.push(...settleTag(fast, clock.now(), windows).map(comparable));
            fullChanges.push(
              ...settleTag(full, clock.now(), windows, { fastPath: false }).map(comparable),
            );
          } else if (op.kind === 'data') {
            const at = Math.max(0, now - op.ago);
            runtime.recordActivity(at);
            history.activities.push(at);
            apply({ type: 'tag.dataReceived', at, now });
          } else if (op.kind === 'conversion') {
            const goalId = attached()[op.goal % Math.max(1, attached().length)];
            if (goalId === undefined) continue;
            const at = Math.max(0, now - op.ago);
            runtime.recordConversion(goalId, at);
            history.goals.get(goalId)?.conversions.push(at);
            apply({ type: 'goal.conversionRecorded', goalId, at, now });
          } else if (op.kind === 'accessLost' || op.kind === 'accessRestored') {
            if (op.kind === 'accessLost') runtime.loseTagAccess();
            else runtime.restoreTagAccess();
            history.tagAvailable = op.kind === 'accessRestored';
            apply({
              type: op.kind === 'accessLost' ? 'tag.accessLost' : 'tag.accessRestored',
              at: now,
            });
          } else if (op.kind === 'attach') {
            const goalId = awkwardGoalId(nextGoal++);
            runtime.attachGoal({ goalId, goalType: op.goalType });
            history.goals.set(goalId, { goalType: op.goalType, conversions: [] });
            apply({ type: 'goal.attached', goalId, goalType: op.goalType, at: now });
          } else {
            const goalId = attached()[op.goal % Math.max(1, attached().length)];
            if (goalId === undefined) continue;
            runtime.detachGoal(goalId);
            const detached = history.goals.get(goalId);
            // G6: its conversions through the tag stay tag activity after it is detached.
            if (detached && isTagBasedGoalType(detached.goalType)) {
              history.activities.push(...detached.conversions);
            }
            history.goals.delete(goalId);
            apply({ type: 'goal.detached', goalId });
          }
          const expected = trackingStatusesAt(
            { ...history, goals: Object.fromEntries(history.goals) },
            clock.now(),
            windows,
          );
          const statuses = (facts: TagFacts) => ({
            tag: facts.status,
            goals: Object.fromEntries(facts.goals.map((goal) => [goal.goalId, goal.status])),
          });
          expect(statuses(fast)).toEqual(expected);
          expect(statuses(full)).toEqual(expected);
          expect({
            tag: runtime.status(),
            goals: Object.fromEntries(runtime.goalStatuses()),
          }).toEqual(expected);
          expect(fastChanges).toEqual(runtimeChanges);
          expect(fullChanges).toEqual(runtimeChanges);
          expect(fast.goals.map((goal) => goal.goalId)).toEqual(attached());
          expect([...runtime.goalStatuses().keys()]).toEqual(attached());
        }
        runtime.stop();
      }),
      { numRuns: 300 },
    );
  });

  it('R3: an Active tag keeps its status on data without a machine step, moving only lastDataAt', () => {
    const facts = createTagFacts();
    stepTag(facts, { type: 'tag.dataReceived', at: 10, now: 10 }, windows);
    expect(applyFastPath(facts, { type: 'tag.dataReceived', at: 50, now: 50 })).toBe(true);
    expect(applyFastPath(facts, { type: 'tag.dataReceived', at: 20, now: 50 })).toBe(true);
    expect(facts).toMatchObject({ status: 'Active', firstDataAt: 10, lastDataAt: 50 });
  });

  it('R2: an Unverified tag is not eligible for the fast path', () => {
    const facts = createTagFacts();
    expect(applyFastPath(facts, { type: 'tag.dataReceived', at: 5, now: 5 })).toBe(false);
    expect(facts.lastDataAt).toBeUndefined();
  });

  it('R2 R3 R5: activityKeepsStatus says exactly when the fast path takes activity (only Active)', () => {
    const answers = (['Unverified', 'Active', 'Inactive'] as const).map((status) => {
      const facts: TagFacts = { ...createTagFacts(), status, firstDataAt: 1, lastDataAt: 1 };
      const taken = applyFastPath(facts, { type: 'tag.dataReceived', at: 5, now: 5 });
      return [status, activityKeepsStatus(status), taken];
    });
    expect(answers).toEqual([
      ['Unverified', false, false],
      ['Active', true, true],
      ['Inactive', false, false],
    ]);
  });

  it('D1a: a first activity older than the window passes through Active to Inactive', () => {
    const facts = createTagFacts();
    const changes = engineInput(
      facts,
      1_000,
      { type: 'tag.dataReceived', at: 500, now: 1_000 },
      true,
    );
    expect(changes).toEqual([
      { kind: 'tag', from: 'Unverified', to: 'Active', effectiveAt: 500 },
      { kind: 'tag', from: 'Active', to: 'Inactive', effectiveAt: 600 },
    ]);
  });

  it('G3: a Recording goal lapses at last conversion + window; on a tie the tag silence goes first', () => {
    const facts = createTagFacts();
    stepTag(facts, { type: 'goal.attached', goalId: 'buy', goalType: 'Url', at: 0 }, windows);
    stepTag(facts, { type: 'goal.conversionRecorded', goalId: 'buy', at: 0, now: 0 }, windows);
    stepTag(facts, { type: 'tag.dataReceived', at: 90, now: 90 }, windows);
    stepTag(facts, { type: 'tag.dataReceived', at: 180, now: 180 }, windows);
    stepTag(facts, { type: 'tag.dataReceived', at: 250, now: 250 }, windows);
    expect(nextSilence(facts, windows)).toEqual({
      at: 300,
      event: { type: 'goal.conversionWindowElapsed', goalId: 'buy', at: 300 },
    });
    stepTag(facts, { type: 'tag.dataReceived', at: 200, now: 250 }, windows);
    expect(nextSilence(facts, windows)?.at).toBe(300);
    const tie = createTagFacts();
    stepTag(tie, { type: 'goal.attached', goalId: 'buy', goalType: 'Url', at: 0 }, windows);
    stepTag(tie, { type: 'goal.conversionRecorded', goalId: 'buy', at: 0, now: 0 }, windows);
    for (const at of [90, 180, 200])
      stepTag(tie, { type: 'tag.dataReceived', at, now: at }, windows);
    expect(nextSilence(tie, windows)).toEqual({
      at: 300,
      event: { type: 'tag.silenceElapsed', at: 300 },
    });
  });

  it('G3: silenceEventAt names the silence due at nextSilenceAt (the tag first on a tie) and refuses a time when none falls due', () => {
    const facts = createTagFacts();
    stepTag(facts, { type: 'goal.attached', goalId: 'buy', goalType: 'Url', at: 0 }, windows);
    stepTag(facts, { type: 'goal.conversionRecorded', goalId: 'buy', at: 0, now: 0 }, windows);
    stepTag(facts, { type: 'tag.dataReceived', at: 250, now: 250 }, windows);
    const goalFirst = nextSilenceAt(facts, windows);
    expect(silenceEventAt(facts, windows, goalFirst)).toEqual(nextSilence(facts, windows)?.event);
    expect(silenceEventAt(facts, windows, goalFirst)).toEqual({
      type: 'goal.conversionWindowElapsed',
      goalId: 'buy',
      at: 300,
    });
    const tie = createTagFacts();
    stepTag(tie, { type: 'goal.attached', goalId: 'buy', goalType: 'Url', at: 0 }, windows);
    stepTag(tie, { type: 'goal.conversionRecorded', goalId: 'buy', at: 0, now: 0 }, windows);
    stepTag(tie, { type: 'tag.dataReceived', at: 200, now: 200 }, windows);
    expect(silenceEventAt(tie, windows, nextSilenceAt(tie, windows))).toEqual({
      type: 'tag.silenceElapsed',
      at: 300,
    });
    expect(() => silenceEventAt(tie, windows, 299)).toThrow('no silence due at 299');
  });

  it('D5: a change never takes effect before the status it leaves began', () => {
    expect(effectiveTimeOf(10, 24)).toBe(24);
    expect(effectiveTimeOf(30, 24)).toBe(30);
    expect(effectiveTimeOf(10, undefined)).toBe(10);
  });
});
