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
