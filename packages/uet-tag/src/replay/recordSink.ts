import type { InputRecord } from '../records/inputRecord.js';

/** Where `readRecords` hands what it reads, line by line, in order. */
export interface RecordSink {
  /** A record read from line `lineNumber`. */
  record(record: InputRecord, lineNumber: number, text: string): void;
  /** A request the access log filters left out. */
  filtered(): void;
  /** A line that is not a record, and why. */
  malformed(lineNumber: number, reason: string, text: string): void;
  /**
   * The activity record `{ kind: 'activity', tagId, at }` of line `lineNumber`, told
   * without the record object (see `ActivitySink`); without this method, such records come
   * to {@link RecordSink.record}.
   */
  activity?(tagId: string, at: number, lineNumber: number, text: string): void;
}
