import { InputError } from '../io/InputError.js';
import { LineSplitter } from '../io/LineSplitter.js';
import type { OpenedInput } from '../io/openInput.js';
import { readHarHits } from './harHits.js';
import { ReplayError } from './ReplayError.js';
import type { RecordSink } from './recordSink.js';
import {
  createLineParser,
  detectReplayFormat,
  REPLAY_FORMATS,
  type ReplayFormat,
} from './replayFormat.js';
import type { ActivitySink, LineParser } from './replayRecord.js';
import type { RequestFilterOptions } from './requestFilter.js';

/** Options of {@link readRecords}. */
export interface ReadRecordsOptions {
  /** The format; detected from the input's name or first non-blank line when absent. */
  readonly format?: ReplayFormat;
  /** How access log requests become inputs. */
  readonly filter: RequestFilterOptions;
  /** The longest line, in bytes (default 1 MiB). */
  readonly maxLineBytes?: number;
  /** Called after each chunk, with bytes read so far and the input's size (when known). */
  readonly onProgress?: (bytesRead: number, totalBytes: number | undefined) => void;
}

/** What {@link readRecords} found out about the input. */
export interface ReadSummary {
  /** The format read; `undefined` when the input held no non-blank line. */
  readonly format: ReplayFormat | undefined;
  /** Lines read, blank lines and headers included (entries, for a HAR file). */
  readonly lines: number;
}

/**
 * Reads an input's records, streaming: chunks are split into lines (linear time, at most
 * `maxLineBytes` kept per line), the format is told from the input's name or its first
 * non-blank line without reading anything twice (so pipes work), and each line is parsed
 * and handed to `sink`. The event loop runs between chunks, so signals are heard while a
 * large file is read. Input holding NUL bytes is refused: no text format has them.
 *
 * @example
 * ```ts
 * const input = await openInput('access.log.gz');
 * const { format, lines } = await readRecords(input, { filter: { tagId: 'site' } }, sink);
 * ```
 * @throws {@link ReplayError} when no format fits or a header is missing; {@link InputError}
 * when the input cannot be read or is binary.
 */
export async function readRecords(
  input: OpenedInput,
  options: ReadRecordsOptions,
  sink: RecordSink,
): Promise<ReadSummary> {
  let parser: LineParser | undefined;
  let format = options.format;
  if ((format ?? detectReplayFormat(input.description, '')) === 'har') {
    return { format: 'har', lines: await readHarHits(input, sink) };
  }
  const waiting: { text: string; number: number }[] = [];
  const activity = sink.activity === undefined ? undefined : (sink as ActivitySink);
  const parse = (text: string, number: number) => {
    const outcome = (parser as LineParser).parse(text, number, activity);
    if (outcome.kind === 'told') return;
    if (outcome.kind === 'record') sink.record(outcome.record, number, text);
    else if (outcome.kind === 'records') {
      for (const record of outcome.records) sink.record(record, number, text);
      for (const problem of outcome.problems) sink.malformed(number, problem, text);
    } else if (outcome.kind === 'filtered') sink.filtered();
    else if (outcome.kind === 'malformed') sink.malformed(number, outcome.reason, text);
  };
  const start = (firstLine: string) => {
    format ??= detectReplayFormat(input.description, firstLine);
    if (format === undefined) {
      throw new ReplayError(
        input.description,
        `cannot tell the format from the first line ${JSON.stringify(firstLine.slice(0, 80))}; give --format (${REPLAY_FORMATS.join(', ')})`,
      );
    }
    parser = createLineParser(format, options.filter, input.description);
    for (const line of waiting.splice(0)) parse(line.text, line.number);
  };
  const splitter = new LineSplitter(
    (text, number) => {
      if (parser !== undefined) parse(text, number);
      else if (text.trim() === '') waiting.push({ text, number });
      else {
        waiting.push({ text, number });
        start(text);
      }
    },
    (problem) => sink.malformed(problem.number, problem.message, problem.prefix),
    { maxLineBytes: options.maxLineBytes },
  );
  try {
    for await (const chunk of input.chunks) {
      const nul = chunk.indexOf(0);
      if (nul >= 0) {
        throw new InputError(
          input.description,
          'binary',
          `is not text: it holds a NUL byte (after line ${splitter.lines}); no replay format has them`,
        );
      }
      splitter.push(chunk);
      options.onProgress?.(input.bytesRead(), input.size);
    }
    splitter.end();
  } finally {
    input.close();
  }
  return { format, lines: splitter.lines };
}
