/**
 * One size of the storm benchmark, in its own process (run with
 * `node --expose-gc --import tsx bench/stormWorker.ts <json>`), printing a JSON report:
 * `tags` silences falling due at once, processed by each side in rounds, each round with
 * fresh tags and fresh id strings and the sides in rotated order. Only the storm is timed
 * (from the moment the silences are due to the last change handed to the listener); the
 * set-up (registering, activating, arming) is not.
 *
 * - `floor`: what any storm must do, as tight as it can be written: a binary heap of
 *   deadlines in typed arrays, popped in order; each popped tag re-checked against its
 *   last data time (in a `Float64Array`), its status byte flipped, and a change record
 *   handed to a listener.
 * - `sortedFloor`: the same work, with the due deadlines taken all at once in tag order and
 *   radix-sorted (`DueSorter`, as the monitor takes a storm's) instead of popped one by
 *   one: a tighter floor for storms where most deadlines fall due together.
 * - `monitor`: `createTagMonitor` in memory; the clock jumps past every silence.
 * - `actors`: what a user writes instead: one `createActor(tagMachine)` per tag, one
 *   `setTimeout` per tag that sends `tag.silenceElapsed`, a subscription that hands each
 *   status change to the listener.
 */
import { createActor, SimulatedClock } from 'xstate';
import { createTagMonitor } from '../packages/uet-tag-status/src/index.js';
import { tagMachine } from '../packages/uet-tag-status/src/machines/tagMachine.js';
import { DueSorter } from '../packages/uet-tag-status/src/monitor/DueSorter.js';
import type { MonitorInput } from '../packages/uet-tag-status/src/monitor/monitorInput.js';
import { DAY_MS } from '../packages/uet-tag-status/src/windows.js';

/** What to measure. */
export interface StormParameters {
  readonly tags: number;
  readonly rounds: number;
  /** The sides, in the order of the first round (rotated by one each round). */
  readonly sides: readonly StormSide[];
}

/** A way to process a storm. */
export type StormSide = 'floor' | 'sortedFloor' | 'monitor' | 'actors';

/** A status change as every side hands it to its listener. */
interface ChangeRecord {
  readonly kind: 'tag';
  readonly tagId: string;
  readonly from: string;
  readonly to: string;
  readonly effectiveAt: number;
  readonly noticedAt: number;
}

/** How long a side took: wall time, and the processor time of the whole process. */
interface Timing {
  readonly wallMs: number;
  readonly cpuMs: number;
}

/**
 * Times from its creation to {@link Stopwatch.stop}: wall time, and user plus system
 * time of the process (which the other work on a shared machine does not inflate).
 */
class Stopwatch {
  private readonly wall = performance.now();
  private readonly cpu = process.cpuUsage();

  stop(): Timing {
    const { user, system } = process.cpuUsage(this.cpu);
    return { wallMs: performance.now() - this.wall, cpuMs: (user + system) / 1_000 };
  }
}

const T0 = Date.UTC(2025, 0, 1);
const BATCH = 10_000;

/** Fresh id strings, as a parser makes them (flat, not shared with any earlier round). */
function freshIds(count: number, round: number): string[] {
  return JSON.parse(
    JSON.stringify(Array.from({ length: count }, (_, index) => `r${round}-tag-${index}`)),
  );
}

/**
 * One object of each side's last round, kept alive into the next, as in a long-running
 * application: when every object of a kind is collected, the engine drops the hidden
 * classes they had and, with them, the compiled code that relied on them, so that a side
 * whose objects all died between rounds would run every round's storm while compiling
 * it again (the monitor's storm path and the actors' xstate code alike).
 */
const keptFromLastRound = new Map<StormSide, unknown>();

/** Each tag's last data time: spread over the first second, so deadlines differ. */
const lastDataAtOf = (index: number) => T0 + (index % 1_000);

function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with node --expose-gc');
  gc();
}

/** The change record a floor hands its listener: tag `tagId` Inactive from `effectiveAt`. */
function inactiveChange(tagId: string, effectiveAt: number, noticedAt: number): ChangeRecord {
  return { kind: 'tag', tagId, from: 'Active', to: 'Inactive', effectiveAt, noticedAt };
}

/** The floor: a typed-array heap, a re-check, a status byte, a change record per silence. */
function floorStorm(ids: readonly string[], listener: (change: ChangeRecord) => void): Timing {
  const count = ids.length;
  const lastDataAt = new Float64Array(count);
  const status = new Uint8Array(count).fill(1);
  const keys = new Float64Array(count);
  const tags = new Int32Array(count);
  for (let index = 0; index < count; index++) {
    lastDataAt[index] = lastDataAtOf(index);
    keys[index] = lastDataAtOf(index) + DAY_MS;
    tags[index] = index;
  }
  for (let index = (count >> 1) - 1; index >= 0; index--) siftDown(keys, tags, index, count);
  const now = T0 + DAY_MS + 1_000;
  const stopwatch = new Stopwatch();
  let size = count;
  while (size > 0 && (keys[0] as number) <= now) {
    const no = tags[0] as number;
    const due = keys[0] as number;
    size -= 1;
    keys[0] = keys[size] as number;
    tags[0] = tags[size] as number;
    siftDown(keys, tags, 0, size);
    if (status[no] !== 1 || due < (lastDataAt[no] as number) + DAY_MS) continue;
    status[no] = 2;
    listener(inactiveChange(ids[no] as string, due, now));
  }
  return stopwatch.stop();
}

/**
 * The floor with a storm's due deadlines taken at once: every tag's deadline read in tag
 * order, the due ones radix-sorted by deadline (ties in tag order), then each re-checked,
 * its status byte flipped and a change record handed to the listener.
 */
function sortedFloorStorm(
  ids: readonly string[],
  listener: (change: ChangeRecord) => void,
): Timing {
  const count = ids.length;
  const lastDataAt = new Float64Array(count);
  const status = new Uint8Array(count).fill(1);
  const deadlines = new Float64Array(count);
  for (let index = 0; index < count; index++) {
    lastDataAt[index] = lastDataAtOf(index);
    deadlines[index] = lastDataAtOf(index) + DAY_MS;
  }
  const sorter = new DueSorter();
  const now = T0 + DAY_MS + 1_000;
  const stopwatch = new Stopwatch();
  let due = 0;
  for (let no = 0; no < count; no++) if ((deadlines[no] as number) <= now) due += 1;
  const room = sorter.room(due);
  let taken = 0;
  for (let no = 0; no < count; no++) {
    const deadline = deadlines[no] as number;
    if (deadline > now) continue;
    room.tags[taken] = no;
    room.deadlines[taken] = deadline;
    taken += 1;
  }
  sorter.sort(taken);
  const { tags, deadlines: sorted } = sorter;
  for (let index = 0; index < taken; index++) {
    const no = tags[index] as number;
    const at = sorted[index] as number;
    if (status[no] !== 1 || at < (lastDataAt[no] as number) + DAY_MS) continue;
    status[no] = 2;
    listener(inactiveChange(ids[no] as string, at, now));
  }
  return stopwatch.stop();
}

function siftDown(keys: Float64Array, tags: Int32Array, from: number, size: number): void {
  let index = from;
  const key = keys[index] as number;
  const tag = tags[index] as number;
  for (;;) {
    let child = 2 * index + 1;
    if (child >= size) break;
    const right = child + 1;
    if (
      right < size &&
      ((keys[right] as number) < (keys[child] as number) ||
        (keys[right] === keys[child] && (tags[right] as number) < (tags[child] as number)))
    ) {
      child = right;
    }
    const childKey = keys[child] as number;
    if (childKey > key || (childKey === key && (tags[child] as number) > tag)) break;
    keys[index] = childKey;
    tags[index] = tags[child] as number;
    index = child;
  }
  keys[index] = key;
  tags[index] = tag;
}

/** The monitor in memory: every tag activated (untimed), then the clock jumps a day. */
function monitorStorm(ids: readonly string[], listener: (change: ChangeRecord) => void): Timing {
  const clock = new SimulatedClock();
  clock.set(T0 + 1_000);
  let storming = false;
  const monitor = createTagMonitor({
    clock,
    onStatusChange: (change) => {
      if (storming) listener(change as ChangeRecord);
    },
  });
  for (let first = 0; first < ids.length; first += BATCH) {
    const batch: MonitorInput[] = [];
    for (let index = first; index < Math.min(ids.length, first + BATCH); index++) {
      const tagId = ids[index] as string;
      batch.push(
        { kind: 'registerTag', tagId },
        { kind: 'activity', tagId, at: lastDataAtOf(index) },
      );
    }
    monitor.apply(batch);
  }
  collectGarbage();
  storming = true;
  const stopwatch = new Stopwatch();
  clock.increment(DAY_MS);
  const timing = stopwatch.stop();
  monitor.close();
  keptFromLastRound.set('monitor', monitor);
  return timing;
}

/**
 * One actor per tag and one timer per tag, all falling due together: timed from the first
 * timer's callback to the last one's end.
 */
async function actorStorm(
  ids: readonly string[],
  listener: (change: ChangeRecord) => void,
): Promise<Timing> {
  const now = T0 + DAY_MS + 1_000;
  const actors: ReturnType<typeof createActor<typeof tagMachine>>[] = [];
  for (const [index, tagId] of ids.entries()) {
    const actor = createActor(tagMachine, { input: {} }).start();
    actor.send({ type: 'tag.dataReceived', at: lastDataAtOf(index), now: lastDataAtOf(index) });
    let status = actor.getSnapshot().value;
    actor.subscribe((snapshot) => {
      if (snapshot.value === status) return;
      listener({
        kind: 'tag',
        tagId,
        from: status,
        to: snapshot.value,
        effectiveAt: lastDataAtOf(index) + DAY_MS,
        noticedAt: now,
      });
      status = snapshot.value;
    });
    actors.push(actor);
  }
  collectGarbage();
  let stopwatch: Stopwatch | undefined;
  let timing: Timing | undefined;
  let fired = 0;
  await new Promise<void>((resolve) => {
    for (const [index, actor] of actors.entries()) {
      setTimeout(() => {
        if (fired === 0) stopwatch = new Stopwatch();
        actor.send({ type: 'tag.silenceElapsed', at: lastDataAtOf(index) + DAY_MS });
        fired += 1;
        if (fired === actors.length) {
          timing = stopwatch?.stop();
          resolve();
        }
      }, 20);
    }
  });
  for (const actor of actors) actor.stop();
  keptFromLastRound.set('actors', actors[0]);
  return timing as Timing;
}

async function main(): Promise<void> {
  const parameters = JSON.parse(process.argv[2] ?? '{}') as StormParameters;
  const { tags, rounds, sides } = parameters;
  const perSide = () => Object.fromEntries(sides.map((side) => [side, [] as number[]]));
  const seconds = perSide();
  const cpuSeconds = perSide();
  const changes = perSide();
  for (let round = 0; round < rounds; round++) {
    for (let turn = 0; turn < sides.length; turn++) {
      const side = sides[(round + turn) % sides.length] as StormSide;
      const ids = freshIds(tags, round * sides.length + turn);
      let told = 0;
      const listener = (change: ChangeRecord) => {
        if (change.to === 'Inactive') told += 1;
      };
      collectGarbage();
      const timing =
        side === 'floor'
          ? floorStorm(ids, listener)
          : side === 'sortedFloor'
            ? sortedFloorStorm(ids, listener)
            : side === 'monitor'
              ? monitorStorm(ids, listener)
              : await actorStorm(ids, listener);
      seconds[side]?.push(timing.wallMs / 1_000);
      cpuSeconds[side]?.push(timing.cpuMs / 1_000);
      changes[side]?.push(told);
    }
  }
  process.stdout.write(`${JSON.stringify({ tags, rounds, seconds, cpuSeconds, changes })}\n`);
}

await main();
