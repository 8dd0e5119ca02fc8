/**
 * How many bytes a file is read at a time: 512 KiB. A chunk is decoded as one string (an
 * ASCII chunk's lines are slices of it), and Node makes a string of more than about
 * 1,000,000 bytes (its `EXTERN_APEX`, 0xFBEE9) an external string whose memory lies outside
 * V8's heap: external memory that brings on a full garbage collection every few chunks.
 * Measured on a TSV replay of 55 MB, three rounds: 10 full collections with 1 MiB chunks,
 * 1 with 1,000,000 bytes or 512 KiB, and about 0.8× the processor time.
 *
 * @example
 * ```ts
 * const stream = createReadStream(path, { highWaterMark: READ_CHUNK_BYTES });
 * ```
 */
export const READ_CHUNK_BYTES = 1 << 19;
