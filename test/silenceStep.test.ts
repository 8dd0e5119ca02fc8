import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyInput } from '../packages/uet-tag-status/src/engine/applyInput.js';
import { nextSilence, nextSilenceAt } from '../packages/uet-tag-status/src/engine/nextSilence.js';
import { SilenceStep } from '../packages/uet-tag-status/src/engine/SilenceStep.js';
import { StepMemo } from '../packages/uet-tag-status/src/engine/StepMemo.js';
import { settleTag } from '../packages/uet-tag-status/src/engine/settleTag.js';
import { stepThroughMachines } from '../packages/uet-tag-status/src/engine/stepThroughMachines.js';
import { createTagFacts, type TagFacts } from '../packages/uet-tag-status/src/engine/tagFacts.js';
import type { TagEvent } from '../packages/uet-tag-status/src/machines/types.js';
import { TagTable } from '../packages/uet-tag-status/src/monitor/TagTable.js';
import { UetTagTrackingStatus } from '../packages/uet-tag-status/src/valueSets/uetTagTrackingStatus.js';
import { resolveWindows } from '../packages/uet-tag-status/src/windows.js';

/*
 * SilenceStep applies a goalless tag's own silence by the step the machines took for one
 * sample tag, checking only the times that step reads. These tests build random goalless
 * tags (hits on a coarse grid, lost and restored access, silences between), derive the
 * step from one and compare what it gives on every tag it accepts with full machine steps.
 */

const windows = resolveWindows({ activityWindowMs: 5_000, conversionWindowMs: 15_000 });
const GRID_MS = 500;
const START = 10_000;

type Action = { readonly gap: number; readonly kind: 'data' | 'lost' | 'restored' };
const action: fc.Arbitrary<Action> = fc.record({
  gap: fc.integer({ min: 0, max: 24 }),
  kind: fc.constantFrom('data', 'data', 'data', 'lost', 'restored'),
});
const history = fc.array(action, { minLength: 1, maxLength: 8 });

/** A goalless tag after `actions` (each `gap` grid steps after the last, silences settled). */
function tagAfter(actions: readonly Action[]): TagFacts {
  const facts = createTagFacts();
  let now = START;
  for (const { gap, kind } of actions) {
    now += gap * GRID_MS;
    settleTag(facts, now, windows, { fastPath: false });
    const event: TagEvent =
      kind === 'data'
        ? { type: 'tag.dataReceived', at: now, now }
        : { type: kind === 'lost' ? 'tag.accessLost' : 'tag.accessRestored', at: now };
    applyInput(facts, event, now, windows, { fastPath: false });
  }
  return facts;
}

/** The time of the tag's own silence, when that is the silence due next. */
function ownSilenceOf(facts: TagFacts): number | undefined {
  const due = nextSilence(facts, windows);
  return due?.event.type === 'tag.silenceElapsed' ? due.at : undefined;
}

function exactly(value: unknown): string {
  return JSON.stringify(value, (_key, field) => (field === undefined ? '(undefined)' : field));
}

describe('SilenceStep: a goalless tag silence as a full machine step would apply it', () => {
  it('R4 on random tags, every tag the derived step accepts ends as the full step leaves it, with the same changes', () => {
    let accepted = 0;
    fc.assert(
      fc.property(history, fc.array(history, { minLength: 1, maxLength: 30 }), (sample, others) => {
        const sampleFacts = tagAfter(sample);
        const sampleAt = ownSilenceOf(sampleFacts);
        fc.pre(sampleAt !== undefined);
        const silence = SilenceStep.derive(sampleFacts, sampleAt as number, windows);
        if (silence === undefined) return;
        // The sample's own kind is always accepted.
        expect(silence.matches(structuredClone(sampleFacts), sampleAt as number, windows)).toBe(
          true,
        );
        for (const other of [sample, ...others]) {
          const facts = tagAfter(other);
          const at = ownSilenceOf(facts);
          if (at === undefined || !silence.matches(facts, at, windows)) continue;
          accepted += 1;
          const full = structuredClone(facts);
          const fullChanges = stepThroughMachines(
            full,
            { type: 'tag.silenceElapsed', at },
            windows,
          );
          const changes = silence.apply(facts);
          expect(exactly({ facts, changes })).toBe(exactly({ facts: full, changes: fullChanges }));
        }
      }),
      { numRuns: 60, seed: 14 },
    );
    expect(accepted).toBeGreaterThan(60);
  }, 240_000);

  it("R4 on a tag table's columns, a derived step leaves every tag it accepts as the full step does, and declines the rest unchanged", () => {
    let accepted = 0;
    let declined = 0;
    fc.assert(
      fc.property(
        history,
        fc.array(fc.tuple(history, fc.constantFrom(0, 0, 0, 1, -1), fc.boolean()), {
          minLength: 1,
          maxLength: 30,
        }),
        (sample, others) => {
          const sampleFacts = tagAfter(sample);
          const sampleAt = ownSilenceOf(sampleFacts);
          fc.pre(sampleAt !== undefined);
          const silence = SilenceStep.derive(sampleFacts, sampleAt as number, windows);
          if (silence === undefined) return;
          const table = new TagTable();
          others.forEach(([other, keyShift, withGoal], index) => {
            const facts = tagAfter(other);
            if (withGoal) {
              stepThroughMachines(
                facts,
                { type: 'goal.attached', goalId: 'buy', goalType: 'Url', at: START },
                windows,
              );
            }
            const no = table.add(`tag-${index}`, facts);
            const key = nextSilenceAt(facts, windows) + keyShift * GRID_MS;
            const before = exactly(table.toStored(no));
            const expectsStep =
              keyShift === 0 &&
              ownSilenceOf(facts) === key &&
              silence.matches(structuredClone(facts), key, windows);
            const changes = table.stepSilence(no, key, silence, windows);
            expect(changes !== undefined).toBe(expectsStep);
            if (changes === undefined) {
              declined += 1;
              expect(exactly(table.toStored(no))).toBe(before);
              return;
            }
            accepted += 1;
            const full = structuredClone(facts);
            const fullChanges = stepThroughMachines(
              full,
              { type: 'tag.silenceElapsed', at: key },
              windows,
            );
            expect(exactly(changes)).toBe(exactly(fullChanges));
            const { no: _no, tagId: _tagId, ...stored } = table.toStored(no);
            expect(exactly(stored)).toBe(exactly(full));
            expect(silence.nextSilenceAfter(windows)).toBe(nextSilenceAt(full, windows));
          });
        },
      ),
      { numRuns: 240, seed: 21 },
    );
    expect(accepted).toBeGreaterThan(80);
    expect(declined).toBeGreaterThan(80);
  }, 240_000);

  it('R4 the step of an Active tag reads not its first data time: tags of other first data times are accepted', () => {
    const sample = tagAfter([{ gap: 0, kind: 'data' }]);
    const sampleAt = ownSilenceOf(sample) as number;
    const silence = SilenceStep.derive(sample, sampleAt, windows) as SilenceStep;
    expect(silence).toBeDefined();
    // Active again after a lapse: its first data time is before the others, where the
    // sample's ties with them (a kind of its own for StepMemo, which checks every time).
    const other = tagAfter([
      { gap: 0, kind: 'data' },
      { gap: 12, kind: 'data' },
    ]);
    expect(other.firstDataAt).toBeLessThan(other.changedAt as number);
    const at = ownSilenceOf(other) as number;
    expect(other.status).toBe(UetTagTrackingStatus.Active);
    expect(silence.matches(other, at, windows)).toBe(true);
    const full = structuredClone(other);
    const fullChanges = stepThroughMachines(full, { type: 'tag.silenceElapsed', at }, windows);
    expect(exactly(silence.apply(other))).toBe(exactly(fullChanges));
    expect(exactly(other)).toBe(exactly(full));
  });

  it('R4 a storm through StepMemo.stepSilence gives what full steps give, and takes few full steps', () => {
    const memo = new StepMemo();
    const runs = fc.sample(history, { numRuns: 40, seed: 5 });
    let silences = 0;
    for (const run of runs) {
      // A run of 600 tags of one history, shifted in time: a storm's run of one kind.
      for (let index = 0; index < 600; index++) {
        const facts = tagAfter([{ gap: index, kind: 'data' }, ...run]);
        const at = ownSilenceOf(facts);
        if (at === undefined) continue;
        const full = structuredClone(facts);
        const fullChanges = stepThroughMachines(full, { type: 'tag.silenceElapsed', at }, windows);
        const changes = memo.stepSilence(facts, { type: 'tag.silenceElapsed', at }, windows);
        expect(exactly({ facts, changes })).toBe(exactly({ facts: full, changes: fullChanges }));
        silences += 1;
      }
    }
    expect(silences).toBeGreaterThan(10_000);
    expect(memo.fullSteps).toBeLessThan(silences / 50);
  }, 240_000);
});
