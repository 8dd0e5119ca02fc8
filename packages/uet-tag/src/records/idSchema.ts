import { ID_EXPECTED, ID_PATTERN, isValidId, MAX_ID_LENGTH } from 'uet-tag-status/engine';
import { z } from 'zod';

/**
 * A tag or goal id in any record or file the tool reads: the library's rule (SPEC D4,
 * {@link ID_EXPECTED}), with its length and characters described for JSON Schema (whose
 * `maxLength` counts code points, as the rule does).
 *
 * @example
 * ```ts
 * idSchema.safeParse('shop\u200b').success; // false
 * ```
 */
export const idSchema = z
  .string({ error: ID_EXPECTED })
  .min(1, { error: ID_EXPECTED, abort: true })
  .refine(isValidId, { error: ID_EXPECTED })
  .meta({ description: ID_EXPECTED, maxLength: MAX_ID_LENGTH, pattern: ID_PATTERN.source });
