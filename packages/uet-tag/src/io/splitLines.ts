import { type LineProblem, LineSplitter, type LineSplitterOptions } from './LineSplitter.js';

/** One line of {@link splitLines}: its text, number and end offset, or why it cannot be read. */
export type SplitLine =
  | {
      readonly kind: 'line';
      readonly text: string;
      readonly number: number;
      readonly endOffset: number;
    }
  | { readonly kind: 'problem'; readonly problem: LineProblem };

/**
 * The lines of a byte stream, as an async generator over a {@link LineSplitter}: for
 * callers that go line by line at their own pace (the hot paths use the splitter's
 * callbacks directly).
 *
 * @example
 * ```ts
 * for await (const line of splitLines(fs.createReadStream('bodies.ndjson'))) {
 *   if (line.kind === 'line') handle(line.text, line.number);
 * }
 * ```
 */
export async function* splitLines(
  chunks: AsyncIterable<Uint8Array | string>,
  options: LineSplitterOptions = {},
): AsyncGenerator<SplitLine> {
  let ready: SplitLine[] = [];
  const splitter = new LineSplitter(
    (text, number, endOffset) => ready.push({ kind: 'line', text, number, endOffset }),
    (problem) => ready.push({ kind: 'problem', problem }),
    options,
  );
  for await (const chunk of chunks) {
    splitter.push(
      typeof chunk === 'string'
        ? Buffer.from(chunk)
        : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength),
    );
    const lines = ready;
    ready = [];
    yield* lines;
  }
  splitter.end();
  yield* ready;
}
