import { ReplayError } from './ReplayError.js';
import { type RecordFields, recordFromFields } from './recordFields.js';
import { BLANK, type LineParser, malformed } from './replayRecord.js';

const KNOWN_COLUMNS = ['type', 'tagId', 'at', 'goalId', 'goalType'] as const;

/**
 * Parses CSV (RFC 4180 quoting, one record per line) whose first line names the
 * columns: `tagId` and `at` are required; `type`, `goalId` and `goalType` are optional
 * (see the NDJSON format for their meaning); other columns are ignored. A header without
 * `tagId` or `at` throws a {@link ReplayError} naming `source`.
 *
 * @example
 * ```ts
 * const parser = createCsvParser();
 * parser.parse('tagId,at', 1);
 * parser.parse('shop,2024-03-01T09:00:00Z', 2);
 * // { kind: 'record', record: { kind: 'activity', tagId: 'shop', at: 1709283600000 } }
 * ```
 */
export function createCsvParser(source = 'file'): LineParser {
  let header: string[] | undefined;
  return {
    parse(line, lineNumber) {
      if (line.trim() === '') return BLANK;
      const fields = splitCsvLine(line);
      if (header === undefined) {
        if (fields === undefined || !fields.includes('tagId') || !fields.includes('at')) {
          throw new ReplayError(
            source,
            `line ${lineNumber}: a CSV file needs a header naming its columns, with at least tagId and at (known: ${KNOWN_COLUMNS.join(', ')})`,
          );
        }
        header = fields;
        return BLANK;
      }
      if (fields === undefined)
        return malformed(
          'bad quoting: a quoted field is not closed, or text follows its closing quote',
        );
      if (fields.length !== header.length) {
        return malformed(
          `expected ${header.length} fields (${header.join(',')}), found ${fields.length}`,
        );
      }
      const record: Record<string, string> = {};
      header.forEach((name, index) => {
        const value = fields[index];
        if (value !== undefined && value !== '') record[name] = value;
      });
      return recordFromFields(record as RecordFields);
    },
  };
}

/** Splits one CSV line; `undefined` when a quoted field is not closed. */
function splitCsvLine(line: string): string[] | undefined {
  const fields: string[] = [];
  let index = 0;
  for (;;) {
    if (line[index] === '"') {
      let value = '';
      index++;
      for (;;) {
        const quote = line.indexOf('"', index);
        if (quote === -1) return undefined;
        value += line.slice(index, quote);
        if (line[quote + 1] === '"') {
          value += '"';
          index = quote + 2;
          continue;
        }
        index = quote + 1;
        break;
      }
      fields.push(value);
    } else {
      const comma = line.indexOf(',', index);
      const end = comma === -1 ? line.length : comma;
      fields.push(line.slice(index, end).trim());
      index = end;
    }
    if (index >= line.length) return fields;
    if (line[index] !== ',') return undefined;
    index++;
  }
}
