/**
 * Hits recorded outside a collector: HAR files exported by a browser, streamed entry by
 * entry in constant memory.
 *
 * @packageDocumentation
 */

export { HarError } from './HarError.js';
export type { JsonKind } from './HarStructure.js';
export { HarStructure } from './HarStructure.js';
export type { HarEntry, HarIssue, HarRecord } from './harEntry.js';
export { parseHarTime, readHarEntry } from './harEntry.js';
export { readHarEntries, readHarFile } from './readHarEntries.js';
