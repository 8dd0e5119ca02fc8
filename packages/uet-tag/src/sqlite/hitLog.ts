import type { StoredHits } from 'uet-tag-status';
import { earliestReceived, latestReceived } from 'uet-tag-status/engine';
import type { WriterStatements } from './statements.js';

/** Bytes per logged hit: a float64 time and a uint32 tag number. */
export const HIT_BYTES = 12;

/**
 * Encodes hits as one `hit_log` entry: the `count` times as little-endian float64, then
 * the `count` tag numbers as uint32.
 *
 * @example
 * ```ts
 * statements.logHits.run(encodeHits(commit.hits));
 * ```
 */
export function encodeHits(hits: StoredHits): Buffer {
  const buffer = new ArrayBuffer(hits.count * HIT_BYTES);
  new Float64Array(buffer, 0, hits.count).set(hits.ats.subarray(0, hits.count));
  new Uint32Array(buffer, hits.count * 8, hits.count).set(hits.tagNos.subarray(0, hits.count));
  return Buffer.from(buffer);
}

/**
 * Decodes one `hit_log` entry made by {@link encodeHits}, or `undefined` when its length is
 * not a whole, non-zero number of hits.
 *
 * @example
 * ```ts
 * const hits = decodeHits(row.hits);
 * ```
 */
export function decodeHits(blob: Buffer): StoredHits | undefined {
  if (blob.length === 0 || blob.length % HIT_BYTES !== 0) return undefined;
  const count = blob.length / HIT_BYTES;
  const bytes = new Uint8Array(blob.length);
  bytes.set(blob);
  return {
    count,
    ats: new Float64Array(bytes.buffer, 0, count),
    tagNos: new Uint32Array(bytes.buffer, count * 8, count),
  };
}

/**
 * Folds the whole hit log into the `tags` table, as the machines keep data times
 * ({@link earliestReceived}, {@link latestReceived}); hits of numbers that no tag has are
 * dropped. Call it inside a transaction, on a database whose hit log was checked.
 *
 * @example
 * ```ts
 * db.transaction(() => foldHitLog(statements))();
 * ```
 */
export function foldHitLog(statements: WriterStatements): void {
  const maxNo = (statements.maxTagNo.pluck().get() as number | null) ?? -1;
  const first: (number | undefined)[] = new Array(maxNo + 1);
  const last: (number | undefined)[] = new Array(maxNo + 1);
  for (const blob of statements.hitLog.pluck().iterate() as Iterable<Buffer>) {
    const { count, tagNos, ats } = decodeHits(blob) ?? { count: 0, tagNos: [], ats: [] };
    for (let index = 0; index < count; index++) {
      const no = tagNos[index] as number;
      if (no > maxNo) continue;
      const at = ats[index] as number;
      first[no] = earliestReceived(first[no], at);
      last[no] = latestReceived(last[no], at);
    }
  }
  for (let no = 0; no <= maxNo; no++) {
    const firstAt = first[no];
    const lastAt = last[no];
    if (firstAt === undefined || lastAt === undefined) continue;
    const row = statements.dataTimes.get(no) as
      | { first_data_at: number | null; last_data_at: number | null }
      | undefined;
    if (row === undefined) continue;
    statements.setDataTimes.run(
      earliestReceived(row.first_data_at ?? undefined, firstAt),
      latestReceived(row.last_data_at ?? undefined, lastAt),
      no,
    );
  }
  statements.clearHitLog.run();
}
