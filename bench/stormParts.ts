/**
 * Where a monitor's storm goes, part by part (run with
 * `node --expose-gc --import tsx bench/stormParts.ts <tags> <rounds>`): the parts of the
 * monitor's silence path, each timed alone over the tags of one storm in the order the
 * storm fires them, as processor time per silence (median of the rounds, fresh parts each
 * round). Printed as a JSON report.
 *
 * - `heap`: every due deadline popped off the monitor's `DeadlineHeap` (the floor's work).
 * - `recheck`: each tag's facts read (`TagTable.view`), its next silence re-computed and
 *   compared with its key, its silence event found.
 * - `step`: the `StepMemo` step of the silence (`stepSilence`: its derived silence step once
 *   applied) and the facts written back (`TagTable.write`).
 * - `record`: the change numbered and kept (`ChangeReporter.record`: found changes and
 *   the tag's history).
 * - `tell`: the kept changes built as records and handed to a listener
 *   (`ChangeReporter.tell`).
 */
import {
  isTagSilenceAt,
  nextSilenceAt,
} from '../packages/uet-tag-status/src/engine/nextSilence.js';
import { StepMemo } from '../packages/uet-tag-status/src/engine/StepMemo.js';
import { stepThroughMachines } from '../packages/uet-tag-status/src/engine/stepThroughMachines.js';
import { createTagFacts } from '../packages/uet-tag-status/src/engine/tagFacts.js';
import { ChangeReporter } from '../packages/uet-tag-status/src/monitor/ChangeReporter.js';
import { DeadlineHeap } from '../packages/uet-tag-status/src/monitor/DeadlineHeap.js';
import { TagTable } from '../packages/uet-tag-status/src/monitor/TagTable.js';
import { DAY_MS, resolveWindows } from '../packages/uet-tag-status/src/windows.js';

const T0 = Date.UTC(2025, 0, 1);
const windows = resolveWindows({});
const PARTS = ['heap', 'recheck', 'step', 'record', 'tell'] as const;
type Part = (typeof PARTS)[number];

/** Processor time (user plus system) of `work`, in ns. */
function cpuNs(work: () => void): number {
  const start = process.cpuUsage();
  work();
  const { user, system } = process.cpuUsage(start);
  return (user + system) * 1_000;
}

function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with node --expose-gc');
  gc();
}

/** One storm's parts, timed; ns per silence of each. */
function round(tags: number, round: number): Record<Part, number> {
  const ids: string[] = JSON.parse(
    JSON.stringify(Array.from({ length: tags }, (_, index) => `r${round}-tag-${index}`)),
  );
  const table = new TagTable();
  const heap = new DeadlineHeap();
  const reporter = new ChangeReporter(10, undefined, undefined);
  let told = 0;
  reporter.subscribe((change) => {
    if (change.to === 'Inactive') told += 1;
  });
  for (const [index, tagId] of ids.entries()) {
    const facts = createTagFacts();
    const at = T0 + (index % 1_000);
    const changes = stepThroughMachines(facts, { type: 'tag.dataReceived', at, now: at }, windows);
    const no = table.add(tagId, facts);
    reporter.record(no, tagId, changes, at);
    heap.set(no, nextSilenceAt(facts, windows));
  }
  reporter.tell(false);
  told = 0;
  const now = T0 + DAY_MS + 1_000;
  const order = new Int32Array(tags);
  const keys = new Float64Array(tags);
  const memo = new StepMemo();
  const effectiveAts = new Float64Array(tags);
  let change: { effectiveAt: number } | undefined;
  const ns: Partial<Record<Part, number>> = {};
  collectGarbage();
  ns.heap = cpuNs(() => heap.popDue(now, order, keys, tags));
  ns.recheck = cpuNs(() => {
    for (let index = 0; index < tags; index++) {
      const facts = table.view(order[index] as number);
      const at = nextSilenceAt(facts, windows);
      if (at !== keys[index] || !isTagSilenceAt(facts, windows, at)) throw new Error('not due');
    }
  });
  const event = { type: 'tag.silenceElapsed' as const, at: 0 };
  ns.step = cpuNs(() => {
    for (let index = 0; index < tags; index++) {
      const no = order[index] as number;
      const facts = table.view(no);
      event.at = keys[index] as number;
      const changes = memo.stepSilence(facts, event, windows);
      table.write(no, facts);
      const [first] = changes;
      effectiveAts[index] = (first as { effectiveAt: number }).effectiveAt;
      change ??= { ...(first as { effectiveAt: number }) };
    }
  });
  const reused = change;
  if (reused === undefined || memo.fullSteps !== 1) throw new Error('not one kind');
  // One change record, reused: the reporter keeps its fields, not the record.
  const changes = [reused] as unknown as ReturnType<typeof memo.step>;
  ns.record = cpuNs(() => {
    for (let index = 0; index < tags; index++) {
      const no = order[index] as number;
      reused.effectiveAt = effectiveAts[index] as number;
      reporter.record(no, ids[no] as string, changes, now);
    }
  });
  ns.tell = cpuNs(() => reporter.tell(false));
  if (told !== tags) throw new Error(`told ${told} of ${tags}`);
  return Object.fromEntries(PARTS.map((part) => [part, (ns[part] as number) / tags])) as Record<
    Part,
    number
  >;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1] as number;
}

const tags = Number(process.argv[2] ?? 200_000);
const rounds = Number(process.argv[3] ?? 5);
const results = Array.from({ length: rounds }, (_, index) => round(tags, index));
const report = Object.fromEntries(
  PARTS.map((part) => [part, Math.round(median(results.map((result) => result[part])))]),
);
process.stdout.write(`${JSON.stringify({ tags, rounds, nsPerSilence: report })}\n`);
