/**
 * One measurement of the monitor benchmark, in its own process (run with
 * `node --expose-gc --import tsx bench/monitorWorker.ts <json>`), printing a JSON report.
 * `rates` compares the ways to process the same hits side by side; `memory` counts
 * the bytes a way keeps per tag; `silences` times a million silences falling due at once.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createActor, SimulatedClock } from 'xstate';
import { createRandom } from '../packages/uet-tag/src/simulation/random.js';
import { createSqliteStore } from '../packages/uet-tag/src/sqlite/index.js';
import { createTagMonitor, type TagMonitor } from '../packages/uet-tag-status/src/index.js';
import { tagMachine } from '../packages/uet-tag-status/src/machines/tagMachine.js';
import type {
  ActivityInput,
  MonitorInput,
} from '../packages/uet-tag-status/src/monitor/monitorInput.js';
import { DEFAULT_HISTORY_LIMIT } from '../packages/uet-tag-status/src/monitor/monitorOptions.js';
import { DAY_MS } from '../packages/uet-tag-status/src/windows.js';

/** The ways `rates` compares. */
export type RateSide = 'raw' | 'perCall' | 'batch' | 'sqlite' | 'actors';

/**
 * What `memory` measures: the monitor with one change per tag, the monitor with every
 * tag's history full (the default limit reached), a `Map` of last-seen times, an actor
 * and a timer per tag.
 */
export type MemoryWay = 'monitor' | 'fullHistory' | 'map' | 'actors';

/** What to measure. */
export type MonitorWorkerParameters =
  | {
      readonly mode: 'rates';
      readonly tags: number;
      readonly hits: number;
      readonly actorHits: number;
      /** Rounds in which every side runs once, on fresh hits. */
      readonly rounds: number;
    }
  | { readonly mode: 'memory'; readonly way: MemoryWay; readonly tags: number }
  | { readonly mode: 'silences'; readonly tags: number; readonly store: 'memory' | 'sqlite' };

const T0 = Date.UTC(2025, 0, 1);
const BATCH = 10_000;

/** Tag ids as an app gets them from parsed input (flat strings). */
function tagIds(count: number): string[] {
  return JSON.parse(JSON.stringify(Array.from({ length: count }, (_, index) => `tag-${index}`)));
}

/**
 * Round `round`'s `count` hits on tags drawn uniformly, one every 0.5 ms, starting where
 * the previous round's ended (so every round's hits are later than all before, as a live
 * stream's are); one in ten arrives up to 10 minutes late (out of order, SPEC D1). The
 * ids are fresh strings, as a parser makes them, not the registered ones.
 */
function hitsOn(ids: readonly string[], count: number, round: number): ActivityInput[] {
  const generator = createRandom(42 + round);
  const next = () => generator.next();
  const start = T0 + 3_600_000 + round * Math.ceil(count / 2);
  const hits: ActivityInput[] = [];
  for (let index = 0; index < count; index++) {
    const late = next() < 0.1 ? Math.floor(next() * 600_000) : 0;
    const tagId = ids[Math.floor(next() * ids.length)] as string;
    hits.push({ kind: 'activity', tagId, at: start + Math.floor(index / 2) - late });
  }
  return JSON.parse(JSON.stringify(hits)) as ActivityInput[];
}

function clockAt(now: number): SimulatedClock {
  const clock = new SimulatedClock();
  clock.set(now);
  return clock;
}

/** Registers the tags and gives each one activity, so all are `Active` (the steady state). */
function activate(monitor: TagMonitor, ids: readonly string[]): void {
  for (let start = 0; start < ids.length; start += BATCH) {
    const batch: MonitorInput[] = [];
    for (const tagId of ids.slice(start, start + BATCH)) {
      batch.push({ kind: 'registerTag', tagId }, { kind: 'activity', tagId, at: T0 });
    }
    monitor.apply(batch);
  }
}

function seconds(start: number): number {
  return (performance.now() - start) / 1_000;
}

function scratchFile(name: string): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'uet-monitor-bench-')), name);
}

/** Runs a full garbage collection, so that no side pays for the garbage of another. */
function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with node --expose-gc');
  gc();
}

function usedBytes(): number {
  collectGarbage();
  collectGarbage();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

/**
 * The ways side by side on the same hits, in rounds: in each round every side runs once,
 * on that round's fresh hits, in an order rotated from round to round, so that each round
 * compares them under the same machine load. The monitors and actors are set up once,
 * before the rounds (registration and activation are not timed).
 */
function rates(tags: number, hitCount: number, actorHits: number, rounds: number) {
  const ids = tagIds(tags);
  const now = T0 + DAY_MS / 2;

  // The floor: one lookup of the tag's index, one typed array of last-seen times.
  const indexOf = new Map<string, number>();
  for (const [index, tagId] of ids.entries()) indexOf.set(tagId, index);
  const lastSeen = new Float64Array(tags).fill(T0);
  // One monitor per side, so that no side sees hits another has processed.
  const memory = createTagMonitor({ clock: clockAt(now) });
  activate(memory, ids);
  const memoryBatches = createTagMonitor({ clock: clockAt(now) });
  activate(memoryBatches, ids);
  const file = scratchFile('rates.db');
  const durable = createTagMonitor({
    clock: clockAt(now),
    store: createSqliteStore({ path: file }),
  });
  activate(durable, ids);

  // What an app would write instead: one actor per tag, one real timer per tag re-armed
  // on every hit. Its timers are cancelled before they fire (all hits are within 24 h).
  const actors = new Map<string, ReturnType<typeof createActor<typeof tagMachine>>>();
  const timers = new Map<string, NodeJS.Timeout>();
  const arm = (tagId: string, lastDataAt: number) => {
    const actor = actors.get(tagId);
    clearTimeout(timers.get(tagId));
    timers.set(
      tagId,
      setTimeout(
        () => actor?.send({ type: 'tag.silenceElapsed', at: lastDataAt + DAY_MS }),
        lastDataAt + DAY_MS - now,
      ),
    );
  };
  for (const tagId of ids) {
    const actor = createActor(tagMachine, { input: {} }).start();
    actors.set(tagId, actor);
    actor.send({ type: 'tag.dataReceived', at: T0, now });
    arm(tagId, T0);
  }

  /** Each side: how many of a round's hits it processes, and how. */
  const sides: Record<RateSide, { hits: number; run: (hits: readonly ActivityInput[]) => void }> = {
    raw: {
      hits: hitCount,
      run: (hits) => {
        for (const hit of hits) {
          const index = indexOf.get(hit.tagId);
          if (index !== undefined && hit.at > (lastSeen[index] as number)) {
            lastSeen[index] = hit.at;
          }
        }
      },
    },
    perCall: {
      hits: hitCount,
      run: (hits) => {
        for (const hit of hits) memory.recordActivity(hit.tagId, hit.at);
      },
    },
    batch: {
      hits: hitCount,
      run: (hits) => {
        for (let first = 0; first < hits.length; first += BATCH) {
          memoryBatches.apply(hits.slice(first, first + BATCH));
        }
      },
    },
    sqlite: {
      hits: hitCount,
      run: (hits) => {
        for (let first = 0; first < hits.length; first += BATCH) {
          durable.apply(hits.slice(first, first + BATCH));
        }
      },
    },
    actors: {
      hits: actorHits,
      run: (hits) => {
        for (let index = 0; index < actorHits; index++) {
          const hit = hits[index] as ActivityInput;
          const actor = actors.get(hit.tagId);
          actor?.send({ type: 'tag.dataReceived', at: hit.at, now });
          arm(hit.tagId, actor?.getSnapshot().context.lastDataAt ?? hit.at);
        }
      },
    },
  };
  const names = Object.keys(sides) as RateSide[];
  const perRound = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<
    RateSide,
    number[]
  >;
  for (let round = 0; round < rounds; round++) {
    const hits = hitsOn(ids, hitCount, round);
    for (let turn = 0; turn < names.length; turn++) {
      const name = names[(round + turn) % names.length] as RateSide;
      const side = sides[name];
      collectGarbage();
      const start = performance.now();
      side.run(hits);
      perRound[name].push(side.hits / seconds(start));
    }
  }
  memory.close();
  memoryBatches.close();
  durable.close();
  for (const timer of timers.values()) clearTimeout(timer);
  for (const actor of actors.values()) actor.stop();
  actors.clear();
  const databaseBytes = fs.statSync(file).size;
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
  return { tags, hits: hitCount, actorHits, hitsPerSecond: perRound, databaseBytes };
}

/**
 * A monitor whose every tag has its history full: `Active` after a hit, then in turns
 * `Inactive` (a storm: the clock jumps a day) and `Active` again (a hit each), until each
 * tag has made more changes than the default limit keeps.
 */
function monitorWithFullHistories(tags: number): TagMonitor {
  const clock = clockAt(T0 + 1_000);
  const monitor = createTagMonitor({ clock });
  const activate = (register: boolean) => {
    const at = monitor.now();
    for (let start = 0; start < tags; start += BATCH) {
      const batch: MonitorInput[] = [];
      for (let index = start; index < Math.min(tags, start + BATCH); index++) {
        const tagId = `tag-${index}`;
        if (register) batch.push({ kind: 'registerTag', tagId });
        batch.push({ kind: 'activity', tagId, at });
      }
      monitor.apply(batch);
    }
  };
  activate(true);
  for (let changes = 1; changes <= DEFAULT_HISTORY_LIMIT; changes += 2) {
    clock.increment(DAY_MS);
    activate(false);
  }
  const kept = monitor.history('tag-0').length;
  if (kept !== DEFAULT_HISTORY_LIMIT) throw new Error(`tag-0 kept ${kept} changes`);
  return monitor;
}

/** Bytes kept per tag (see {@link MemoryWay}), all tags `Active`, ids created inside. */
function memory(way: MemoryWay, tags: number) {
  const before = usedBytes();
  let keep: unknown;
  if (way === 'fullHistory') {
    keep = monitorWithFullHistories(tags);
  } else if (way === 'monitor') {
    const monitor = createTagMonitor({ clock: clockAt(T0 + 1_000) });
    for (let start = 0; start < tags; start += BATCH) {
      const batch: MonitorInput[] = [];
      for (let index = start; index < Math.min(tags, start + BATCH); index++) {
        const tagId = `tag-${index}`;
        batch.push({ kind: 'registerTag', tagId }, { kind: 'activity', tagId, at: T0 });
      }
      monitor.apply(batch);
    }
    keep = monitor;
  } else if (way === 'map') {
    const lastSeen = new Map<string, number>();
    for (let index = 0; index < tags; index++) lastSeen.set(`tag-${index}`, T0 + index);
    keep = lastSeen;
  } else {
    const actors = new Map<string, unknown>();
    const timers: NodeJS.Timeout[] = [];
    for (let index = 0; index < tags; index++) {
      const actor = createActor(tagMachine, { input: {} }).start();
      actor.send({ type: 'tag.dataReceived', at: T0, now: T0 });
      actors.set(`tag-${index}`, actor);
      timers.push(
        setTimeout(() => actor.send({ type: 'tag.silenceElapsed', at: T0 + DAY_MS }), DAY_MS),
      );
    }
    keep = { actors, timers };
    for (const timer of timers) clearTimeout(timer);
  }
  const bytes = usedBytes() - before;
  return { way, tags, bytesPerTag: bytes / tags, kept: keep !== undefined };
}

/** A million (or `tags`) silences falling due at once, after all tags went `Active` together. */
function silences(tags: number, store: 'memory' | 'sqlite') {
  const clock = clockAt(T0 + 1_000);
  const file = store === 'sqlite' ? scratchFile('silences.db') : undefined;
  let changes = 0;
  const monitor = createTagMonitor({
    clock,
    store: file === undefined ? undefined : createSqliteStore({ path: file }),
    onStatusChange: () => {
      changes += 1;
    },
  });
  const ids = tagIds(tags);
  let start = performance.now();
  for (let first = 0; first < ids.length; first += BATCH) {
    const batch: MonitorInput[] = [];
    for (const [offset, tagId] of ids.slice(first, first + BATCH).entries()) {
      batch.push(
        { kind: 'registerTag', tagId },
        { kind: 'activity', tagId, at: T0 + ((first + offset) % 1_000) },
      );
    }
    monitor.apply(batch);
  }
  const activation = seconds(start);
  const activated = changes;
  start = performance.now();
  clock.increment(DAY_MS);
  const storm = seconds(start);
  const inactive = monitor.tagsInStatus('Inactive').length;
  monitor.close();
  if (file !== undefined) fs.rmSync(path.dirname(file), { recursive: true, force: true });
  return {
    tags,
    store,
    activationSeconds: activation,
    activated,
    stormSeconds: storm,
    silenced: changes - activated,
    inactive,
  };
}

const parameters = JSON.parse(process.argv[2] ?? '{}') as MonitorWorkerParameters;
const report =
  parameters.mode === 'rates'
    ? rates(parameters.tags, parameters.hits, parameters.actorHits, parameters.rounds)
    : parameters.mode === 'memory'
      ? memory(parameters.way, parameters.tags)
      : silences(parameters.tags, parameters.store);
process.stdout.write(`${JSON.stringify(report)}\n`);
