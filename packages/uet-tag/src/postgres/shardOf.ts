const utf8 = new TextEncoder();

/**
 * The shard of a tag: FNV-1a (32 bits) of its id's UTF-8 bytes, modulo the shard count.
 * Every process that appends inputs or runs shards computes it the same way, so all of a
 * tag's inputs go to one shard, in order.
 *
 * @example
 * ```ts
 * shardOf('tag-1', 16); // a number from 0 to 15, the same everywhere
 * ```
 */
export function shardOf(tagId: string, shardCount: number): number {
  let hash = 0x81_1c_9d_c5;
  for (const byte of utf8.encode(tagId)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01_00_01_93);
  }
  return (hash >>> 0) % shardCount;
}
