import { isBeaconTarget } from 'uet-tag-status';
import { readHarEntries } from '../hits/readHarEntries.js';
import type { OpenedInput } from '../io/openInput.js';
import { listIssues } from '../issues.js';
import { beaconOutcome } from './hitOutcomes.js';
import type { RecordSink } from './recordSink.js';

/**
 * Reads the UET hits of a HAR export (a browser's DevTools or Playwright recording),
 * streaming: every entry whose request URL is a UET beacon is a hit, dated by
 * `startedDateTime`, except one of status 0, DevTools' mark of a request that failed or
 * was blocked (by an ad blocker, say) and so reached no collector. Playwright writes -1
 * for a request whose answer it did not wait for (the page was leaving): the request was
 * sent, and counts. Other requests are left out (`filtered`). A bad entry is reported by
 * its number (1-based, with its JSON path) and costs only itself.
 *
 * @example
 * ```ts
 * const entries = await readHarHits(await openInput('session.har'), sink);
 * ```
 * @returns how many entries were read.
 * @throws `HarError` when the document cannot be read on (entries before it are given).
 */
export async function readHarHits(input: OpenedInput, sink: RecordSink): Promise<number> {
  let entries = 0;
  try {
    for await (const read of readHarEntries(input.chunks, input.description)) {
      entries++;
      if (read.kind === 'invalid') {
        sink.malformed(read.entryIndex + 1, listIssues(read.issues).join('; '), '');
        continue;
      }
      const { entry } = read;
      if (entry.status === 0 || !isBeaconTarget(entry.url)) {
        sink.filtered();
        continue;
      }
      const outcome = beaconOutcome(entry.url, entry.at);
      const text = `${entry.method} ${entry.url}`;
      if (outcome.kind === 'record') sink.record(outcome.record, entry.entryIndex + 1, text);
      else if (outcome.kind === 'malformed') {
        sink.malformed(entry.entryIndex + 1, outcome.reason, text);
      }
    }
  } finally {
    input.close();
  }
  return entries;
}
