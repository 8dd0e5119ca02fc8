import type { InputRecord } from '../records/inputRecord.js';

/** Where `readRecords` hands what it reads, line by line, in order. */
export interface RecordSink {
  /** A record read from line `lineNumber`. */
  record(record: InputRecord, lineNumber: number, text: string): void;
  /** A request the access log filters left out. */
  filtered(): void;
  /** A line that is not a record, and why. */
  malformed(lineNumber: number, reason: string, text: string): void;
}
