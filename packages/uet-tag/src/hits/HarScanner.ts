import { firstJsonFault, type JsonFault, numberTokenEnd } from './firstJsonFault.js';
import { HarError } from './HarError.js';
import type { JsonKind } from './HarStructure.js';
import { type HarRecord, readHarEntry } from './harEntry.js';
import {
  article,
  isJsonSpace,
  isValueStart,
  kindOf,
  type OpenValue,
  openValueEnd,
} from './jsonCodes.js';

/** What a value just cut out of the text is for. */
enum Use {
  /** An element of `log.entries`: checked and given. */
  Entry,
  /** A key of the root, `log` or an object being followed. */
  Key,
  /** The document itself, not an object: refused by its kind. */
  Root,
  /** `log`, not an object: refused by its kind. */
  Log,
  /** `log.entries`, not an array: refused by its kind. */
  Entries,
  /** Anything else: only checked to be JSON. */
  Skip,
  /** A token where it does not belong: a fault, once it is read whole. */
  Misplaced,
}

/** An object or array of the outer structure (the root, `log`, `log.entries`) being read. */
interface Frame {
  readonly role: 'root' | 'log' | 'entries';
  /** What is expected next inside it. */
  expect: 'key-or-close' | 'key' | 'colon' | 'value' | 'value-or-close' | 'comma-or-close';
  /** The current key (objects). */
  key: string | undefined;
}

/** After this many characters, a value still open is checked for a fault (then twice as many). */
const FIRST_CHECK = 64 * 1024 * 1024;

/**
 * Reads a HAR document's text as it arrives, chunk by chunk, in memory bounded by the
 * largest entry: the outer structure (`{"log":{"entries":[...]}}`) character by character,
 * and every other value cut out whole (its strings skipped with `indexOf`, brackets
 * counted) and read with `JSON.parse`; each entry is then checked by `readHarEntry`. Only
 * where `JSON.parse` refuses a value is it read again by the grammar, to name the fault.
 *
 * @example
 * ```ts
 * const scanner = new HarScanner('session.har');
 * scanner.push('{"log":{"entries":[{"startedDateTime":"2024-03-01T09:00:00Z",');
 * scanner.push('"request":{"method":"GET","url":"https://shop.example/"},"response":{"status":200}}]}}');
 * scanner.end();
 * scanner.ready; // [{ kind: 'entry', entry: { entryIndex: 0, ... } }]
 * ```
 */
export class HarScanner {
  /** Records read and not yet taken. */
  readonly ready: HarRecord[] = [];
  /** The problem that stopped the reading, once there is one. */
  failure: HarError | undefined;
  /** The kind of the whole document, once it starts. */
  rootKind: JsonKind | undefined;
  /** The kind of `log`, once it starts. */
  logKind: JsonKind | undefined;
  /** The kind of `log.entries`, once it starts. */
  entriesKind: JsonKind | undefined;

  private entriesClosed = false;
  private documentClosed = false;
  private entries = 0;
  private readonly frames: Frame[] = [];
  private text = '';
  private at = 0;
  /** Bytes of the text before `text` (already read and dropped). */
  private dropped = 0;
  /** The value being cut out: where it starts, what it is for; -1 when none. */
  private cutStart = -1;
  private use = Use.Skip;
  /** The first character of the value being cut. */
  private cutFirst = 0;
  /** The start of a long value being cut, before `text` (which then goes on from it). */
  private held: string[] = [];
  private heldLength = 0;
  /** How far the scan of the value being cut has gone. */
  private readonly opened: OpenValue = { scan: 0, depth: 0, inString: false };
  private nextCheck = FIRST_CHECK;
  /** What was expected where a misplaced token was found. */
  private misplacedAfter: Frame['expect'] = 'value';

  constructor(private readonly source: string) {}

  /** Reads `text`, the next piece of the document. */
  push(text: string): void {
    if (this.failure !== undefined) return;
    this.text = this.at === this.text.length ? text : this.text + text;
    this.read(false);
    const keep = this.cutStart >= 0 ? this.cutStart : this.at;
    if (keep > 0) {
      this.dropped += Buffer.byteLength(this.text.slice(0, keep));
      this.text = this.text.slice(keep);
      this.at -= keep;
      this.opened.scan -= keep;
      if (this.cutStart >= 0) this.cutStart -= keep;
    }
    if (this.cutStart === 0 && this.cutFirst !== 0) this.hold();
  }

  /** Holds an open value's text aside (not copied again with each next text), but for a closing run of backslashes. */
  private hold(): void {
    const text = this.text;
    let split = text.length;
    // The value's first character is never a backslash: it stays, whatever follows.
    const least = this.held.length === 0 ? 1 : 0;
    while (split > least && text.charCodeAt(split - 1) === 92) split--;
    if (split === 0) return;
    this.held.push(text.slice(0, split));
    this.heldLength += split;
    this.text = text.slice(split);
    this.opened.scan -= split;
    this.at = 0;
  }

  /** Joins a held value's text back before `text`: the value then starts at 0 again. */
  private unhold(): number {
    if (this.held.length === 0) return 0;
    const before = this.held.join('');
    this.held = [];
    this.heldLength = 0;
    this.text = before + this.text;
    this.opened.scan += before.length;
    return before.length;
  }

  /** The document has ended: reads what is left and names what is missing. */
  end(): void {
    if (this.failure !== undefined) return;
    this.read(true);
    if (this.failure !== undefined) return;
    if (this.cutStart >= 0) {
      this.unhold();
      const fault = firstJsonFault(this.text, this.cutStart, this.text.length);
      this.syntaxFailure(fault?.found === undefined ? undefined : fault);
    } else if (this.frames.length > 0) {
      this.syntaxFailure(undefined);
    } else if (this.rootKind === undefined) {
      this.fail('document', 'empty: no JSON in the file');
    } else if (this.logKind === undefined) {
      this.fail('log', 'missing: a HAR document is {"log":{"entries":[...]}}');
    } else if (this.entriesKind === undefined) {
      this.fail('log.entries', 'missing: expected an array of entries');
    }
  }

  private read(last: boolean): void {
    while (this.failure === undefined) {
      if (this.cutStart >= 0) {
        if (!this.cut(last)) return;
        continue;
      }
      const text = this.text;
      while (this.at < text.length && isJsonSpace(text.charCodeAt(this.at))) this.at++;
      if (this.at >= text.length) return;
      const code = text.charCodeAt(this.at);
      const frame = this.frames.at(-1);
      if (frame === undefined) this.top(code);
      else if (code === 125 || code === 93) this.closing(frame, code);
      else if (frame.expect === 'comma-or-close') {
        if (code !== 44) this.misplaced(frame, code);
        else {
          frame.expect = frame.role === 'entries' ? 'value' : 'key';
          this.at++;
        }
      } else if (frame.expect === 'colon') {
        if (code !== 58) this.misplaced(frame, code);
        else {
          frame.expect = 'value';
          this.at++;
        }
      } else if (frame.expect === 'key' || frame.expect === 'key-or-close') {
        if (code === 34) this.startCut(Use.Key);
        else this.misplaced(frame, code);
      } else this.value(frame, code);
    }
  }

  /** Outside the root: the document starts, or only white space may follow it. */
  private top(code: number): void {
    if (this.documentClosed) {
      this.fail('document', 'text after the end of the JSON document');
    } else if (code === 123) {
      this.rootKind = 'object';
      this.open('root');
    } else if (code === 91) this.wrongRoot('array');
    else this.startCut(Use.Root);
  }

  /**
   * A closing bracket: the end of the frame, or a fault. A token-level reader closes the
   * frame before it refuses a bracket that does not belong, so the entries (or the
   * document) count as closed for naming where reading stopped.
   */
  private closing(frame: Frame, code: number): void {
    const wanted = frame.role === 'entries' ? 93 : 125;
    const open = frame.expect.endsWith('-or-close');
    const at = this.at;
    this.close();
    if (code !== wanted || !open) this.fault(at);
  }

  /** A value inside a frame of the outer structure. */
  private value(frame: Frame, code: number): void {
    if (frame.role === 'entries') {
      this.startCut(Use.Entry);
      return;
    }
    if (frame.role === 'root' && frame.key === 'log') {
      if (code === 123) {
        this.logKind ??= 'object';
        this.open('log');
        return;
      }
      if (this.logKind === undefined) {
        if (code === 91) {
          this.wrongLog('array');
          return;
        }
        this.startCut(Use.Log);
        return;
      }
    } else if (frame.role === 'log' && frame.key === 'entries' && this.entriesKind === undefined) {
      if (code === 91) {
        this.entriesKind = 'array';
        this.open('entries');
        return;
      }
      if (code === 123) {
        this.wrongEntries('object');
        return;
      }
      this.startCut(Use.Entries);
      return;
    }
    this.startCut(Use.Skip);
  }

  /**
   * A token where it does not belong: a fault at its start, once it is read whole (at once
   * for a bracket), as a tokenizer finds it. Where a colon belongs, a token-level reader
   * takes the value as the key's before it refuses it, so the kinds of `log` and
   * `log.entries` are learnt (and refused) as after a colon.
   */
  private misplaced(frame: Frame, code: number): void {
    if (code === 123 || code === 91) {
      if (frame.expect === 'colon') this.learnMisplaced(frame, kindOf(code));
      this.fault(this.at);
    } else if (isValueStart(code)) {
      this.misplacedAfter = frame.expect;
      this.startCut(Use.Misplaced);
    } else this.fault(this.at);
  }

  private learnMisplaced(frame: Frame, kind: JsonKind): void {
    if (frame.role === 'root' && frame.key === 'log' && this.logKind === undefined) {
      if (kind === 'object') this.logKind = kind;
      else this.wrongLog(kind);
    } else if (frame.role === 'log' && frame.key === 'entries' && this.entriesKind === undefined) {
      if (kind === 'array') this.entriesKind = kind;
      else this.wrongEntries(kind);
    }
  }

  private open(role: Frame['role']): void {
    this.frames.push({
      role,
      expect: role === 'entries' ? 'value-or-close' : 'key-or-close',
      key: undefined,
    });
    this.at++;
  }

  private close(): void {
    const closed = this.frames.pop() as Frame;
    if (closed.role === 'entries') this.entriesClosed = true;
    if (this.frames.length === 0) this.documentClosed = true;
    else (this.frames.at(-1) as Frame).expect = 'comma-or-close';
    this.at++;
  }

  private startCut(use: Use): void {
    this.cutStart = this.at;
    this.opened.scan = this.at;
    this.opened.depth = 0;
    this.opened.inString = false;
    const first = this.text.charCodeAt(this.at);
    this.cutFirst = first === 123 || first === 91 || first === 34 ? first : 0;
    this.use = use;
    this.nextCheck = FIRST_CHECK;
  }

  /** Goes on cutting out the value at `cutStart`; `true` once it is whole and used (a number may end the `last` text). */
  private cut(last: boolean): boolean {
    const text = this.text;
    const length = text.length;
    const first = this.held.length > 0 ? this.cutFirst : text.charCodeAt(this.cutStart);
    let end = -1;
    if (first === 123 || first === 91 || first === 34) {
      end = openValueEnd(text, this.opened);
      if (end < 0) return this.wait(length);
    } else {
      // A literal is its word's length and a number the longest run its grammar allows, as
      // a tokenizer cuts them (what follows is the next token).
      let i = this.cutStart;
      if (first === 116 || first === 110) i += 4;
      else if (first === 102) i += 5;
      else if (first === 45 || (first >= 48 && first <= 57)) i = numberTokenEnd(text, i, length);
      if (i >= length && !last) return this.wait(length);
      end = Math.min(i, length);
    }
    this.finishCut(end);
    return this.failure === undefined;
  }

  /** The value goes on past the text: waits, checking a very long one for a fault. */
  private wait(length: number): false {
    if (this.heldLength + length - this.cutStart >= this.nextCheck) {
      this.nextCheck *= 2;
      const to = this.unhold() + length;
      const fault = firstJsonFault(this.text, this.cutStart, to);
      if (fault?.found !== undefined) this.syntaxFailure(fault);
    }
    return false;
  }

  private finishCut(cutEnd: number): void {
    // A value held aside is joined alone: the text after it is not copied.
    const plain = this.use === Use.Entry || this.use === Use.Key || this.use === Use.Skip;
    const held = plain && this.held.length > 0 ? this.held.join('') : '';
    const end = held === '' ? cutEnd + this.unhold() : cutEnd;
    const start = this.cutStart;
    this.cutStart = -1;
    this.at = end;
    let value: unknown;
    try {
      value = JSON.parse(
        held === '' ? this.text.slice(start, end) : held + this.text.slice(0, end),
      );
      if (held !== '') {
        this.dropped += Buffer.byteLength(held);
        this.held = [];
        this.heldLength = 0;
      }
    } catch (error) {
      if (held !== '') {
        this.cutStart = start;
        this.finishCut(cutEnd + this.unhold());
        return;
      }
      const fault = firstJsonFault(this.text, start, Math.min(end + 1, this.text.length));
      if (fault === undefined) {
        this.syntaxFailure({ index: start, found: undefined }, (error as Error).message);
      } else this.syntaxFailure(fault);
      return;
    }
    const frame = this.frames.at(-1);
    if (frame !== undefined) frame.expect = 'comma-or-close';
    switch (this.use) {
      case Use.Entry:
        this.ready.push(readHarEntry(value, this.entries++));
        return;
      case Use.Key:
        (frame as Frame).key = value as string;
        (frame as Frame).expect = 'colon';
        return;
      case Use.Root:
        this.wrongRoot(kindOf(this.text.charCodeAt(start)));
        return;
      case Use.Log:
        this.wrongLog(kindOf(this.text.charCodeAt(start)));
        return;
      case Use.Entries:
        this.wrongEntries(kindOf(this.text.charCodeAt(start)));
        return;
      case Use.Misplaced:
        if (this.misplacedAfter === 'colon') {
          this.learnMisplaced(frame as Frame, kindOf(this.text.charCodeAt(start)));
        }
        this.fault(start);
        return;
      default:
        return;
    }
  }

  private wrongRoot(kind: JsonKind): void {
    this.rootKind = kind;
    this.fail('document', `${article(kind)}, not a HAR object`);
  }

  private wrongLog(kind: JsonKind): void {
    this.logKind = kind;
    this.fail('log', `${article(kind)}: expected an object`);
  }

  private wrongEntries(kind: JsonKind): void {
    this.entriesKind = kind;
    const entry = this.entries === 0 ? undefined : this.entries;
    this.fail('log.entries', `${article(kind)}: expected an array of entries`, entry);
  }

  private fault(index: number): void {
    this.syntaxFailure({ index, found: this.text.charAt(index) });
  }

  /** Where a fault (or, for `undefined` or a fault at the text's end, the end of the file) stopped the reading. */
  private syntaxFailure(fault: JsonFault | undefined, detail?: string): void {
    const truncated = fault === undefined || (fault.found === undefined && detail === undefined);
    let what = 'the file ends here (truncated?)';
    if (!truncated) {
      const byte = this.dropped + Buffer.byteLength(this.text.slice(0, fault.index));
      detail ??= `Unexpected "${fault.found}"`;
      if (this.documentClosed) {
        this.fail('document', `text after the end of the JSON document (${detail})`);
        return;
      }
      what = `not valid JSON after byte ${byte} (${detail})`;
    }
    if (this.entriesKind === 'array' && !this.entriesClosed) {
      this.fail(`log.entries[${this.entries}]`, what, this.entries);
    } else if (this.entriesKind === undefined && this.logKind === 'object') {
      this.fail('log', `${what}, before log.entries`);
    } else this.fail(this.entriesClosed ? 'log' : 'document', what);
  }

  private fail(path: string, problem: string, entryIndex?: number): void {
    this.failure ??= new HarError(this.source, path, problem, entryIndex);
  }
}
