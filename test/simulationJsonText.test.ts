import fc from 'fast-check';
import { statusChange } from 'uet-tag-status';
import { describe, expect, it } from 'vitest';
import { ChangeJsonText } from '../packages/uet-tag/src/cli/ChangeJsonText.js';
import { timelinesJson } from '../packages/uet-tag/src/cli/jsonReport.js';
import { jsonNumber } from '../packages/uet-tag/src/cli/jsonText.js';
import { PieceWriter } from '../packages/uet-tag/src/cli/PieceWriter.js';
import { writeTimelineJson } from '../packages/uet-tag/src/cli/timelineJsonText.js';
import type { SubjectTimeline } from '../packages/uet-tag/src/timelines/timeline.js';

/*
 * `simulate --json` writes its timelines and change records as bytes; each item
 * must be exactly what `JSON.stringify(report, null, 2)` prints for it in the report.
 */

/** The text `write` writes into a `PieceWriter`. */
function written(write: (out: PieceWriter) => void): string {
  const pieces: Uint8Array[] = [];
  const out = new PieceWriter((bytes) => pieces.push(bytes));
  write(out);
  out.flush();
  return Buffer.concat(pieces).toString('utf8');
}

/** The text `JSON.stringify(report, null, 2)` prints for `item` as an item of a top-level array. */
function printedItem(item: unknown): string {
  const text = JSON.stringify({ items: [item] }, null, 2);
  return text.slice('{\n  "items": [\n'.length, -'\n  ]\n}'.length);
}

const AWKWARD_IDS = [
  'shop',
  'a "quoted" id',
  'back\\slash',
  'line\u2028sep',
  'tab\there',
  'ünï©ødé 🎯',
  '',
];
const DAY = 86_400_000;
const time = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) });

describe('the items of simulate --json, written as bytes', () => {
  it('jsonNumber writes what JSON.stringify writes for any number, whole or not, at the digit boundaries', () => {
    const edges = [
      0,
      -0,
      1,
      999_999,
      1_000_000,
      1_000_001,
      1_999_999_999,
      1e15 - 1,
      1e15,
      2 ** 53,
      -1_000_000,
    ];
    for (const value of [...edges, 1.5, -2.25, 1e21, 5e-7, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(jsonNumber(value)).toBe(JSON.stringify(value));
    }
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: 0, max: 1e15 }), fc.maxSafeInteger(), fc.double()),
        (value) => {
          expect(jsonNumber(value)).toBe(JSON.stringify(value));
        },
      ),
      { numRuns: 20_000, seed: 14 },
    );
  });

  it('a timeline is the printed timelinesJson item, for awkward ids, goals and many intervals', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...AWKWARD_IDS),
        fc.option(fc.constantFrom(...AWKWARD_IDS), { nil: undefined }),
        time,
        fc.array(
          fc.tuple(
            fc.constantFrom('Active', 'Inactive', 'Unverified'),
            fc.integer({ min: 0, max: 3 * DAY }),
          ),
          {
            minLength: 1,
            maxLength: 30,
          },
        ),
        (tagId, goalId, start, spans) => {
          let from = start;
          const intervals = spans.map(([status, length]) => {
            const interval = { status: status as 'Active', from, to: from + length };
            from += length;
            return interval;
          });
          const timeInStatus: Record<string, number> = {};
          for (const interval of intervals) {
            timeInStatus[interval.status] =
              (timeInStatus[interval.status] ?? 0) + interval.to - interval.from;
          }
          const timeline: SubjectTimeline = {
            tagId,
            ...(goalId === undefined ? {} : { goalId, goalType: 'Url' as const }),
            changes: intervals.length - 1,
            timeInStatus,
            intervals,
          };
          expect(written((out) => writeTimelineJson(out, timeline))).toBe(
            printedItem(timelinesJson([timeline])[0]),
          );
        },
      ),
      { numRuns: 500, seed: 14 },
    );
  });

  it('a timeline with no intervals and no time in status prints empty members', () => {
    const timeline: SubjectTimeline = { tagId: 't', changes: 0, timeInStatus: {}, intervals: [] };
    expect(written((out) => writeTimelineJson(out, timeline))).toBe(
      printedItem(timelinesJson([timeline])[0]),
    );
  });

  it('a change is its printed status change record, of a tag or a goal, noticed when effective or later', () => {
    const changeText = new ChangeJsonText();
    fc.assert(
      fc.property(
        fc.constantFrom(...AWKWARD_IDS),
        fc.option(fc.constantFrom(...AWKWARD_IDS), { nil: undefined }),
        time,
        fc.oneof(fc.constant(0), fc.integer({ min: 1, max: DAY })),
        (tagId, goalId, effectiveAt, delay) => {
          const subject =
            goalId === undefined ? { tagId } : { tagId, goalId, goalType: 'Url' as const };
          const record =
            goalId === undefined
              ? statusChange({
                  kind: 'tag',
                  tagId,
                  from: 'Unverified',
                  to: 'Active',
                  effectiveAt,
                  noticedAt: effectiveAt + delay,
                })
              : statusChange({
                  kind: 'goal',
                  tagId,
                  goalId,
                  from: 'TagInactive',
                  to: 'NoRecentConversions',
                  effectiveAt,
                  noticedAt: effectiveAt + delay,
                });
          expect(
            written((out) =>
              changeText.write(
                out,
                subject,
                record.from,
                record.to,
                effectiveAt,
                effectiveAt + delay,
              ),
            ),
          ).toBe(printedItem(record));
        },
      ),
      { numRuns: 500, seed: 14 },
    );
  });
});
