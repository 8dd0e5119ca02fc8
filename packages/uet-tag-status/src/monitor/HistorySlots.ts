/** The first byte of a slot whose record continues in chunks. */
const CHAINED = 0xff;
/** A chained slot's first bytes: the marker, the record's length, its first chunk. */
const CHAINED_HEADER = 9;
/** Bytes of a chunk: the next chunk's number (or -1), then the record's bytes. */
const CHUNK_BYTES = 64;
const CHUNK_LINK = 4;

/**
 * The byte record of every tag of a {@link ChangeHistory}: a slot of the same size for
 * each tag, side by side in one array (so a tag costs its slot and nothing else: no
 * offset, no object), holding the record's length in its first byte and the record after
 * it; a record longer than the slot continues in 64-byte chunks of a shared pool, freed
 * chunks reused.
 *
 * {@link HistorySlots.open} makes a tag's record readable in {@link HistorySlots.bytes}
 * from {@link HistorySlots.start}: in place when it fits its slot, else gathered.
 *
 * @example
 * ```ts
 * const slots = new HistorySlots(16);
 * slots.store(3, new Uint8Array([1, 2, 3]), 3);
 * slots.open(3); // 3
 * slots.bytes[slots.start]; // 1
 * ```
 */
export class HistorySlots {
  /** The bytes the record {@link HistorySlots.open} opened is in. */
  bytes: Uint8Array;
  /** Where in {@link HistorySlots.bytes} that record starts. */
  start = 0;
  /**
   * Whether that record is in its slot: then it may be changed in place, up to
   * {@link HistorySlots.room} bytes, and its length set with {@link HistorySlots.setLength}.
   */
  isInline = true;
  private slots: Uint8Array;
  private chunks = new Uint8Array(16 * CHUNK_BYTES);
  private chunkCount = 0;
  private freeChunk = -1;
  private gathered = new Uint8Array(256);

  /** @param slotSize - bytes per tag, from 16 to 255. */
  constructor(readonly slotSize: number) {
    if (!Number.isSafeInteger(slotSize) || slotSize < 16 || slotSize > 255) {
      throw new RangeError(`slot size ${slotSize} is not an integer from 16 to 255`);
    }
    this.slots = new Uint8Array(1024 * slotSize);
    this.bytes = this.slots;
  }

  /** Tags below this number have a slot. */
  get capacity(): number {
    return this.slots.length / this.slotSize;
  }

  /** The most bytes a record keeps in its slot. */
  get room(): number {
    return this.slotSize - 1;
  }

  /**
   * Reads the slots of tags `tags[from..to)` (their first and last bytes) in one tight
   * loop, ahead of adding to them; returns a number made of what it read.
   */
  warm(tags: Int32Array, from: number, to: number): number {
    const { slots, slotSize } = this;
    const last = slotSize - 1;
    let read = 0;
    for (let index = from; index < to; index++) {
      const base = (tags[index] as number) * slotSize;
      if (base >= slots.length) continue;
      read += (slots[base] as number) + (slots[base + last] as number);
    }
    return read;
  }

  /** Sets the length of tag `no`'s record, changed in place in its slot (at most {@link HistorySlots.room}). */
  setLength(no: number, length: number): void {
    this.slots[no * this.slotSize] = length;
  }

  /** Gives every tag below `length` a slot (an empty record). */
  ensure(length: number): void {
    if (length <= this.capacity) return;
    const slots = new Uint8Array(Math.max(length, 2 * this.capacity) * this.slotSize);
    slots.set(this.slots);
    this.slots = slots;
  }

  /** Makes tag `no`'s record readable (see {@link HistorySlots.bytes}); returns its length. */
  open(no: number): number {
    const { slots, slotSize } = this;
    const base = no * slotSize;
    const first = slots[base] as number;
    if (first !== CHAINED) {
      this.bytes = slots;
      this.start = base + 1;
      this.isInline = true;
      return first;
    }
    const length = this.readInt(base + 1);
    if (this.gathered.length < length) this.gathered = new Uint8Array(2 * length);
    const gathered = this.gathered;
    let copied = 0;
    for (let at = base + CHAINED_HEADER; at < base + slotSize; at++) {
      gathered[copied++] = slots[at] as number;
    }
    const { chunks } = this;
    for (let chunk = this.readInt(base + 5); copied < length; ) {
      const from = chunk * CHUNK_BYTES;
      const end = Math.min(from + CHUNK_BYTES, from + CHUNK_LINK + length - copied);
      for (let at = from + CHUNK_LINK; at < end; at++) gathered[copied++] = chunks[at] as number;
      chunk = linkOf(chunks, from);
    }
    this.bytes = gathered;
    this.start = 0;
    this.isInline = false;
    return length;
  }

  /** Keeps `length` bytes of `record` as tag `no`'s record (in place of the one it had). */
  store(no: number, record: Uint8Array, length: number): void {
    const { slotSize } = this;
    const base = no * slotSize;
    this.freeChain(base);
    const slots = this.slots;
    if (length < slotSize) {
      slots[base] = length;
      for (let at = 0; at < length; at++) slots[base + 1 + at] = record[at] as number;
      return;
    }
    slots[base] = CHAINED;
    this.writeInt(base + 1, length);
    let copied = 0;
    for (let at = base + CHAINED_HEADER; at < base + slotSize; at++) {
      slots[at] = record[copied++] as number;
    }
    let linkAt = -1;
    while (copied < length) {
      const chunk = this.allocateChunk();
      if (linkAt < 0) this.writeInt(base + 5, chunk);
      else setLink(this.chunks, linkAt, chunk);
      const from = chunk * CHUNK_BYTES;
      setLink(this.chunks, from, -1);
      const end = Math.min(from + CHUNK_BYTES, from + CHUNK_LINK + length - copied);
      for (let at = from + CHUNK_LINK; at < end; at++) this.chunks[at] = record[copied++] as number;
      linkAt = from;
    }
  }

  /** Empties tag `no`'s record. */
  clear(no: number): void {
    if (no >= this.capacity) return;
    const base = no * this.slotSize;
    this.freeChain(base);
    this.slots[base] = 0;
  }

  private freeChain(base: number): void {
    if (this.slots[base] !== CHAINED) return;
    let chunk = this.readInt(base + 5);
    while (chunk >= 0) {
      const next = linkOf(this.chunks, chunk * CHUNK_BYTES);
      setLink(this.chunks, chunk * CHUNK_BYTES, this.freeChunk);
      this.freeChunk = chunk;
      chunk = next;
    }
    this.slots[base] = 0;
  }

  private allocateChunk(): number {
    if (this.freeChunk >= 0) {
      const chunk = this.freeChunk;
      this.freeChunk = linkOf(this.chunks, chunk * CHUNK_BYTES);
      return chunk;
    }
    if ((this.chunkCount + 1) * CHUNK_BYTES > this.chunks.length) {
      // By a quarter, as the slots' records are most of a history's memory.
      const chunks = new Uint8Array(
        Math.ceil((this.chunks.length * 1.25) / CHUNK_BYTES) * CHUNK_BYTES,
      );
      chunks.set(this.chunks);
      this.chunks = chunks;
    }
    this.chunkCount += 1;
    return this.chunkCount - 1;
  }

  private readInt(at: number): number {
    return linkOf(this.slots, at);
  }

  private writeInt(at: number, value: number): void {
    setLink(this.slots, at, value);
  }
}

/** The 32-bit little-endian integer at `at`. */
function linkOf(chunks: Uint8Array, at: number): number {
  return (
    ((chunks[at] as number) |
      ((chunks[at + 1] as number) << 8) |
      ((chunks[at + 2] as number) << 16) |
      ((chunks[at + 3] as number) << 24)) >>
    0
  );
}

/** Writes a 32-bit little-endian integer at `at`. */
function setLink(chunks: Uint8Array, at: number, chunk: number): void {
  chunks[at] = chunk & 0xff;
  chunks[at + 1] = (chunk >>> 8) & 0xff;
  chunks[at + 2] = (chunk >>> 16) & 0xff;
  chunks[at + 3] = (chunk >>> 24) & 0xff;
}
