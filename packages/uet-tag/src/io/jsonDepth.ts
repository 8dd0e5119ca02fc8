/**
 * How deeply arrays and objects may nest in a JSON document this tool reads: 64 levels, far
 * more than any input record, Conversions API body, Microsoft Advertising response or
 * scenario needs (they nest 6 at most), and few enough that every later step (validation,
 * messages, writing back) stays well within the call stack.
 */
export const MAX_JSON_DEPTH = 64;

/** An array or object nested deeper than allowed: its JSON path and the value found there. */
export interface TooDeep {
  readonly path: string;
  readonly value: unknown;
}

/**
 * Where a parsed JSON value nests deeper than `maxDepth`: the JSON path of the first array
 * or object beyond it (`document.a[0].b`) and that value, or `undefined` when the value is
 * within bounds.
 * It walks the value without recursion, so any depth is measured safely.
 *
 * @example
 * ```ts
 * tooDeepAt(JSON.parse('[[[1]]]'), 'body', 2)?.path; // 'body[0][0]'
 * tooDeepAt({ a: 1 }, 'body'); // undefined
 * ```
 */
export function tooDeepAt(
  value: unknown,
  rootName: string,
  maxDepth = MAX_JSON_DEPTH,
): TooDeep | undefined {
  // Almost every value is within bounds: measured first without a path per value.
  return nestsDeeperThan(value, maxDepth) ? firstTooDeep(value, rootName, maxDepth) : undefined;
}

/**
 * Whether the JSON text `text` could nest arrays and objects deeper than `levels`: it has
 * more than `levels` opening brackets (`{` or `[`, in strings too). When it has no more,
 * no value parsed from it can lie deeper, and {@link tooDeepAt} need not walk it.
 *
 * @example
 * ```ts
 * mayNestDeeperThan('{"data":[{"a":1}]}', 2); // true: three opening brackets
 * mayNestDeeperThan('{"data":[]}', 64); // false
 * ```
 */
export function mayNestDeeperThan(text: string, levels = MAX_JSON_DEPTH): boolean {
  let brackets = 0;
  for (let at = text.indexOf('{'); at >= 0; at = text.indexOf('{', at + 1)) {
    if (++brackets > levels) return true;
  }
  for (let at = text.indexOf('['); at >= 0; at = text.indexOf('[', at + 1)) {
    if (++brackets > levels) return true;
  }
  return false;
}

/**
 * Whether an array or object of `value` lies deeper than `levels` (the root at depth 1). It
 * recurses at most `levels + 1` calls deep, whatever the depth of the value.
 */
function nestsDeeperThan(value: unknown, levels: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (levels === 0) return true;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      if (nestsDeeperThan(value[index], levels - 1)) return true;
    }
    return false;
  }
  for (const key in value) {
    if (
      Object.hasOwn(value, key) &&
      nestsDeeperThan((value as Record<string, unknown>)[key], levels - 1)
    ) {
      return true;
    }
  }
  return false;
}

/** The first array or object beyond `maxDepth`, in document order, with its path. */
function firstTooDeep(value: unknown, rootName: string, maxDepth: number): TooDeep | undefined {
  const stack: { value: unknown; depth: number; path: string }[] = [
    { value, depth: 0, path: rootName },
  ];
  for (let entry = stack.pop(); entry !== undefined; entry = stack.pop()) {
    if (typeof entry.value !== 'object' || entry.value === null) continue;
    const depth = entry.depth + 1;
    if (depth > maxDepth) return { path: entry.path, value: entry.value };
    if (Array.isArray(entry.value)) {
      for (let index = entry.value.length - 1; index >= 0; index--) {
        const item: unknown = entry.value[index];
        if (typeof item === 'object' && item !== null) {
          stack.push({ value: item, depth, path: `${entry.path}[${index}]` });
        }
      }
    } else {
      for (const key of Object.keys(entry.value).reverse()) {
        const item: unknown = (entry.value as Record<string, unknown>)[key];
        if (typeof item === 'object' && item !== null) {
          stack.push({ value: item, depth, path: `${entry.path}.${key}` });
        }
      }
    }
  }
  return undefined;
}

/** What a message says a too-deep value should be. */
export const DEPTH_EXPECTED = `arrays and objects nested at most ${MAX_JSON_DEPTH} deep`;
