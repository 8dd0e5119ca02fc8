import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRandom } from '../packages/uet-tag/src/simulation/random.js';
import { createSqliteStore } from '../packages/uet-tag/src/sqlite/index.js';
import type {
  MonitorInput,
  MonitorStatusChange,
} from '../packages/uet-tag-status/src/monitor/monitorInput.js';
import type { StoreSnapshot } from '../packages/uet-tag-status/src/monitor/store/monitorStore.js';
import { type GoalHistory, trackingStatusesAt } from '../packages/uet-tag-status/src/oracle.js';
import type { ConversionGoalType } from '../packages/uet-tag-status/src/valueSets/conversionGoalType.js';
import { isTagBasedGoalType } from '../packages/uet-tag-status/src/valueSets/conversionGoalType.js';
import { type JsonLinesChild, spawnJsonLines } from './support/childProcess.js';
import { buildCliBundle, repoRoot } from './support/monitorSupport.js';

/**
 * SPEC D7 with real processes: a child (`uet-tag monitor --follow`) ingests a file that
 * grows while it runs and is killed with SIGKILL at random moments, 22 times. The
 * windows are short (300 ms, 900 ms) so silences keep falling due, also while it is down.
 */
const KILLS = 22;
const WINDOWS = { activityWindowMs: 300, conversionWindowMs: 900 };
const GOALS: Readonly<
  Record<string, ReadonlyArray<{ goalId: string; goalType: ConversionGoalType }>>
> = {
  t0: [{ goalId: 'signup', goalType: 'Url' }],
  t1: [{ goalId: 'signup', goalType: 'Event' }],
  t2: [{ goalId: 'install', goalType: 'AppInstall' }],
  t3: [
    { goalId: 'signup', goalType: 'Url' },
    { goalId: 'offline', goalType: 'OfflineConversion' },
  ],
};
const TAG_IDS = Array.from({ length: 16 }, (_, index) => `t${index}`);

type Ack = { kind: 'ack'; line: number; offset: number };
type Printed = MonitorStatusChange | Ack;
const isAck = (line: unknown): line is Ack => (line as Printed).kind === 'ack';

interface TagModel {
  activities: number[];
  goals: Record<string, { goalType: ConversionGoalType; conversions: number[] }>;
  tagAvailable: boolean;
}

/** What the monitor must hold after the first `lines` input lines (D4 rejections left out). */
function modelOf(inputs: readonly (MonitorInput | undefined)[], lines: number) {
  const tags = new Map<string, TagModel>();
  for (const input of inputs.slice(0, lines)) {
    if (input === undefined) continue;
    if (input.kind === 'registerTag') {
      tags.set(input.tagId, {
        activities: [],
        goals: Object.fromEntries(
          (input.goals ?? []).map((goal) => [
            goal.goalId,
            { goalType: goal.goalType, conversions: [] },
          ]),
        ),
        tagAvailable: true,
      });
      continue;
    }
    if (input.kind === 'hit') continue;
    const tag = tags.get(input.tagId);
    if (tag === undefined) continue;
    if (input.kind === 'activity' && input.at >= 0) tag.activities.push(input.at);
    if (input.kind === 'conversion') tag.goals[input.goalId]?.conversions.push(input.at);
    if (input.kind === 'accessLost') tag.tagAvailable = false;
    if (input.kind === 'accessRestored') tag.tagAvailable = true;
  }
  return tags;
}

function statusesOf(snapshot: StoreSnapshot): Map<string, string> {
  const statuses = new Map<string, string>();
  for (const tag of snapshot.tags) {
    statuses.set(tag.tagId, tag.status);
    for (const goal of tag.goals) statuses.set(`${tag.tagId}/${goal.goalId}`, goal.status);
  }
  return statuses;
}

function oracleStatuses(tags: Map<string, TagModel>, now: number): Map<string, string> {
  const statuses = new Map<string, string>();
  for (const [tagId, tag] of tags) {
    const goals: Record<string, GoalHistory> = tag.goals;
    const result = trackingStatusesAt({ ...tag, goals }, now, WINDOWS);
    statuses.set(tagId, result.tag);
    for (const [goalId, status] of Object.entries(result.goals)) {
      statuses.set(`${tagId}/${goalId}`, status);
    }
  }
  return statuses;
}

function subjectOf(change: MonitorStatusChange): string {
  return change.kind === 'tag' ? change.tagId : `${change.tagId}/${change.goalId}`;
}

function latestTagActivity(tag: TagModel): number {
  const throughGoals = Object.values(tag.goals)
    .filter((goal) => isTagBasedGoalType(goal.goalType))
    .flatMap((goal) => goal.conversions);
  return Math.max(...tag.activities, ...throughGoals);
}

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'uet-monitor-crash-'));
let childEntry = '';
let running: JsonLinesChild | undefined;
beforeAll(() => {
  childEntry = buildCliBundle();
});
afterAll(() => {
  running?.child.kill('SIGKILL');
  fs.rmSync(scratch, { recursive: true, force: true });
  fs.rmSync(path.dirname(childEntry), { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('uet-tag monitor killed with SIGKILL', () => {
  it(`D7 after each of ${KILLS} kills: every acknowledged input is reflected, statuses equal the oracle's, silences that elapsed while down are reported at start-up, no change twice`, async () => {
    // CRASH_SEED=<n> replays a run: the seed is in every assertion's message.
    const seed = Number(process.env.CRASH_SEED ?? Date.now() % 1_000_000);
    const generator = createRandom(seed);
    const next = () => generator.next();
    const context = `seed ${seed}`;
    const db = path.join(scratch, 'crash.db');
    const inputFile = path.join(scratch, 'inputs.ndjson');
    const inputs: (MonitorInput | undefined)[] = [];
    const lastActivity = new Map<string, number>();

    const append = (texts: string[], parsed: (MonitorInput | undefined)[]) => {
      fs.appendFileSync(inputFile, texts.map((text) => `${text}\n`).join(''));
      inputs.push(...parsed);
    };
    const write = (input: MonitorInput) => append([JSON.stringify(input)], [input]);
    fs.writeFileSync(inputFile, '');
    for (const tagId of TAG_IDS) write({ kind: 'registerTag', tagId, goals: GOALS[tagId] ?? [] });

    /** One random input stamped around now: mostly fresh activity, some late, duplicate or bad. */
    const writeOne = () => {
      const roll = next();
      const hot = next() < 0.6;
      const tagId = TAG_IDS[Math.floor(next() * (hot ? 5 : TAG_IDS.length))] as string;
      const now = Date.now();
      if (roll < 0.7) {
        const lateness = next() < 0.85 ? Math.floor(next() * 40) : Math.floor(next() * 700);
        const duplicate = lastActivity.get(tagId);
        const at = next() < 0.05 && duplicate !== undefined ? duplicate : now - lateness;
        lastActivity.set(tagId, at);
        write({ kind: 'activity', tagId, at });
      } else if (roll < 0.85) {
        const goals = GOALS[tagId] ?? [{ goalId: 'nope', goalType: 'Url' }];
        const goal = goals[Math.floor(next() * goals.length)] as { goalId: string };
        write({
          kind: 'conversion',
          tagId,
          goalId: goal.goalId,
          at: now - Math.floor(next() * 50),
        });
      } else if (roll < 0.9) {
        write({ kind: next() < 0.5 ? 'accessLost' : 'accessRestored', tagId: 't3' });
      } else if (roll < 0.95) {
        write({ kind: 'activity', tagId: next() < 0.5 ? 'ghost' : tagId, at: -1 });
      } else {
        append(['{"kind":"activity","tagId":'], [undefined]);
      }
    };
    const writer = setInterval(() => {
      const count = 1 + Math.floor(next() * 4);
      for (let index = 0; index < count; index++) writeOne();
    }, 8);

    const args = [
      childEntry,
      'monitor',
      '--db',
      db,
      '--follow',
      inputFile,
      '--ack',
      '--poll',
      '5',
      '--batch-size',
      '20',
      '--history',
      '65535',
      '--activity-window',
      String(WINDOWS.activityWindowMs),
      '--conversion-window',
      String(WINDOWS.conversionWindowMs),
    ];
    const printed: MonitorStatusChange[] = [];
    let snapshot: StoreSnapshot | undefined;
    let startupChanges = 0;

    const readStore = (): StoreSnapshot => {
      const store = createSqliteStore({ path: db });
      const read = store.open({ activityWindowMs: 1, conversionWindowMs: 1 });
      store.close();
      return read;
    };
    const checkpointLine = (read: StoreSnapshot) =>
      read.checkpoint === undefined ? 0 : (JSON.parse(read.checkpoint) as { line: number }).line;

    /** Starts a run and checks what it reported at start-up against the state it resumed. */
    const startRun = async (run: number) => {
      running = spawnJsonLines(args, repoRoot);
      const ready = (await running.waitForLine(isAck)) as Ack;
      const atStartup = running.lines.slice(
        0,
        running.lines.indexOf(ready),
      ) as MonitorStatusChange[];
      printed.push(...atStartup);
      startupChanges += atStartup.length;
      const before = snapshot;
      if (before === undefined) return;
      const line = checkpointLine(before);
      expect(ready.line, `${context}, run ${run}: resumed line`).toBe(line);
      const statuses = statusesOf(before);
      const startedAt = atStartup[0]?.noticedAt;
      const model = modelOf(inputs, line);
      for (const change of atStartup) {
        expect(change.noticedAt, `${context}, run ${run}`).toBe(startedAt);
        expect(change.effectiveAt, `${context}, run ${run}`).toBeGreaterThan(before.now);
        expect(change.effectiveAt, `${context}, run ${run}`).toBeLessThanOrEqual(change.noticedAt);
        expect(
          statuses.get(subjectOf(change)),
          `${context}, run ${run}: ${JSON.stringify(change)}`,
        ).toBe(change.from);
        statuses.set(subjectOf(change), change.to);
        if (change.kind === 'tag' && change.to === 'Inactive') {
          const tag = model.get(change.tagId) as TagModel;
          expect(change.effectiveAt, `${context}, run ${run}`).toBe(
            latestTagActivity(tag) + WINDOWS.activityWindowMs,
          );
        }
      }
      if (startedAt !== undefined) {
        expect(statuses, `${context}, run ${run}: after start-up`).toEqual(
          oracleStatuses(model, startedAt),
        );
      }
    };

    /** After a run ended: acknowledged inputs are there and statuses are the oracle's. */
    const checkStore = (run: number, child: JsonLinesChild) => {
      const acknowledged = Math.max(0, ...child.lines.filter(isAck).map((ack) => ack.line));
      printed.push(...(child.lines.filter((line) => !isAck(line)) as MonitorStatusChange[]));
      snapshot = readStore();
      const line = checkpointLine(snapshot);
      expect(
        line,
        `${context}, run ${run}: acknowledged through line ${acknowledged}`,
      ).toBeGreaterThanOrEqual(acknowledged);
      expect(statusesOf(snapshot), `${context}, run ${run}: statuses at ${snapshot.now}`).toEqual(
        oracleStatuses(modelOf(inputs, line), snapshot.now),
      );
    };

    try {
      for (let run = 0; run < KILLS; run++) {
        await startRun(run);
        const child = running as JsonLinesChild;
        // Each run commits something before it is killed, however loaded the machine: a
        // long stop then leaves tags with data in the store, whose silences elapse while down.
        const ready = child.lines.find(isAck) as Ack;
        await child.waitForLine((line) => isAck(line) && line.line > ready.line, 60_000);
        await sleep(60 + Math.floor(next() * 340));
        child.child.kill('SIGKILL');
        expect(await child.exited()).toBe('SIGKILL');
        // Lines printed before the ready ack were taken by startRun.
        const readyIndex = child.lines.findIndex(isAck);
        checkStore(run, { ...child, lines: child.lines.slice(readyIndex) });
        // Every fifth stop outlasts two activity windows, so silences elapse while down.
        const longStop = run % 5 === 4 ? 2 * WINDOWS.activityWindowMs : 0;
        await sleep(longStop + Math.floor(next() * 600));
      }
    } finally {
      clearInterval(writer);
    }

    await startRun(KILLS);
    const last = running as JsonLinesChild;
    const total = inputs.length;
    await last.waitForLine((line) => isAck(line) && line.line === total);
    last.child.kill('SIGTERM');
    expect(await last.exited()).toBe(0);
    checkStore(KILLS, { ...last, lines: last.lines.slice(last.lines.findIndex(isAck)) });
    const final = snapshot as StoreSnapshot;
    expect(checkpointLine(final)).toBe(total);

    expect(startupChanges, `${context}: silences reported at start-up`).toBeGreaterThan(0);
    const seqs = printed.map((change) => change.seq);
    expect(new Set(seqs).size, `${context}: a change was printed twice`).toBe(seqs.length);
    const tagNumbers = new Map(final.tags.map((tag) => [tag.no, tag.tagId]));
    const durable = new Map(
      final.changes.map((change) => [
        change.seq,
        {
          tagId: tagNumbers.get(change.tagNo),
          goalId: change.goalId,
          from: change.from,
          to: change.to,
          effectiveAt: change.effectiveAt,
          noticedAt: change.noticedAt,
        },
      ]),
    );
    for (const change of printed) {
      expect(durable.get(change.seq), `${context}: printed change ${change.seq}`).toEqual({
        tagId: change.tagId,
        goalId: change.kind === 'goal' ? change.goalId : undefined,
        from: change.from,
        to: change.to,
        effectiveAt: change.effectiveAt,
        noticedAt: change.noticedAt,
      });
    }
    // The durable history is one unbroken chain per subject, ending at the current status.
    const current = new Map<string, string>();
    for (const change of final.changes) {
      const tagId = tagNumbers.get(change.tagNo) as string;
      const subject = change.goalId === undefined ? tagId : `${tagId}/${change.goalId}`;
      const initial = change.goalId === undefined ? 'Unverified' : undefined;
      const from = current.get(subject) ?? initial;
      if (from !== undefined) expect(change.from, `${context}: change ${change.seq}`).toBe(from);
      current.set(subject, change.to);
    }
    for (const [subject, status] of current) {
      expect(statusesOf(final).get(subject), `${context}: ${subject}`).toBe(status);
    }
  }, 150_000);
});
