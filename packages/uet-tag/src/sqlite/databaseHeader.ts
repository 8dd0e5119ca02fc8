import fs from 'node:fs';
import { APPLICATION_ID, SCHEMA_VERSION } from './schema.js';
import { refusal } from './storeErrors.js';

/** The first 100 bytes of every SQLite database file. */
export const HEADER_BYTES = 100;
const MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
/** The highest schema format number (offset 44) SQLite reads. */
const MAX_SCHEMA_FORMAT = 4;
/** The text encoding (offset 56) of a monitor's file; 0 in a database with no text yet. */
const UTF8 = 1;

/** What a database header says about its file. */
export type HeaderVerdict =
  /** A monitor's store of a schema this version reads. */
  | 'monitorStore'
  /** A database with no application id and no schema version: empty, or another program's. */
  | 'unlabelled';

/**
 * Reads the first {@link HEADER_BYTES} bytes of a file with the file system (fewer when it
 * is shorter), before SQLite opens anything.
 *
 * @example
 * ```ts
 * const header = readHeaderBytes('/data/tags.db');
 * ```
 */
export function readHeaderBytes(file: string): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  const descriptor = fs.openSync(file, 'r');
  try {
    const read = fs.readSync(descriptor, header, 0, HEADER_BYTES, 0);
    return header.subarray(0, read);
  } finally {
    fs.closeSync(descriptor);
  }
}

/**
 * Checks a database header, the bytes SQLite reads first (https://sqlite.org/fileformat.html):
 * the magic string, the page size, the format bytes, the schema format, the text encoding
 * (UTF-8), `user_version` (offset 60) and `application_id` (offset 68). Given `fileBytes`, the size of a file that holds the whole
 * database (no WAL beside it), it also checks the size is the page count the header states.
 * Another program's database (`notMonitorStore`), a newer schema (`newerSchema`) and
 * anything else wrong (`corrupt`) are refused.
 *
 * @example
 * ```ts
 * checkHeader(readHeaderBytes(file), file, fs.statSync(file).size); // 'monitorStore'
 * ```
 * @throws {@link MonitorStoreError} `corrupt`, `notMonitorStore` or `newerSchema`.
 */
export function checkHeader(
  header: Buffer,
  description: string,
  fileBytes: number | undefined,
): HeaderVerdict {
  if (header.length < HEADER_BYTES || !header.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw damaged(description, 'it does not start with the SQLite header');
  }
  const pageSize = pageSizeOf(header);
  if (pageSize === undefined) {
    throw damaged(
      description,
      `its header gives an impossible page size ${header.readUInt16BE(16)}`,
    );
  }
  if (!isFormatByte(header[18]) || !isFormatByte(header[19])) {
    throw damaged(description, 'its header names an unknown file format');
  }
  if (header[21] !== 64 || header[22] !== 32 || header[23] !== 32) {
    throw damaged(description, 'its header holds impossible payload fractions');
  }
  if (header.readUInt32BE(44) > MAX_SCHEMA_FORMAT) {
    throw damaged(
      description,
      `its header names an unknown schema format ${header.readUInt32BE(44)}`,
    );
  }
  if (fileBytes !== undefined) checkSize(header, pageSize, fileBytes, description);
  const encoding = header.readUInt32BE(56);
  const version = header.readInt32BE(60);
  const applicationId = header.readInt32BE(68);
  if (applicationId === 0 && version === 0) {
    if (encoding > UTF8) throw damaged(description, `its text encoding ${encoding} is not UTF-8`);
    return 'unlabelled';
  }
  if (applicationId !== APPLICATION_ID) {
    throw refusal(
      'notMonitorStore',
      description,
      `is a SQLite database of another program (application_id ${applicationId}); refusing to change it`,
    );
  }
  if (version > SCHEMA_VERSION) {
    throw refusal(
      'newerSchema',
      description,
      `was written by a newer version of uet-tag-status (schema ${version}; this version reads up to ${SCHEMA_VERSION}); upgrade the library`,
    );
  }
  if (version < 1) {
    throw refusal('corrupt', description, `has no schema version (user_version ${version})`);
  }
  if (encoding !== UTF8) throw damaged(description, `its text encoding ${encoding} is not UTF-8`);
  return 'monitorStore';
}

/** The page size at offset 16: a power of two from 512 to 32768, or 1 for 65536. */
function pageSizeOf(header: Buffer): number | undefined {
  const stored = header.readUInt16BE(16);
  const pageSize = stored === 1 ? 65_536 : stored;
  const isPowerOfTwo = (pageSize & (pageSize - 1)) === 0;
  return pageSize >= 512 && isPowerOfTwo ? pageSize : undefined;
}

/** A file format byte (offsets 18 and 19): 1 for a rollback journal, 2 for WAL. */
function isFormatByte(value: number | undefined): boolean {
  return value === 1 || value === 2;
}

/**
 * A whole database file is a whole number of pages, at least as many as the header's page
 * count (offset 28) when that count is valid (its change counter at 24 matches 92).
 */
function checkSize(header: Buffer, pageSize: number, fileBytes: number, description: string): void {
  if (fileBytes % pageSize !== 0) {
    throw damaged(
      description,
      `its ${fileBytes} bytes are not a whole number of ${pageSize}-byte pages`,
    );
  }
  const pages = header.readUInt32BE(28);
  const countIsValid = pages > 0 && header.readUInt32BE(24) === header.readUInt32BE(92);
  if (countIsValid && pages * pageSize > fileBytes) {
    throw damaged(
      description,
      `it is truncated: its header counts ${pages} pages, the file holds ${fileBytes / pageSize}`,
    );
  }
}

function damaged(description: string, problem: string) {
  return refusal('corrupt', description, `is damaged or not a database: ${problem}`);
}
