import { isUetTagTrackingStatus, UetTagTrackingStatus } from 'uet-tag-status';
import { ServiceHttpError } from '../ServiceHttpError.js';

/** A request's query string, parsed. */
export type Query = Record<string, unknown>;

/** A `status` filter: one of `all`, or none. */
export function optionalStatus<S extends string>(
  value: unknown,
  isStatus: (value: unknown) => value is S,
  all: readonly string[],
): S | undefined {
  if (value === undefined) return undefined;
  if (isStatus(value)) return value;
  throw new ServiceHttpError(
    400,
    'invalidField',
    `expected one of ${all.join(', ')}`,
    'status',
    value,
  );
}

/** A text parameter of at most 256 characters, or none. */
export function optionalText(value: unknown, field: string): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value === 'string' && value.length <= 256) return value;
  throw new ServiceHttpError(
    400,
    'invalidField',
    'expected one text of at most 256 characters',
    field,
    value,
  );
}

/** An integer parameter from `min` to `max`, `fallback` when left out. */
export function integerParameter(
  value: unknown,
  field: string,
  min: number,
  max: number,
  fallback: number,
): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (typeof value === 'string' && /^\d{1,16}$/.test(value) && parsed >= min && parsed <= max)
    return parsed;
  throw new ServiceHttpError(
    400,
    'invalidField',
    `expected an integer from ${min} to ${max}`,
    field,
    value,
  );
}

/** What `GET /tags` asks for: a status filter, an id search, and a page. */
export interface TagListQuery {
  readonly status: UetTagTrackingStatus | undefined;
  readonly search: string | undefined;
  readonly limit: number;
  readonly offset: number;
}

/**
 * Reads the parameters of `GET /tags` (`status`, `q`, `limit` 1–10,000 (100),
 * `offset`), for the single node and a cluster's front node alike.
 *
 * @throws `ServiceHttpError` (400) naming the bad parameter and its value.
 */
export function tagListQuery(query: Query): TagListQuery {
  return {
    status: optionalStatus(
      query.status,
      isUetTagTrackingStatus,
      Object.values(UetTagTrackingStatus),
    ),
    search: optionalText(query.q, 'q'),
    limit: integerParameter(query.limit, 'limit', 1, 10_000, 100),
    offset: integerParameter(query.offset, 'offset', 0, Number.MAX_SAFE_INTEGER, 0),
  };
}
