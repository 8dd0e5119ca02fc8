import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type FollowEvent,
  type FollowPosition,
  followFile,
} from '../packages/uet-tag/src/io/followFile.js';
import { LineSplitter } from '../packages/uet-tag/src/io/LineSplitter.js';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'uet-follow-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));
let files = 0;

/** A fresh file in its own folder, with `text`. */
function fileWith(text: string): string {
  files += 1;
  const folder = path.join(scratch, `case-${files}`);
  fs.mkdirSync(folder);
  const file = path.join(folder, 'in.ndjson');
  fs.writeFileSync(file, text);
  return file;
}

interface Followed {
  /** Every line delivered so far, with the file position after it. */
  readonly lines: { text: string; position: FollowPosition | undefined }[];
  readonly notes: string[];
  /** Resolves once `count` lines were delivered (or rejects after 10 s). */
  until(count: number): Promise<void>;
  stop(): Promise<void>;
}

/** Follows `file` like the monitor does: a line splitter per opened file. */
function follow(file: string, from?: FollowPosition): Followed {
  const controller = new AbortController();
  const lines: Followed['lines'] = [];
  const notes: string[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const done = (async () => {
    let splitter: LineSplitter | undefined;
    for await (const event of followFile(file, {
      from,
      pollMs: 5,
      signal: controller.signal,
    }) as AsyncIterable<FollowEvent>) {
      if (event.kind === 'open') {
        if (event.note) notes.push(event.note);
        const identity = event.identity;
        splitter = new LineSplitter(
          (text, line, offset) => {
            lines.push({ text, position: identity && { ...identity, offset, line } });
            for (const waiter of waiters.filter((candidate) => lines.length >= candidate.count)) {
              waiter.resolve();
            }
          },
          () => {},
          { startOffset: event.offset, startLine: event.line },
        );
      } else if (event.kind === 'data') splitter?.push(event.chunk);
      else splitter?.end();
    }
  })();
  return {
    lines,
    notes,
    until(count) {
      if (lines.length >= count) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`only ${lines.length} lines: ${JSON.stringify(lines)}`)),
          10_000,
        );
        waiters.push({
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    },
    async stop() {
      controller.abort();
      await done;
    },
  };
}

const texts = (followed: Followed) => followed.lines.map((line) => line.text);

describe('followFile (tail -F)', () => {
  it('delivers the lines that are appended, each once', async () => {
    const file = fileWith('a\n');
    const followed = follow(file);
    await followed.until(1);
    fs.appendFileSync(file, 'b\nc');
    fs.appendFileSync(file, '\n');
    await followed.until(3);
    await followed.stop();
    expect(texts(followed)).toEqual(['a', 'b', 'c']);
  });

  it('after a rotation (mv, then a new file) reads the old file to its end, then the new one from its start', async () => {
    const file = fileWith('a\nb\n');
    const followed = follow(file);
    await followed.until(2);
    fs.renameSync(file, `${file}.1`);
    fs.appendFileSync(`${file}.1`, 'c\n');
    fs.writeFileSync(file, 'd\ne\n');
    await followed.until(5);
    fs.appendFileSync(file, 'f\n');
    await followed.until(6);
    await followed.stop();
    expect(texts(followed)).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });

  it('resumed after the file was rotated while nobody followed it, reads the rest of the old file, then the whole new one, even when the new one is longer', async () => {
    const file = fileWith('a\nb\n');
    const first = follow(file);
    await first.until(1);
    await first.stop();
    const checkpoint = first.lines[0]?.position as FollowPosition;
    expect(checkpoint.line).toBe(1);
    fs.renameSync(file, `${file}.1`);
    fs.writeFileSync(file, 'c\nd\ne\nf\n');
    const second = follow(file, checkpoint);
    await second.until(5);
    await second.stop();
    expect(texts(second)).toEqual(['b', 'c', 'd', 'e', 'f']);
    expect(second.notes).toEqual([
      'the file was rotated while the monitor was down: reading its rest first',
    ]);
  });

  it('resumed after the old file is gone, says what could not be read and reads the new file from its start', async () => {
    const file = fileWith('a\nb\n');
    const first = follow(file);
    await first.until(1);
    await first.stop();
    fs.rmSync(file);
    fs.writeFileSync(file, 'c\n');
    const second = follow(file, first.lines[0]?.position);
    await second.until(1);
    await second.stop();
    expect(texts(second)).toEqual(['c']);
    expect(second.notes[0]).toMatch(
      /^the file read before \(inode \d+\) is gone; anything after its line 1 was not read$/,
    );
  });

  it('resumed in the same file, starts after the checkpoint: no line twice', async () => {
    const file = fileWith('a\nb\n');
    const first = follow(file);
    await first.until(2);
    await first.stop();
    fs.appendFileSync(file, 'c\n');
    const second = follow(file, first.lines[1]?.position);
    await second.until(1);
    await second.stop();
    expect(texts(second)).toEqual(['c']);
    expect(second.lines[0]?.position?.line).toBe(3);
  });

  it('a file truncated in place (copytruncate) is read again from its start, with a note', async () => {
    const file = fileWith('a\nb\n');
    const followed = follow(file);
    await followed.until(2);
    fs.truncateSync(file, 0);
    fs.writeFileSync(file, 'c\n');
    await followed.until(3);
    await followed.stop();
    expect(texts(followed)).toEqual(['a', 'b', 'c']);
    expect(followed.notes[0]).toMatch(/truncated/);
  });

  it('a FIFO is read as one stream that writers come and go on, without blocking in open, and stops at once', async () => {
    const fifo = path.join(scratch, 'inputs.fifo');
    execFileSync('mkfifo', [fifo]);
    const followed = follow(fifo);
    const write = (text: string) =>
      new Promise<void>((resolve, reject) => {
        const writer = spawn('sh', ['-c', `printf '${text}' > "$0"`, fifo]);
        writer.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`exit ${code}`))));
      });
    await write('a\\nb\\n');
    await followed.until(2);
    await write('c\\n');
    await followed.until(3);
    await followed.stop();
    expect(texts(followed)).toEqual(['a', 'b', 'c']);
    expect(followed.lines[0]?.position).toBeUndefined();
  });
});
