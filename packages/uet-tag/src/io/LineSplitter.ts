import { isAscii, isUtf8 } from 'node:buffer';

/**
 * The longest line read by default: 1 MiB. A longer line is reported as a problem and
 * skipped without being held in memory, so that one endless line (`/dev/zero`) cannot
 * exhaust memory.
 */
export const DEFAULT_MAX_LINE_BYTES = 1 << 20;

/** Receives one complete line: its text, its 1-based number, the byte offset just after it. */
export type LineHandler = (text: string, number: number, endOffset: number) => void;

/** A line that cannot be read as text. */
export interface LineProblem {
  /** `tooLong`: more bytes than the limit; `invalidUtf8`: not well-formed UTF-8. */
  readonly kind: 'tooLong' | 'invalidUtf8';
  /** The line's 1-based number. */
  readonly number: number;
  /** The byte offset just after the line and its line break. */
  readonly endOffset: number;
  /** How many bytes the line had, line break excluded. */
  readonly bytes: number;
  /** The line's first bytes as text (invalid sequences shown as U+FFFD), for messages. */
  readonly prefix: string;
  /** A message naming the line and what is wrong. */
  readonly message: string;
}

/** Options of {@link LineSplitter}. */
export interface LineSplitterOptions {
  /**
   * The longest line, in bytes.
   * @default DEFAULT_MAX_LINE_BYTES (1 MiB)
   */
  readonly maxLineBytes?: number;
  /** The byte offset of the first byte pushed (where reading resumed). */
  readonly startOffset?: number;
  /** How many lines came before the first byte pushed. */
  readonly startLine?: number;
}

const NEWLINE = 10;
const CARRIAGE_RETURN = 13;
const PREFIX_BYTES = 200;

/**
 * Splits a byte stream into lines (`\n` or `\r\n`) in time linear in its size: each
 * chunk is searched for line breaks once, and a line that spans chunks is joined only once
 * it is complete. Lines are decoded as UTF-8, strictly: a line that is not well-formed
 * UTF-8 is reported, never silently repaired (two different byte strings must not read as
 * the same id). Lines and bytes are numbered from where reading started.
 *
 * @example
 * ```ts
 * const lines = new LineSplitter((text, number) => console.log(number, text), (problem) => console.error(problem.message));
 * lines.push(Buffer.from('{"kind":"registerTag","tagId":"a"}\n{"ki'));
 * lines.end();
 * ```
 */
export class LineSplitter {
  private readonly maxLineBytes: number;
  private parts: Buffer[] = [];
  private partBytes = 0;
  /** Whether the current line passed the limit: its bytes are counted, not kept. */
  private overlong = false;
  private overlongPrefix = '';
  private offset: number;
  private line: number;

  constructor(
    private readonly onLine: LineHandler,
    private readonly onProblem: (problem: LineProblem) => void,
    options: LineSplitterOptions = {},
  ) {
    this.maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    this.offset = options.startOffset ?? 0;
    this.line = options.startLine ?? 0;
  }

  /** How many lines were completed so far (counting those before the start). */
  get lines(): number {
    return this.line;
  }

  /** The byte offset just after the last complete line. */
  get endOffset(): number {
    return this.offset;
  }

  /** Splits a chunk: every line it completes is handed on, in order. */
  push(chunk: Buffer): void {
    // An ASCII chunk (most logs) is decoded once; its lines are slices of that text.
    const text = isAscii(chunk) ? chunk.toString('latin1') : undefined;
    if (text !== undefined) {
      this.pushAscii(chunk, text);
      return;
    }
    const wellFormed = isUtf8(chunk);
    let start = 0;
    for (let end = chunk.indexOf(NEWLINE, start); end >= 0; end = chunk.indexOf(NEWLINE, start)) {
      this.complete(chunk, start, end, end + 1 - start, wellFormed);
      start = end + 1;
    }
    if (start < chunk.length) this.keep(chunk, start);
  }

  /**
   * {@link LineSplitter.push} for an ASCII chunk, `text` its decoding: one character per
   * byte, so line breaks are searched in the text (a string search, not a call per line
   * into the buffer's native code) and offsets are the same.
   */
  private pushAscii(chunk: Buffer, text: string): void {
    let start = 0;
    for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
      if (this.partBytes === 0 && !this.overlong) this.completeAscii(text, start, end);
      else this.complete(chunk, start, end, end + 1 - start, true);
      start = end + 1;
    }
    if (start < chunk.length) this.keep(chunk, start);
  }

  /** {@link LineSplitter.complete} for a line wholly within an ASCII chunk's `text`. */
  private completeAscii(text: string, start: number, end: number): void {
    this.line += 1;
    const lineBytes = end - start;
    this.offset += lineBytes + 1;
    if (lineBytes > this.maxLineBytes) {
      this.report('tooLong', lineBytes, text.slice(start, start + PREFIX_BYTES));
      return;
    }
    const to = end > start && text.charCodeAt(end - 1) === CARRIAGE_RETURN ? end - 1 : end;
    this.onLine(text.slice(start, to), this.line, this.offset);
  }

  /** Hands on the last line when the stream ended without a line break after it. */
  end(): void {
    if (this.partBytes === 0 && !this.overlong) return;
    this.complete(Buffer.alloc(0), 0, 0, 0, true);
  }

  /**
   * Completes the line that ends at `chunk[end]` (exclusive), after any kept parts;
   * `consumed` is how many bytes of this chunk it took, its line break included.
   */
  private complete(
    chunk: Buffer,
    start: number,
    end: number,
    consumed: number,
    chunkWellFormed: boolean,
  ): void {
    this.line += 1;
    const lineBytes = this.partBytes + (end - start);
    this.offset += this.partBytes + consumed;
    if (this.overlong || lineBytes > this.maxLineBytes) {
      const prefix = this.overlong ? this.overlongPrefix : prefixOf(chunk, start, end);
      this.reset();
      this.report('tooLong', lineBytes, prefix);
      return;
    }
    let bytes = chunk;
    let from = start;
    let to = end;
    let wellFormed = chunkWellFormed;
    if (this.partBytes > 0) {
      bytes = Buffer.concat([...this.parts, chunk.subarray(start, end)], lineBytes);
      from = 0;
      to = lineBytes;
      wellFormed = false;
      this.reset();
    }
    if (to > from && bytes[to - 1] === CARRIAGE_RETURN) to -= 1;
    if (!wellFormed && !isUtf8(bytes.subarray(from, to))) {
      this.report('invalidUtf8', lineBytes, prefixOf(bytes, from, to));
      return;
    }
    this.onLine(bytes.toString('utf8', from, to), this.line, this.offset);
  }

  /** Keeps the start of a line that the next chunk continues, or only counts it once too long. */
  private keep(chunk: Buffer, start: number): void {
    const bytes = chunk.length - start;
    if (!this.overlong && this.partBytes + bytes > this.maxLineBytes) {
      const head = this.parts.length > 0 ? Buffer.concat(this.parts) : chunk.subarray(start);
      this.overlongPrefix = prefixOf(head, 0, head.length);
      this.overlong = true;
      this.parts = [];
    }
    this.partBytes += bytes;
    if (!this.overlong) this.parts.push(chunk.subarray(start));
  }

  private reset(): void {
    this.parts = [];
    this.partBytes = 0;
    this.overlong = false;
    this.overlongPrefix = '';
  }

  private report(kind: LineProblem['kind'], bytes: number, prefix: string): void {
    const message =
      kind === 'tooLong'
        ? `line ${this.line}: longer than ${this.maxLineBytes} bytes (${bytes}); skipped`
        : `line ${this.line}: not well-formed UTF-8; skipped`;
    this.onProblem({ kind, number: this.line, endOffset: this.offset, bytes, prefix, message });
  }
}

/** The first bytes of `bytes[start, end)` as text, for messages. */
function prefixOf(bytes: Buffer, start: number, end: number): string {
  return bytes.toString('utf8', start, Math.min(end, start + PREFIX_BYTES));
}
