import { expect } from 'vitest';
import { hitOf } from '../../packages/uet-tag-status/src/uet/checkUetHit.js';
import type { InputNode, ServeNode } from './clusterProcesses.js';

/** One input of a cluster test: a record (one JSON line) for `POST /inputs` or `uet-tag ingest`, or a collector hit for a tag. */
export type Traffic = { readonly line: string } | { readonly beacon: string };

/** The size of a cluster test's traffic. */
export interface TrafficSize {
  readonly tags: number;
  /** Inputs in all, registrations included. */
  readonly inputs: number;
  /** The share of the traffic after the registrations sent as collector hits. */
  readonly beaconShare: number;
}

/**
 * The inputs of a cluster test: a registration per tag first (every fourth tag with a Url
 * goal, every seventh with an offline one, none with a definition), then activity,
 * conversions, access changes and collector hits, skewed towards the first tags and
 * stamped up to 300 ms in the past.
 */
export function* clusterTraffic(size: TrafficSize, next: () => number): Generator<Traffic> {
  for (let index = 0; index < size.tags; index++) {
    const goals = [];
    if (index % 4 === 0) goals.push({ goalId: 'signup', goalType: 'Url' });
    if (index % 7 === 0) goals.push({ goalId: 'offline', goalType: 'OfflineConversion' });
    yield { line: JSON.stringify({ kind: 'registerTag', tagId: `tag-${index}`, goals }) };
  }
  for (let count = size.tags; count < size.inputs; count++) {
    const index = Math.floor(next() ** 2 * size.tags);
    const tagId = `tag-${index}`;
    const at = Date.now() - Math.floor(next() * 300);
    const roll = next();
    if (roll < size.beaconShare) yield { beacon: tagId };
    else if (roll < 0.85) yield { line: JSON.stringify({ kind: 'activity', tagId, at }) };
    else if (roll < 0.97 && index % 4 === 0) {
      yield { line: JSON.stringify({ kind: 'conversion', tagId, goalId: 'signup', at }) };
    } else if (roll < 0.97 && index % 7 === 0) {
      yield { line: JSON.stringify({ kind: 'conversion', tagId, goalId: 'offline', at }) };
    } else if (roll < 0.97) yield { line: JSON.stringify({ kind: 'activity', tagId, at }) };
    else {
      const kind = next() < 0.5 ? 'accessLost' : 'accessRestored';
      yield { line: JSON.stringify({ kind, tagId }) };
    }
  }
}

/** A record's JSON with its keys sorted (jsonb keeps keys in an order of its own). */
const canonical = (json: string) =>
  JSON.stringify(JSON.parse(json), (_key, value: unknown) =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1)))
      : value,
  );

/** Adds one to `key`'s count. */
function count(counts: Map<string, number>, key: string, by = 1): void {
  counts.set(key, (counts.get(key) ?? 0) + by);
}

/** What {@link TrafficFeeder.checkLog} found, for the test's figures. */
export interface LogFigures {
  /** Records acknowledged by serve nodes (`POST /inputs`) and by ingest nodes. */
  readonly acknowledgedBy: { readonly serve: number; readonly ingest: number };
  /** Batches sent again because they got no acknowledgement. */
  readonly unansweredBatches: number;
  /** Records in the log more often than they were acknowledged (sent again, or answered by nobody). */
  readonly unacknowledgedInLog: number;
  readonly beaconsAcknowledged: number;
  /** Hits in the log whose request got no answer. */
  readonly unacknowledgedHitsInLog: number;
}

/**
 * Feeds a cluster test's traffic to its input nodes and keeps the books: what was
 * generated, sent (resends included) and acknowledged. A batch that got no
 * acknowledgement may or may not be in the log; it is sent again (records have no ids of
 * their own, so the log may then hold it twice), a hit is not (as a browser would not).
 */
export class TrafficFeeder {
  private readonly generated = new Map<string, number>();
  private readonly sent = new Map<string, number>();
  private readonly acknowledged = new Map<string, number>();
  private readonly beaconsSent = new Map<string, number>();
  private readonly beaconsAcknowledged = new Map<string, number>();
  private readonly records: string[] = [];
  private readonly beacons: string[] = [];
  private readonly resend: string[] = [];
  private exhausted = false;
  private pending = 0;
  private beaconsInFlight = 0;
  private unanswered = 0;
  /** Records acknowledged by serve nodes and by ingest nodes. */
  private readonly acknowledgedBy = { serve: 0, ingest: 0 };

  private generatedCount = 0;
  private readonly startedAt = performance.now();
  private turn = 0;

  constructor(
    private readonly traffic: Iterator<Traffic>,
    /** Records per batch. */
    private readonly batch: number,
    /** The most inputs generated per second, so that the traffic lasts as long as the faults. */
    private readonly perSecond = Number.POSITIVE_INFINITY,
  ) {}

  /**
   * Sends what the live nodes have room for: `linesInFlight` at most `window` records
   * each, and 16 hits in all; each call starts with the next node.
   */
  feed(nodes: readonly (InputNode | undefined)[], window: number): void {
    this.turn += 1;
    for (let offset = 0; offset < nodes.length; offset++) {
      const node = nodes[(this.turn + offset) % nodes.length];
      if (node === undefined) continue;
      while (node.linesInFlight() < window && this.sendBatch(node)) {}
      if ('beacon' in node) {
        while (this.beaconsInFlight < 16 && this.beacons.length > 0) {
          this.sendBeacon(node as ServeNode, this.beacons.shift() as string);
        }
      }
    }
  }

  /** Whether all traffic was generated, sent and answered, and nothing waits to be sent again. */
  done(): boolean {
    this.fill();
    return (
      this.exhausted &&
      this.records.length === 0 &&
      this.beacons.length === 0 &&
      this.resend.length === 0 &&
      this.pending === 0
    );
  }

  /**
   * Checks the input log's records (as text) against the books: every acknowledged
   * record and hit is there as often as it was acknowledged, nothing is there more often
   * than it was sent, every generated record was acknowledged, and every hit was stamped
   * between `from` and `to`.
   */
  checkLog(logged: readonly string[], from: number, to: number, context: string): LogFigures {
    const inLog = new Map<string, number>();
    const hitsInLog = new Map<string, number>();
    for (const text of logged) {
      const record = JSON.parse(text) as { kind: string; hit?: unknown; at?: number };
      if (record.kind !== 'hit') count(inLog, canonical(text));
      else {
        count(hitsInLog, hitOf('hit', record.hit).tagId);
        expect(record.at, `${context}: a hit's receipt time`).toBeGreaterThanOrEqual(from);
        expect(record.at, `${context}: a hit's receipt time`).toBeLessThanOrEqual(to);
      }
    }
    const byCanonical = (counts: Map<string, number>) => {
      const canonicalCounts = new Map<string, number>();
      for (const [line, times] of counts) count(canonicalCounts, canonical(line), times);
      return canonicalCounts;
    };
    const generated = byCanonical(this.generated);
    const sent = byCanonical(this.sent);
    const acknowledged = byCanonical(this.acknowledged);
    const problems = (
      check: (key: string, logged: number) => boolean,
      keys: Iterable<string>,
      counts: Map<string, number>,
    ) => [...keys].filter((key) => !check(key, counts.get(key) ?? 0)).slice(0, 5);
    expect(
      problems((key, times) => times >= (acknowledged.get(key) ?? 0), acknowledged.keys(), inLog),
      `${context}: acknowledged records missing from the log`,
    ).toEqual([]);
    expect(
      problems((key, times) => times <= (sent.get(key) ?? 0), inLog.keys(), inLog),
      `${context}: records in the log more often than sent`,
    ).toEqual([]);
    expect(
      problems((key, times) => times >= (generated.get(key) ?? 0), generated.keys(), acknowledged),
      `${context}: generated records never acknowledged`,
    ).toEqual([]);
    const hitProblems = [...new Set([...this.beaconsSent.keys(), ...hitsInLog.keys()])].filter(
      (tagId) => {
        const times = hitsInLog.get(tagId) ?? 0;
        const least = this.beaconsAcknowledged.get(tagId) ?? 0;
        return times < least || times > (this.beaconsSent.get(tagId) ?? 0);
      },
    );
    expect(
      hitProblems,
      `${context}: tags whose hits in the log are not between acknowledged and sent`,
    ).toEqual([]);
    let unacknowledgedInLog = 0;
    for (const [key, times] of inLog) unacknowledgedInLog += times - (acknowledged.get(key) ?? 0);
    let beaconsAcknowledged = 0;
    for (const times of this.beaconsAcknowledged.values()) beaconsAcknowledged += times;
    let hits = 0;
    for (const times of hitsInLog.values()) hits += times;
    return {
      acknowledgedBy: { ...this.acknowledgedBy },
      unansweredBatches: this.unanswered,
      unacknowledgedInLog,
      beaconsAcknowledged,
      unacknowledgedHitsInLog: hits - beaconsAcknowledged,
    };
  }

  /** Generates traffic until a batch of records waits, the pace is reached or the traffic ended. */
  private fill(): void {
    const allowed = ((performance.now() - this.startedAt) / 1_000) * this.perSecond;
    while (this.records.length < this.batch && !this.exhausted && this.generatedCount < allowed) {
      this.generatedCount += 1;
      const item = this.traffic.next();
      if (item.done === true) this.exhausted = true;
      else if ('beacon' in item.value) this.beacons.push(item.value.beacon);
      else {
        this.records.push(item.value.line);
        count(this.generated, item.value.line);
      }
    }
  }

  /** Sends a batch (records to send again first) to `node`; false when nothing waits. */
  private sendBatch(node: InputNode): boolean {
    this.fill();
    const chunk = this.resend.splice(0, this.batch);
    chunk.push(...this.records.splice(0, this.batch - chunk.length));
    if (chunk.length === 0) return false;
    for (const line of chunk) count(this.sent, line);
    this.pending += 1;
    void node.send(chunk).then((ok) => {
      this.pending -= 1;
      if (ok) {
        for (const line of chunk) count(this.acknowledged, line);
        this.acknowledgedBy['beacon' in node ? 'serve' : 'ingest'] += chunk.length;
      } else {
        this.unanswered += 1;
        this.resend.push(...chunk);
      }
    });
    return true;
  }

  /** Sends a collector hit for `tagId` to `node`. */
  private sendBeacon(node: ServeNode, tagId: string): void {
    count(this.beaconsSent, tagId);
    this.pending += 1;
    this.beaconsInFlight += 1;
    void node.beacon(tagId).then((ok) => {
      this.pending -= 1;
      this.beaconsInFlight -= 1;
      if (ok) count(this.beaconsAcknowledged, tagId);
    });
  }
}
