import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createAccessLogParser, isAccessLogLine } from './accessLogFormat.js';
import { createCsvParser } from './csvFormat.js';
import { createNdjsonParser } from './ndjsonFormat.js';
import { ReplayError } from './ReplayError.js';
import type { LineParser } from './replayRecord.js';
import type { RequestFilterOptions } from './requestFilter.js';
import { createTsvAccessLogParser } from './tsvAccessLogFormat.js';

/**
 * The formats `replay` reads:
 * - `ndjson`: one JSON object per line (activities, conversions, access changes);
 * - `csv`: the same fields as columns, with a header;
 * - `clf`: web server access logs in Common or Combined Log Format;
 * - `tsv`: tab-separated access logs with a header (`time` in epoch seconds, `url`, `response`).
 */
export type ReplayFormat = 'ndjson' | 'csv' | 'clf' | 'tsv';

/**
 * Every {@link ReplayFormat}, for option parsing.
 *
 * @example
 * ```ts
 * REPLAY_FORMATS.includes('clf'); // true
 * ```
 */
export const REPLAY_FORMATS: readonly ReplayFormat[] = ['ndjson', 'csv', 'clf', 'tsv'];

/**
 * Picks a file's format: from its extension (`.ndjson`, `.jsonl`, `.csv`, `.tsv`), else
 * from its first non-blank line (a JSON object, a Common/Combined Log Format line, a
 * tab-separated header with `time`, or a comma-separated header with `tagId`).
 *
 * @example
 * ```ts
 * await detectReplayFormat('../shared/realdata/elastic_apache_logs'); // 'clf'
 * ```
 * @throws {@link ReplayError} when the file cannot be read or no format fits.
 */
export async function detectReplayFormat(path: string): Promise<ReplayFormat> {
  if (/\.(ndjson|jsonl)$/i.test(path)) return 'ndjson';
  if (/\.csv$/i.test(path)) return 'csv';
  if (/\.tsv$/i.test(path)) return 'tsv';
  const line = await firstNonBlankLine(path);
  if (line.trimStart().startsWith('{')) return 'ndjson';
  if (isAccessLogLine(line)) return 'clf';
  if (line.includes('\t') && line.split('\t').includes('time')) return 'tsv';
  if (line.split(',').some((column) => column.trim() === 'tagId')) return 'csv';
  throw new ReplayError(
    path,
    `cannot tell the format from the first line ${JSON.stringify(line.slice(0, 80))}; give --format (${REPLAY_FORMATS.join(', ')})`,
  );
}

/**
 * The line parser of a format. Access log formats (`clf`, `tsv`) turn requests into one
 * tag's activity through `filter`; `ndjson` and `csv` records name their own tags.
 *
 * @example
 * ```ts
 * const parser = createLineParser('clf', { tagId: 'site' }, 'access.log');
 * ```
 */
export function createLineParser(
  format: ReplayFormat,
  filter: RequestFilterOptions,
  source: string,
): LineParser {
  switch (format) {
    case 'ndjson':
      return createNdjsonParser();
    case 'csv':
      return createCsvParser(source);
    case 'clf':
      return createAccessLogParser(filter);
    case 'tsv':
      return createTsvAccessLogParser(filter, source);
  }
}

async function firstNonBlankLine(path: string): Promise<string> {
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 64 * 1024 });
  const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  try {
    for await (const line of lines) if (line.trim() !== '') return line;
    return '';
  } catch (error) {
    throw new ReplayError(
      path,
      `cannot be read (${(error as NodeJS.ErrnoException).code ?? error})`,
    );
  } finally {
    lines.close();
    stream.destroy();
  }
}
