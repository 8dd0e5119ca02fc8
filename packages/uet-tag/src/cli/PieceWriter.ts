import { isoTime } from 'uet-tag-status';
import { jsonNumber } from './jsonText.js';

/** Output is written in pieces of about this many bytes. */
const PIECE_BYTES = 1 << 20;
const MS_PER_DAY = 86_400_000;
/** The first millisecond of year 10000 (from there `isoTime` writes six-digit years). */
const YEAR_10000_MS = 253_402_300_800_000;
/** Days whose date part is kept as bytes (cleared when full). */
const CACHED_DAYS = 4_096;
/** The most bytes one time, number or constant written by arithmetic takes (a safe integer has 16 digits). */
const MOST_ASCII = 32;
const ZERO = 0x30;
/** Text up to this many code units is copied by code unit when it is ASCII. */
const SHORT_TEXT = 24;
/** Integers below this are written as one int32. */
const SMALL = 2 ** 31;
/** Integers below this are written as their millions and the rest, two int32s. */
const LARGEST_BY_MILLIONS = SMALL * 1_000_000;

/**
 * Writes a report's bytes into pieces of about 1 MiB and hands each to `write` as it
 * fills: constants copied as bytes encoded once, numbers and times written digit by
 * digit, so that a report of millions of items makes no string for any of them (the
 * text of `Date#toISOString` and `JSON.stringify` of a number, exactly, tested against
 * them). Other text is encoded as UTF-8.
 *
 * @example
 * ```ts
 * const out = new PieceWriter((bytes) => io.stdout.write(bytes));
 * out.bytes(PieceWriter.encode('"at": '));
 * out.number(1_704_067_200_000);
 * out.flush();
 * ```
 */
export class PieceWriter {
  private piece: Buffer;
  private used = 0;
  /** `YYYY-MM-DDT` of recently written days, as bytes, by day number since the epoch. */
  private readonly datePrefixes = new Map<number, Uint8Array>();
  /** The day written last and its date part (times in a row are mostly of one day). */
  private lastDay = Number.NaN;
  private lastPrefix: Uint8Array = new Uint8Array(0);

  /** @param write - takes each piece, which is not written to again. */
  constructor(private readonly write: (bytes: Uint8Array) => void) {
    this.piece = Buffer.allocUnsafe(PIECE_BYTES);
  }

  /** Text as UTF-8 bytes, for {@link PieceWriter.bytes} (encode constants once). */
  static encode(text: string): Uint8Array {
    return Buffer.from(text, 'utf8');
  }

  /** Text, encoded as UTF-8. */
  text(text: string): void {
    // A UTF-16 code unit takes at most 3 bytes in UTF-8.
    const most = 3 * text.length;
    if (text.length <= SHORT_TEXT) {
      // Short ASCII text (a status, a duration) is copied by code unit: cheaper than a call
      // into the encoder.
      if (this.used + most > this.piece.length) this.flush();
      const { piece } = this;
      let at = this.used;
      let index = 0;
      for (; index < text.length; index++) {
        const code = text.charCodeAt(index);
        if (code >= 0x80) break;
        piece[at++] = code;
      }
      if (index === text.length) {
        this.used = at;
        return;
      }
    }
    if (this.used + most > this.piece.length) {
      this.flush();
      if (most > this.piece.length) {
        this.write(Buffer.from(text, 'utf8'));
        return;
      }
    }
    this.used += this.piece.write(text, this.used);
  }

  /** Bytes as they are (they may be reused: they are copied). */
  bytes(bytes: Uint8Array): void {
    const length = bytes.length;
    if (this.used + length > this.piece.length) {
      this.flush();
      if (length > this.piece.length) {
        this.write(Uint8Array.from(bytes));
        return;
      }
    }
    this.piece.set(bytes, this.used);
    this.used += length;
  }

  /** A number as JSON writes it (`null` if not finite). */
  number(value: number): void {
    if (Number.isInteger(value) && value >= 0 && value < LARGEST_BY_MILLIONS) this.digits(value);
    else this.text(jsonNumber(value));
  }

  /** The decimal digits of a non-negative integer below 2^31 million (every epoch-ms time). */
  private digits(value: number): void {
    this.room();
    if (value < SMALL) {
      this.used = writeInteger(this.piece, this.used, value | 0);
      return;
    }
    // Its millions and the rest, each an int32, whose arithmetic is several times cheaper.
    const millions = Math.floor(value / 1_000_000);
    this.used = writeInteger(this.piece, this.used, millions | 0);
    this.used = writePadded(this.piece, this.used, (value - millions * 1_000_000) | 0, 6);
  }

  /** A time as `isoTime` writes it (`Date#toISOString`); with `trimZeroMs`, `.000Z` is written `Z`. */
  isoTime(at: number, trimZeroMs = false): void {
    if (!(Number.isInteger(at) && at >= 0 && at < YEAR_10000_MS)) {
      const iso = isoTime(at);
      this.text(trimZeroMs && iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso);
      return;
    }
    const day = Math.floor(at / MS_PER_DAY);
    if (day !== this.lastDay) {
      let prefix = this.datePrefixes.get(day);
      if (prefix === undefined) {
        if (this.datePrefixes.size >= CACHED_DAYS) this.datePrefixes.clear();
        prefix = PieceWriter.encode(isoTime(day * MS_PER_DAY).slice(0, 11));
        this.datePrefixes.set(day, prefix);
      }
      this.lastDay = day;
      this.lastPrefix = prefix;
    }
    // The date part (11 bytes) and the time of day (at most 13) fit in the room made.
    this.room();
    const { piece, lastPrefix } = this;
    let used = this.used;
    for (let index = 0; index < lastPrefix.length; index++) {
      piece[used++] = lastPrefix[index] as number;
    }
    // The time of day, an int32.
    let rest = (at - day * MS_PER_DAY) | 0;
    const ms = rest % 1_000;
    rest = ((rest - ms) / 1_000) | 0;
    const seconds = rest % 60;
    rest = ((rest - seconds) / 60) | 0;
    const minutes = rest % 60;
    used = writeTwoDigits(piece, used, ((rest - minutes) / 60) | 0);
    piece[used++] = 0x3a; // ':'
    used = writeTwoDigits(piece, used, minutes);
    piece[used++] = 0x3a;
    used = writeTwoDigits(piece, used, seconds);
    if (!trimZeroMs || ms !== 0) {
      piece[used++] = 0x2e; // '.'
      const hundreds = (ms / 100) | 0;
      piece[used++] = ZERO + hundreds;
      used = writeTwoDigits(piece, used, ms - 100 * hundreds);
    }
    piece[used++] = 0x5a; // 'Z'
    this.used = used;
  }

  /**
   * How many bytes {@link PieceWriter.isoTime} writes for `at` (its text is ASCII), without
   * writing them: for the widths of a table's time columns.
   */
  static isoTimeLength(at: number, trimZeroMs = false): number {
    if (!(Number.isInteger(at) && at >= 0 && at < YEAR_10000_MS)) {
      const iso = isoTime(at);
      return trimZeroMs && iso.endsWith('.000Z') ? iso.length - 4 : iso.length;
    }
    return trimZeroMs && at % 1_000 === 0 ? 20 : 24;
  }

  /** `count` spaces (none when `count` is not positive). */
  spaces(count: number): void {
    if (this.used + count > this.piece.length) this.flush();
    if (count > this.piece.length) {
      this.write(Buffer.alloc(count, 0x20));
      return;
    }
    for (let index = 0; index < count; index++) this.piece[this.used + index] = 0x20;
    if (count > 0) this.used += count;
  }

  /** Hands the bytes written so far to `write`. */
  flush(): void {
    if (this.used === 0) return;
    this.write(this.piece.subarray(0, this.used));
    this.piece = Buffer.allocUnsafe(PIECE_BYTES);
    this.used = 0;
  }

  /** Makes room for {@link MOST_ASCII} bytes. */
  private room(): void {
    if (this.used + MOST_ASCII > this.piece.length) this.flush();
  }
}

/** Writes the digits of a non-negative int32 at `at`; returns the end. */
function writeInteger(piece: Buffer, at: number, value: number): number {
  let length = 1;
  for (let rest = value; rest >= 10; rest = (rest / 10) | 0) length++;
  return writePadded(piece, at, value, length);
}

/** Writes a number below 100 as two digits at `at`; returns the end. */
function writeTwoDigits(piece: Buffer, at: number, value: number): number {
  const tens = (value / 10) | 0;
  piece[at] = ZERO + tens;
  piece[at + 1] = ZERO + value - 10 * tens;
  return at + 2;
}

/** Writes the last `length` digits of a non-negative int32, zero-padded, at `at`; returns the end. */
function writePadded(piece: Buffer, at: number, value: number, length: number): number {
  let rest = value;
  for (let index = at + length - 1; index >= at; index--) {
    const next = (rest / 10) | 0;
    piece[index] = ZERO + rest - 10 * next;
    rest = next;
  }
  return at + length;
}
