import { createAccessLogParser, isAccessLogLine } from './accessLogFormat.js';
import { createCapiParser, isCapiLine } from './capiFormat.js';
import { createCsvParser } from './csvFormat.js';
import { createNdjsonParser } from './ndjsonFormat.js';
import type { LineParser } from './replayRecord.js';
import type { RequestFilterOptions } from './requestFilter.js';
import { createTsvAccessLogParser } from './tsvAccessLogFormat.js';

/**
 * The formats `replay` reads:
 * - `ndjson`: one JSON object per line: input records, or a collector's beacon log
 *   `{"url", "at"}`;
 * - `csv`: the same fields as columns, with a header;
 * - `clf`: web server access logs in Common or Combined Log Format (a request whose
 *   target is a UET beacon is that beacon's hit);
 * - `tsv`: tab-separated access logs with a header (`time` in epoch seconds, `url`, `response`);
 * - `har`: a browser's HAR export: every entry whose request is a UET beacon is a hit;
 * - `capi`: Conversions API request bodies, one per line, posted to the tag `--tag-id`.
 */
export type ReplayFormat = 'ndjson' | 'csv' | 'clf' | 'tsv' | 'har' | 'capi';

/**
 * Every {@link ReplayFormat}, for option parsing.
 *
 * @example
 * ```ts
 * REPLAY_FORMATS.includes('clf'); // true
 * ```
 */
export const REPLAY_FORMATS: readonly ReplayFormat[] = [
  'ndjson',
  'csv',
  'clf',
  'tsv',
  'har',
  'capi',
];

/**
 * Picks a file's format: `har` from its name's extension, `capi` from a first line that
 * is a request body (`{"data":…`), else from its name's extension (`.ndjson`, `.jsonl`,
 * `.csv`, `.tsv`, also before a `.gz`), else from its first non-blank line (a JSON object, a
 * Common/Combined Log Format line, a tab-separated header with `time`, or a
 * comma-separated header with `tagId`). Returns `undefined` when no format fits.
 *
 * @example
 * ```ts
 * detectReplayFormat('access.log', '1.2.3.4 - - [01/Aug/1995:00:00:01 -0400] "GET / HTTP/1.0" 200 1839'); // 'clf'
 * detectReplayFormat('hits.ndjson.gz', ''); // 'ndjson'
 * ```
 */
export function detectReplayFormat(name: string, firstLine: string): ReplayFormat | undefined {
  const plain = name.replace(/\.gz$/i, '');
  if (/\.har$/i.test(plain)) return 'har';
  if (isCapiLine(firstLine)) return 'capi';
  if (/\.(ndjson|jsonl)$/i.test(plain)) return 'ndjson';
  if (/\.csv$/i.test(plain)) return 'csv';
  if (/\.tsv$/i.test(plain)) return 'tsv';
  if (firstLine.trimStart().startsWith('{')) return 'ndjson';
  if (isAccessLogLine(firstLine)) return 'clf';
  if (firstLine.includes('\t') && firstLine.split('\t').includes('time')) return 'tsv';
  if (firstLine.split(',').some((column) => column.trim() === 'tagId')) return 'csv';
  return undefined;
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
    case 'capi':
      return createCapiParser({ tagId: filter.tagId });
    case 'har':
      throw new Error('internal: HAR files are read whole (readHarHits), not line by line');
  }
}
