import { InvalidArgumentError } from 'commander';

/**
 * Checks a `--db` argument that must name a PostgreSQL database.
 *
 * @example
 * ```ts
 * postgresUrl('postgresql://postgres@127.0.0.1:5432/test'); // the same URL
 * ```
 * @throws InvalidArgumentError for anything but a postgres:// or postgresql:// URL.
 */
export function postgresUrl(value: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'postgresql:' && url.protocol !== 'postgres:')) {
    throw new InvalidArgumentError(`${value} is not a postgresql:// URL`);
  }
  return value;
}
