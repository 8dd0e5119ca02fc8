import { MONITOR_INPUT_KINDS, type MonitorInput } from 'uet-tag-status';

/** One complete line of a byte stream. */
export interface InputLine {
  /** The line's text, without its line break. */
  readonly text: string;
  /** Its 1-based number in the stream. */
  readonly number: number;
  /** The byte offset just after it (and its line break): where reading resumes. */
  readonly endOffset: number;
}

/**
 * Splits a byte stream into lines (`\n` or `\r\n`), keeping an incomplete last line
 * until the rest arrives, and numbering lines and bytes from where reading started.
 *
 * @example
 * ```ts
 * const lines = new LineSplitter();
 * lines.push(Buffer.from('{"kind":"registerTag","tagId":"a"}\n{"ki'));
 * // [{ text: '{"kind":"registerTag","tagId":"a"}', number: 1, endOffset: 35 }]
 * ```
 */
export class LineSplitter {
  private pending = Buffer.alloc(0);
  private offset: number;
  private line: number;

  /**
   * @param startOffset - the byte offset of the first byte pushed.
   * @param startLine - how many lines came before it.
   */
  constructor(startOffset = 0, startLine = 0) {
    this.offset = startOffset;
    this.line = startLine;
  }

  /** The complete lines that `chunk` finishes. */
  push(chunk: Uint8Array): InputLine[] {
    const data =
      this.pending.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.pending, chunk]);
    const lines: InputLine[] = [];
    let start = 0;
    for (let end = data.indexOf(10); end >= 0; end = data.indexOf(10, start)) {
      lines.push(this.take(data, start, end, end + 1));
      start = end + 1;
    }
    this.pending = data.subarray(start);
    return lines;
  }

  /** The last line, when the stream ended without a line break after it. */
  end(): InputLine[] {
    if (this.pending.length === 0) return [];
    const data = this.pending;
    this.pending = Buffer.alloc(0);
    return [this.take(data, 0, data.length, data.length)];
  }

  private take(data: Buffer, start: number, end: number, next: number): InputLine {
    const stop = end > start && data[end - 1] === 13 ? end - 1 : end;
    this.line += 1;
    this.offset += next - start;
    return { text: data.toString('utf8', start, stop), number: this.line, endOffset: this.offset };
  }
}

/**
 * Reads one NDJSON line as a monitor input: a JSON object with a `kind` the monitor
 * knows. Its fields are checked by the monitor itself (typed errors, SPEC D4).
 *
 * @example
 * ```ts
 * parseInputLine('{"kind":"activity","tagId":"a","at":1735689600000}');
 * ```
 * @returns the input, or a message saying why the line is not one.
 */
export function parseInputLine(text: string): MonitorInput | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return `not JSON (${(error as Error).message})`;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return 'not a JSON object';
  }
  const { kind } = value as { kind?: unknown };
  if (!MONITOR_INPUT_KINDS.includes(kind as MonitorInput['kind'])) {
    return `kind ${JSON.stringify(kind)} is not one of ${MONITOR_INPUT_KINDS.join(', ')}`;
  }
  return value as MonitorInput;
}
