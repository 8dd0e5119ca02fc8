/**
 * One measurement of the monitor benchmark, in its own process (run with
 * `node --expose-gc --import tsx bench/monitorWorker.ts <json>`), printing a JSON report.
 * `rates` compares the four ways to process the same hits side by side; `memory` counts
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
import { DAY_MS } from '../packages/uet-tag-status/src/windows.js';

/** What to measure. */
export type MonitorWorkerParameters =
  | {
      readonly mode: 'rates';
      readonly tags: number;
      readonly hits: number;
      readonly actorHits: number;
      /** Rounds in which every side but SQLite runs once. */
      readonly rounds: number;
    }
  | { readonly mode: 'memory'; readonly way: 'monitor' | 'map' | 'actors'; readonly tags: number }
  | { readonly mode: 'silences'; readonly tags: number; readonly store: 'memory' | 'sqlite' };

const T0 = Date.UTC(2025, 0, 1);
const BATCH = 10_000;

/** Tag ids as an app gets them from parsed input (flat strings). */
function tagIds(count: number): string[] {
  return JSON.parse(JSON.stringify(Array.from({ length: count }, (_, index) => `tag-${index}`)));
}

/**
 * `count` hits on tags drawn uniformly, one every 0.5 ms from T0 + 1 h; one in ten arrives
 * up to 10 minutes late (out of order, SPEC D1).
 */
function hitsOn(ids: readonly string[], count: number): ActivityInput[] {
  const generator = createRandom(42);
  const next = () => generator.next();
  const hits: ActivityInput[] = [];
  for (let index = 0; index < count; index++) {
    const late = next() < 0.1 ? Math.floor(next() * 600_000) : 0;
    const tagId = ids[Math.floor(next() * ids.length)] as string;
    hits.push({ kind: 'activity', tagId, at: T0 + 3_600_000 + Math.floor(index / 2) - late });
  }
  return hits;
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
 * The four ways side by side on the same hits. The raw loop, the in-memory monitor (per
 * call and in batches) and the actors run in rounds, one after another within each round,
 * so that each round compares them under the same machine load; SQLite runs once after.
 */
function rates(tags: number, hitCount: number, actorHits: number, rounds: number) {
  const ids = tagIds(tags);
  const hits = hitsOn(ids, hitCount);
  const actorInputs = hits.slice(0, actorHits);
  const now = T0 + DAY_MS / 2;

  const lastSeen = new Map<string, number>();
  for (const tagId of ids) lastSeen.set(tagId, T0);
  const memory = createTagMonitor({ clock: clockAt(now) });
  activate(memory, ids);

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

  /** Each side in the order it runs within a round: how many hits it processes, and how. */
  const sides = {
    raw: {
      hits: hitCount,
      run: () => {
        for (const hit of hits) {
          const previous = lastSeen.get(hit.tagId);
          if (previous === undefined || hit.at > previous) lastSeen.set(hit.tagId, hit.at);
        }
      },
    },
    perCall: {
      hits: hitCount,
      run: () => {
        for (const hit of hits) memory.recordActivity(hit.tagId, hit.at);
      },
    },
    batch: {
      hits: hitCount,
      run: () => {
        for (let first = 0; first < hits.length; first += BATCH) {
          memory.apply(hits.slice(first, first + BATCH));
        }
      },
    },
    actors: {
      hits: actorHits,
      run: () => {
        for (const hit of actorInputs) {
          const actor = actors.get(hit.tagId);
          actor?.send({ type: 'tag.dataReceived', at: hit.at, now });
          arm(hit.tagId, actor?.getSnapshot().context.lastDataAt ?? hit.at);
        }
      },
    },
  };
  const perRound: Record<keyof typeof sides, number[]> = {
    raw: [],
    perCall: [],
    batch: [],
    actors: [],
  };
  for (let round = 0; round < rounds; round++) {
    for (const [name, side] of Object.entries(sides) as [
      keyof typeof sides,
      (typeof sides)['raw'],
    ][]) {
      collectGarbage();
      const start = performance.now();
      side.run();
      perRound[name].push(side.hits / seconds(start));
    }
  }
  memory.close();
  for (const timer of timers.values()) clearTimeout(timer);
  for (const actor of actors.values()) actor.stop();
  actors.clear();

  const file = scratchFile('rates.db');
  const durable = createTagMonitor({
    clock: clockAt(now),
    store: createSqliteStore({ path: file }),
  });
  activate(durable, ids);
  const start = performance.now();
  for (let pass = 0; pass < 2; pass++) {
    for (let first = 0; first < hits.length; first += BATCH) {
      durable.apply(hits.slice(first, first + BATCH));
    }
  }
  const sqlite = seconds(start);
  durable.close();
  const databaseBytes = fs.statSync(file).size;
  fs.rmSync(path.dirname(file), { recursive: true, force: true });

  return {
    tags,
    hits: hitCount,
    actorHits,
    hitsPerSecond: { ...perRound, sqlite: (2 * hitCount) / sqlite },
    databaseBytes,
  };
}

/** Bytes kept per tag, all tags `Active` after one hit each, ids created inside. */
function memory(way: 'monitor' | 'map' | 'actors', tags: number) {
  const before = usedBytes();
  let keep: unknown;
  if (way === 'monitor') {
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
