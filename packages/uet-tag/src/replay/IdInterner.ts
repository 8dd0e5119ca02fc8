import { isValidId } from 'uet-tag-status/engine';

const QUOTE = 34;

/**
 * Reads valid ids from cells of lines without slicing a new string each time: the id
 * of `line[start, end)` is looked up by a hash of its characters in a table of ids read
 * before (one per slot, the latest kept), so that a file naming the same thousand tags
 * again and again gives the same thousand strings, each checked once with `isValidId`
 * (and maps keyed by them find them by their hash, computed once). An id holding a double
 * quote is never given: a CSV cell with one takes the full reading.
 *
 * @example
 * ```ts
 * const ids = new IdInterner();
 * ids.read('1,shop,activity', 2, 6); // 'shop'
 * ids.read('1,two words,activity', 2, 11); // undefined: not a valid id
 * ```
 */
export class IdInterner {
  private readonly ids: (string | undefined)[];
  private readonly mask: number;

  /** @param slots - the table's size, a power of two: several times the tags of a large replay. */
  constructor(slots = 16_384) {
    if (!(slots > 0 && (slots & (slots - 1)) === 0)) {
      throw new RangeError(`slots: ${slots} is not a power of two`);
    }
    this.ids = new Array(slots).fill(undefined);
    this.mask = slots - 1;
  }

  /** The valid id `line[start, end)` without a double quote, or `undefined`. */
  read(line: string, start: number, end: number): string | undefined {
    let hash = 0;
    for (let index = start; index < end; index++) {
      const code = line.charCodeAt(index);
      if (code === QUOTE) return undefined;
      hash = (Math.imul(hash, 31) + code) | 0;
    }
    const slot = hash & this.mask;
    const known = this.ids[slot];
    if (known !== undefined && known.length === end - start && line.startsWith(known, start)) {
      return known;
    }
    const id = line.slice(start, end);
    if (!isValidId(id)) return undefined;
    this.ids[slot] = id;
    return id;
  }
}
