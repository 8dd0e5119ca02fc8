import { type ParsedTokenInfo, TokenType } from '@streamparser/json';

/**
 * The JSON kind of a value, as the structure check names it.
 *
 * @example
 * ```ts
 * structure.entriesKind === 'array';
 * ```
 */
export type JsonKind = 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null';

interface Frame {
  readonly kind: 'object' | 'array';
  /** The key this container has in its parent (`undefined` for the root or an array item). */
  readonly name: string | number | undefined;
  /** The current key, for an object. */
  key: string | undefined;
  /** Whether the next string of this object is a key. */
  expectKey: boolean;
}

/**
 * Watches the tokens of a HAR document for its outer structure, `{"log":{"entries":[...]}}`,
 * without building anything: the kinds of the root, of `log` and of `log.entries`, and
 * whether the reader is inside the entries. Only the three outer levels are followed,
 * so the cost per token stays a few comparisons.
 *
 * @example
 * ```ts
 * const structure = new HarStructure();
 * parser.onToken = (token) => structure.push(token);
 * // later: structure.entriesKind === 'array'
 * ```
 */
export class HarStructure {
  /** The kind of the whole document, once it starts. */
  rootKind: JsonKind | undefined;
  /** The kind of `log`, once it starts. */
  logKind: JsonKind | undefined;
  /** The kind of `log.entries`, once it starts. */
  entriesKind: JsonKind | undefined;
  /** Whether the entries array has been closed. */
  entriesClosed = false;
  /** Whether the document's outer object or array has been closed. */
  documentClosed = false;
  /** The byte offset of the last token seen. */
  offset = 0;
  /** Set when a kind above is learnt; the reader clears it once it has looked. */
  changed = false;

  private depth = 0;
  private readonly frames: Frame[] = [];

  /** Whether the reader is inside the entries array now. */
  get insideEntries(): boolean {
    return this.entriesKind === 'array' && !this.entriesClosed;
  }

  /** Takes one token, in document order. */
  push({ token, value, offset }: ParsedTokenInfo): void {
    this.offset = offset;
    switch (token) {
      case TokenType.LEFT_BRACE:
      case TokenType.LEFT_BRACKET: {
        const kind = token === TokenType.LEFT_BRACE ? 'object' : 'array';
        if (this.depth < 3) {
          this.valueStarts(kind);
          const parent = this.frames[this.depth - 1];
          this.frames.push({
            kind,
            name: parent?.kind === 'object' ? parent.key : undefined,
            key: undefined,
            expectKey: kind === 'object',
          });
        }
        this.depth++;
        return;
      }
      case TokenType.RIGHT_BRACE:
      case TokenType.RIGHT_BRACKET:
        this.depth--;
        if (this.depth === 0) this.documentClosed = true;
        if (this.depth < 3) {
          const closed = this.frames.pop();
          if (this.depth === 2 && closed?.name === 'entries' && this.isLog(this.frames[1])) {
            this.entriesClosed = true;
          }
        }
        return;
      case TokenType.STRING: {
        if (this.depth > 3) return;
        const top = this.frames[this.depth - 1];
        if (top?.kind === 'object' && top.expectKey) {
          top.key = value as string;
          top.expectKey = false;
          return;
        }
        this.valueStarts('string');
        return;
      }
      case TokenType.COMMA: {
        const top = this.depth <= 3 ? this.frames[this.depth - 1] : undefined;
        if (top?.kind === 'object') top.expectKey = true;
        return;
      }
      case TokenType.NUMBER:
        if (this.depth <= 3) this.valueStarts('number');
        return;
      case TokenType.TRUE:
      case TokenType.FALSE:
        if (this.depth <= 3) this.valueStarts('boolean');
        return;
      case TokenType.NULL:
        if (this.depth <= 3) this.valueStarts('null');
        return;
      default:
        return;
    }
  }

  /** A value of `kind` starts at the current depth. */
  private valueStarts(kind: JsonKind): void {
    if (this.depth === 0) {
      if (this.rootKind === undefined) this.learn('rootKind', kind);
      return;
    }
    const parent = this.frames[this.depth - 1];
    if (parent?.kind !== 'object') return;
    if (this.depth === 1 && parent.key === 'log') {
      if (this.logKind === undefined) this.learn('logKind', kind);
    } else if (this.depth === 2 && parent.key === 'entries' && this.isLog(parent)) {
      if (this.entriesKind === undefined) this.learn('entriesKind', kind);
    }
  }

  private learn(field: 'rootKind' | 'logKind' | 'entriesKind', kind: JsonKind): void {
    this[field] = kind;
    this.changed = true;
  }

  private isLog(frame: Frame | undefined): boolean {
    return frame?.kind === 'object' && frame.name === 'log' && this.frames[0]?.kind === 'object';
  }
}
