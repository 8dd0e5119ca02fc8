import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnJsonLines } from './support/childProcess.js';
import { useCliScratch } from './support/cliScratch.js';
import { repoRoot } from './support/monitorSupport.js';

/*
 * The command line tool as a real process on real files, pipes and FIFOs: inputs are
 * read once, from the start, whatever they are; nothing is lost or read twice; signals
 * are heard while it works; a closed stdout ends it quietly.
 */

const shell = useCliScratch('uet-cli-pipes-');
const scratch = shell.dir;
const bash = shell.bash;

const HOUR = 3_600_000;
const records = (count: number, start = Date.now() - 2 * HOUR) =>
  Array.from({ length: count }, (_, index) =>
    JSON.stringify({ kind: 'activity', tagId: `tag-${index % 3}`, at: start + index * 1_000 }),
  );
const lines = (values: readonly string[]) => `${values.join('\n')}\n`;

describe('uet-tag replay reads any input once', () => {
  const file = path.join(scratch, 'records.ndjson');
  beforeAll(() => {
    fs.writeFileSync(file, lines(records(50)));
    fs.writeFileSync(`${file}.gz`, gzipSync(fs.readFileSync(file)));
  });

  const replayed = (output: string) =>
    (JSON.parse(output) as { statistics: { records: number } }).statistics.records;

  it('a pipe without --format: the format is told from the first line, nothing is lost', () => {
    const result = bash('cat records.ndjson | node "$CLI" replay - --json');
    expect(result.stderr).toBe('');
    expect(replayed(result.stdout)).toBe(50);
  });

  it('/dev/stdin and a process substitution of gzip -dc', () => {
    expect(replayed(bash('node "$CLI" replay /dev/stdin --json < records.ndjson').stdout)).toBe(50);
    expect(replayed(bash('node "$CLI" replay <(gzip -dc records.ndjson.gz) --json').stdout)).toBe(
      50,
    );
  });

  it('a gzip file is read as it is, by its magic bytes, under any name', () => {
    fs.copyFileSync(`${file}.gz`, path.join(scratch, 'compressed.log'));
    expect(replayed(bash('node "$CLI" replay compressed.log --format ndjson --json').stdout)).toBe(
      50,
    );
    expect(replayed(bash('node "$CLI" replay records.ndjson.gz --json').stdout)).toBe(50);
  });

  it('a FIFO without --format', () => {
    const fifo = path.join(scratch, 'replay.fifo');
    execFileSync('mkfifo', [fifo]);
    const result = bash('cat records.ndjson > replay.fifo & node "$CLI" replay replay.fifo --json');
    expect(replayed(result.stdout)).toBe(50);
  });

  it('an empty file says it holds no records', () => {
    fs.writeFileSync(path.join(scratch, 'empty.log'), '');
    const result = bash('node "$CLI" replay empty.log');
    expect(result.stdout).toBe(
      'empty.log: holds no records to replay\nlines: 0; filtered out: 0; malformed: 0; after --until: 0\n',
    );
    expect(result.status).toBe(0);
  });

  it('/dev/zero is refused as not text, at once', () => {
    const result = bash('node "$CLI" replay /dev/zero');
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      'error: /dev/zero: is not text: it holds a NUL byte (after line 0); no replay format has them\n',
    );
  });

  it('--svg - writes the chart to stdout', () => {
    const result = bash(
      'node "$CLI" replay records.ndjson --svg - > chart.svg && head -c 4 chart.svg',
    );
    expect(result.stdout).toMatch(/^<svg|^[^\n]*\n?<svg/);
  }, 30_000);
});

describe('uet-tag simulate reads its scenario from stdin', () => {
  it('- reads YAML or JSON from stdin and gives what the file gives', () => {
    const example = path.join(repoRoot, 'examples', 'fortnight.yaml');
    const fromFile = bash(`node "$CLI" simulate "${example}" --json`);
    const fromYaml = bash(`node "$CLI" simulate - --json < "${example}"`);
    expect(fromYaml.stderr).toBe('');
    expect(JSON.parse(fromYaml.stdout)).toEqual(JSON.parse(fromFile.stdout));
    const json = path.join(repoRoot, 'examples', 'newTag.json');
    const fromJson = bash(`cat "${json}" | node "$CLI" simulate - --json`);
    expect(JSON.parse(fromJson.stdout)).toEqual(
      JSON.parse(bash(`node "$CLI" simulate "${json}" --json`).stdout),
    );
    expect(bash('echo "name: [" | node "$CLI" simulate -').stderr).toMatch(
      /^error: stdin: invalid scenario/,
    );
  }, 60_000);
});

describe('uet-tag monitor reads stdin, files and FIFOs', () => {
  it('commits by --batch-size or --commit-interval, whichever comes first, not once per chunk', async () => {
    const db = path.join(scratch, 'batches.db');
    const monitor = spawnJsonLines(
      [
        shell.cli(),
        'monitor',
        '--db',
        db,
        '--ack',
        '--auto-register',
        '--batch-size',
        '2000',
        '--commit-interval',
        '300',
      ],
      repoRoot,
    );
    await monitor.waitForLine((line) => (line as { kind: string }).kind === 'ack');
    monitor.child.stdin.write(lines(records(5_000)));
    await monitor.waitForLine((line) => (line as { line?: number }).line === 4_000);
    monitor.child.stdin.write(lines(records(3, Date.now())));
    const last = (await monitor.waitForLine(
      (line) => (line as { line?: number }).line === 5_003,
    )) as { line: number };
    expect(last.line).toBe(5_003);
    const acks = monitor.lines.filter((line) => (line as { kind: string }).kind === 'ack');
    expect(acks.map((ack) => (ack as { line: number }).line)).toEqual([0, 2_000, 4_000, 5_003]);
    monitor.child.kill('SIGTERM');
    expect(await monitor.exited()).toBe(0);
  });

  it('a closed stdout (| head -1) ends it quietly, exit code 0, the state committed', () => {
    const result = bash(
      `{ ${lines(records(3))
        .trim()
        .split('\n')
        .map((line) => `echo '${line}'`)
        .join(
          '; ',
        )}; sleep 5; } | node "$CLI" monitor --db headed.db --ack --auto-register | head -1`,
    );
    expect(result.stdout).toBe('{"kind":"ack","line":0,"offset":0}\n');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const db = new Database(path.join(scratch, 'headed.db'), { readonly: true });
    expect(db.prepare('SELECT count(*) AS tags FROM tags').get()).toEqual({ tags: 3 });
    db.close();
  }, 30_000);

  it('gzip on stdin is read as it is', () => {
    fs.writeFileSync(path.join(scratch, 'gz-input.ndjson.gz'), gzipSync(lines(records(10))));
    const result = bash('node "$CLI" monitor --memory --auto-register < gz-input.ndjson.gz');
    expect(
      result.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line).to),
    ).toEqual(['Active', 'Active', 'Active']);
  });

  it('SIGTERM is heard while it works through an endless line (--follow /dev/zero): it stops within seconds, exit 0', async () => {
    const monitor = spawnJsonLines(
      [
        shell.cli(),
        'monitor',
        '--memory',
        '--follow',
        '/dev/zero',
        '--ack',
        '--max-line-bytes',
        '65536',
      ],
      repoRoot,
    );
    await monitor.waitForLine((line) => (line as { kind: string }).kind === 'ack');
    await new Promise((resolve) => setTimeout(resolve, 500));
    const sent = Date.now();
    monitor.child.kill('SIGTERM');
    expect(await monitor.exited()).toBe(0);
    expect(Date.now() - sent).toBeLessThan(5_000);
    expect(monitor.stderr()).toBe('');
  }, 30_000);

  it('SIGTERM is heard in the middle of a large backlog: it stops within seconds, and a restart applies the rest exactly once', async () => {
    const backlog = path.join(scratch, 'backlog.ndjson');
    const total = 200_000;
    const start = Date.now() - 2 * HOUR;
    const text = Array.from(
      { length: total },
      (_, index) =>
        `{"kind":"activity","tagId":"tag-${index % 2_000}","at":${start + Math.floor(index / 100)}}`,
    );
    fs.writeFileSync(backlog, `${text.join('\n')}\n`);
    const db = path.join(scratch, 'backlog.db');
    const args = [
      shell.cli(),
      'monitor',
      '--db',
      db,
      '--follow',
      backlog,
      '--ack',
      '--auto-register',
    ];
    const acked = (line: unknown) => (line as { kind: string; line?: number }).line ?? 0;
    const first = spawnJsonLines([...args, '--batch-size', '100'], repoRoot);
    await first.waitForLine((line) => acked(line) > 1_000);
    const sent = Date.now();
    first.child.kill('SIGTERM');
    expect(await first.exited()).toBe(0);
    expect(Date.now() - sent).toBeLessThan(10_000);
    const stoppedAt = Math.max(...first.lines.map(acked));
    expect(stoppedAt).toBeLessThan(total);
    const second = spawnJsonLines(args, repoRoot);
    await second.waitForLine((line) => acked(line) === total, 60_000);
    second.child.kill('SIGTERM');
    expect(await second.exited()).toBe(0);
    const changes = [...first.lines, ...second.lines].filter(
      (line) => (line as { kind: string }).kind === 'tag',
    );
    expect(changes).toHaveLength(2_000);
    const store = new Database(db, { readonly: true });
    expect(store.prepare('SELECT count(*) AS tags FROM tags').get()).toEqual({ tags: 2_000 });
    store.close();
  }, 90_000);

  it('--follow on a FIFO does not block in open, reads what writers send, and stops on SIGTERM', async () => {
    const fifo = path.join(scratch, 'monitor.fifo');
    execFileSync('mkfifo', [fifo]);
    const monitor = spawnJsonLines(
      [shell.cli(), 'monitor', '--memory', '--follow', fifo, '--ack', '--auto-register'],
      repoRoot,
    );
    await monitor.waitForLine((line) => (line as { kind: string }).kind === 'ack');
    execFileSync('sh', ['-c', `printf '%s\\n' '${records(2)[0]}' '${records(2)[1]}' > "$0"`, fifo]);
    await monitor.waitForLine((line) => (line as { line?: number }).line === 2);
    monitor.child.kill('SIGTERM');
    expect(await monitor.exited()).toBe(0);
    expect(monitor.lines.filter((line) => (line as { kind: string }).kind === 'tag')).toHaveLength(
      2,
    );
  });
});
