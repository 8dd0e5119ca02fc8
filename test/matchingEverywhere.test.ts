import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { replayFile } from '../packages/uet-tag/src/replay/replayFile.js';
import {
  createTagMonitor,
  type GoalDefinition,
  type UetHit,
} from '../packages/uet-tag-status/src/index.js';
import { defined, goals, hitsFor, TAGS } from './support/matchingArbitraries.js';
import { createReferenceMatcher } from './support/referenceMatcher.js';
import { simulatedClockAt } from './support/testClocks.js';

/*
 * M1–M7, U2, A2 wherever the model runs: random goals and random visits go through a
 * monitor (hit inputs, goals attached with their definitions) and through uet-tag replay
 * (an NDJSON file of hit records, the goals given as definitions), and both must convert
 * exactly what the plain reference of the rules converts, hit by hit and goal by goal,
 * report the same status changes at the same effective times, and end in the same
 * statuses. Times only move forward here, so that the monitor and the
 * replay see the hits in the same order as the reference.
 */

const START = Date.UTC(2025, 3, 1);
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'uet-matching-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));
let files = 0;

function goalsByTag(tagGoals: readonly { tagId: string; goal: GoalDefinition }[]) {
  return new Map(
    TAGS.map((tagId) => [
      tagId,
      tagGoals.filter((entry) => entry.tagId === tagId).map((entry) => entry.goal),
    ]),
  );
}

/** A change without its noticed time, which depends on when each processor ran. */
function describeChange(change: {
  tagId: string;
  goalId?: string;
  from: string;
  to: string;
  effectiveAt: number;
}): string {
  const subject = change.goalId === undefined ? change.tagId : `${change.tagId}/${change.goalId}`;
  return `${subject} ${change.from}->${change.to} @${change.effectiveAt}`;
}

/** Described changes grouped by their tag, each tag's in the order reported. */
function byTag(changes: readonly string[]): Record<string, string[]> {
  const grouped: Record<string, string[]> = {};
  for (const change of changes) {
    const tagId = change.split(/[/ ]/, 1)[0] as string;
    grouped[tagId] = [...(grouped[tagId] ?? []), change];
  }
  return grouped;
}

describe('goal matching through the monitor and replay, against the plain reference', () => {
  it('M1 M2 M3 M4 M5 M6 M7 U2 A2 the monitor and a replay convert what the reference converts, report the same changes and end in the same statuses', async () => {
    let runsWithConversions = 0;
    await fc.assert(
      fc.asyncProperty(
        goals.chain((tagGoals) => fc.tuple(fc.constant(tagGoals), hitsFor(tagGoals))),
        fc.constantFrom('none', 'click' as const),
        async ([tagGoals, hits], attribution) => {
          const definitions = goalsByTag(tagGoals);
          const reference = createReferenceMatcher({ attribution });
          for (const [tagId, list] of definitions) reference.setGoals(tagId, list);
          const clock = simulatedClockAt(START);
          const monitorChanges: string[] = [];
          const monitor = createTagMonitor({
            clock,
            autoRegister: true,
            matching: { attribution },
            onStatusChange: (change) => monitorChanges.push(describeChange(change)),
          });
          for (const [tagId, list] of definitions) monitor.registerTag(tagId, { goals: list });

          const expected = new Map<string, number>();
          const hitCounts = new Map<string, number>();
          const records: string[] = [];
          let at = START;
          for (const [fields, delta] of hits) {
            at += Math.max(0, delta);
            const hit = defined(fields) as UetHit;
            const converted = reference.match(hit, at);
            clock.increment(at - clock.now());
            expect(monitor.recordHit(hit, at)).toEqual(converted);
            for (const goalId of converted) {
              const key = `${hit.tagId}/${goalId}`;
              expected.set(key, (expected.get(key) ?? 0) + 1);
            }
            hitCounts.set(hit.tagId, (hitCounts.get(hit.tagId) ?? 0) + 1);
            records.push(JSON.stringify({ kind: 'hit', at, hit }));
          }

          files += 1;
          const file = path.join(scratch, `hits-${files}.ndjson`);
          fs.writeFileSync(file, `${records.join('\n')}\n`);
          const result = await replayFile(file, {
            definitions,
            tagIds: TAGS,
            matching: { attribution },
            until: at,
          });
          expect(result.statistics.malformed).toBe(0);
          const replayed = new Map<string, number>();
          for (const tag of result.hits) {
            expect(tag.hits).toBe(hitCounts.get(tag.tagId));
            for (const goal of tag.goals)
              replayed.set(`${tag.tagId}/${goal.goalId}`, goal.conversions);
          }
          expect(Object.fromEntries(replayed)).toEqual(Object.fromEntries(expected));
          if (expected.size > 0) runsWithConversions++;

          const monitorStatuses = [...monitor.statuses()].flatMap((tag) => [
            [tag.tagId, tag.status],
            ...tag.goals.map((goal) => [`${tag.tagId}/${goal.goalId}`, goal.status]),
          ]);
          const replayStatuses = result.timelines.map((timeline) => [
            timeline.goalId === undefined ? timeline.tagId : `${timeline.tagId}/${timeline.goalId}`,
            timeline.intervals.at(-1)?.status,
          ]);
          expect(Object.fromEntries(replayStatuses)).toEqual(Object.fromEntries(monitorStatuses));
          // The same changes, at the same effective times (decision 17 holds in both).
          expect(byTag(result.changes.map(describeChange))).toEqual(byTag(monitorChanges));
          monitor.close();
        },
      ),
      { numRuns: 100 },
    );
    // The random visits convert often enough for the comparison to mean something.
    expect(runsWithConversions).toBeGreaterThan(10);
  });
});
