import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CommanderError } from 'commander';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../packages/uet-tag/src/cli/cliIo.js';
import { commands, createProgram, runCli } from '../packages/uet-tag/src/cli/main.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const newTag = path.join(repoRoot, 'examples/newTag.json');
const nasaHead = path.resolve(repoRoot, 'test/fixtures/realdata/NASA_Aug95_head_0000-0059.log.gz');

interface Captured extends CliIo {
  out(): string;
  err(): string;
  exitCode(): number | undefined;
}

function capture(): Captured {
  let out = '';
  let err = '';
  let code: number | undefined;
  return {
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text), isTTY: false },
    setExitCode: (value) => {
      code = value;
    },
    out: () => out,
    err: () => err,
    exitCode: () => code,
  };
}

async function run(args: readonly string[]): Promise<Captured> {
  const io = capture();
  await createProgram(io).parseAsync([...args], { from: 'user' });
  return io;
}

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'uet-cli-'));
});

describe('uet-tag simulate', () => {
  it('prints the header and, per tag and goal, the intervals, the number of changes and the time in each status', async () => {
    const io = await run(['simulate', newTag]);
    const lines = io.out().split('\n');
    expect(lines[0]).toBe(
      'A new tag verifying (seed 7): 2024-05-06T00:00:00Z to 2024-05-09T00:00:00Z (3d)',
    );
    expect(lines).toContain('landing (tag): 0 status changes');
    expect(lines).toContain('  2024-05-06T00:00:00Z  2024-05-09T00:00:00Z  Unverified  3d');
    expect(lines).toContain('  time in status: Unverified 3d (100.0%)');
    expect(lines).toContain('shop/contact (Url goal): 2 status changes');
    expect(io.err()).toBe('');
    expect(io.exitCode()).toBe(undefined);
  });

  it('--json prints the same timelines as JSON (report version 1, times as epoch ms and ISO); --seed replaces the scenario seed', async () => {
    const io = await run(['simulate', newTag, '--json', '--seed', '8']);
    const json = JSON.parse(io.out());
    expect(json.schema).toBe('simulate-report.v1');
    expect(json.seed).toBe(8);
    expect(
      json.timelines.map((timeline: { tagId: string; goalId?: string }) => [
        timeline.tagId,
        timeline.goalId,
      ]),
    ).toEqual([
      ['shop', undefined],
      ['shop', 'contact'],
      ['landing', undefined],
      ['landing', 'download'],
    ]);
    expect(json.timelines[2].intervals).toEqual([
      {
        status: 'Unverified',
        from: Date.parse('2024-05-06T00:00:00Z'),
        fromTime: '2024-05-06T00:00:00.000Z',
        to: Date.parse('2024-05-09T00:00:00Z'),
        toTime: '2024-05-09T00:00:00.000Z',
        durationMs: 259_200_000,
      },
    ]);
    expect(json.changes[0]).toMatchObject({
      kind: 'tag',
      tagId: 'shop',
      from: 'Unverified',
      to: 'Active',
    });
  });

  it('--runs N reports the spread over N consecutive seeds', async () => {
    const io = await run(['simulate', newTag, '--runs', '3', '--json']);
    const json = JSON.parse(io.out());
    expect(json.seeds).toEqual([7, 8, 9]);
    expect(json.subjects[2]).toEqual({
      tagId: 'landing',
      timeInStatus: {
        Unverified: {
          mean: 259_200_000,
          min: 259_200_000,
          p5: 259_200_000,
          p50: 259_200_000,
          p95: 259_200_000,
          max: 259_200_000,
        },
      },
      changes: { mean: 0, min: 0, p5: 0, p50: 0, p95: 0, max: 0 },
    });
    const text = await run(['simulate', newTag, '--runs', '3']);
    expect(text.out().split('\n')[0]).toBe(
      'A new tag verifying: 3 runs (seeds 7 to 9), 2024-05-06T00:00:00Z to 2024-05-09T00:00:00Z (3d)',
    );
  });

  it('--svg writes the chart and says so on stderr', async () => {
    const target = path.join(folder, 'chart.svg');
    const io = await run(['simulate', newTag, '--svg', target]);
    expect((await readFile(target, 'utf8')).startsWith('<svg')).toBe(true);
    expect(io.err()).toBe(`chart written to ${target}\n`);
  });

  it('an invalid scenario prints every issue and sets exit code 1, nothing on stdout', async () => {
    const bad = path.join(folder, 'bad.yaml');
    await writeFile(
      bad,
      'name: x\nstart: 2024-03-01T00:00:00Z\nend: +1d\nseed: -3\ntags: [{ id: t, hits: [+2d] }]\n',
    );
    const io = await run(['simulate', bad]);
    expect(io.out()).toBe('');
    expect(io.err()).toBe(
      `error: ${bad}: invalid scenario (1 issue)\n  seed: -3 is not valid: expected an integer from 0 to 4294967295\n`,
    );
    expect(io.exitCode()).toBe(1);
  });
});

describe('argument parsing, without a process', () => {
  const cases: { args: string[]; code: string; message: string }[] = [
    {
      args: ['simulate', 'x.yaml', '--runs', '0'],
      code: 'commander.invalidArgument',
      message:
        "error: option '--runs <n>' argument '0' is invalid. expected an integer from 1 to 100000",
    },
    {
      args: ['simulate'],
      code: 'commander.missingArgument',
      message: "error: missing required argument 'scenario'",
    },
    {
      args: ['simulate', 'x.yaml', '--fast'],
      code: 'commander.unknownOption',
      message: "error: unknown option '--fast'",
    },
    {
      args: ['replay', 'x.log', '--status', '2xx,abc'],
      code: 'commander.invalidArgument',
      message:
        "error: option '--status <list>' argument '2xx,abc' is invalid. \"abc\": expected HTTP statuses such as 200 or classes such as 2xx, separated by commas",
    },
    {
      args: ['replay', 'x.log', '--goal', 'signup=Signup'],
      code: 'commander.invalidArgument',
      message:
        "error: option '--goal <goalId=type>' argument 'signup=Signup' is invalid. \"Signup\" is not a goal type: expected one of Url, Duration, PagesViewedPerVisit, Event, AppInstall, OfflineConversion, InStoreTransaction",
    },
    {
      args: ['replay', 'x.log', '--attribution', 'view'],
      code: 'commander.invalidArgument',
      message:
        "error: option '--attribution <mode>' argument 'view' is invalid. expected none or click",
    },
    {
      args: ['replay', 'x.log', '--format', 'xml'],
      code: 'commander.invalidArgument',
      message:
        "error: option '--format <format>' argument 'xml' is invalid. expected one of ndjson, csv, clf, tsv, har, capi",
    },
    {
      args: ['replay', 'x.log', '--until', 'tomorrow'],
      code: 'commander.invalidArgument',
      message:
        "error: option '--until <time>' argument 'tomorrow' is invalid. expected an ISO 8601 date-time with its zone (1995-08-03T04:36:13-04:00) or integer epoch ms",
    },
    {
      args: ['replay', 'x.log', '--reorder-window', '5 minutes'],
      code: 'commander.invalidArgument',
      message:
        "error: option '--reorder-window <duration>' argument '5 minutes' is invalid. expected a duration such as 90m, 24h, 1d12h or integer ms",
    },
    {
      args: ['replay', 'x.log', '--path', '('],
      code: 'commander.invalidArgument',
      message:
        "error: option '--path <regex>' argument '(' is invalid. expected a regular expression (Invalid regular expression: /(/: Unterminated group)",
    },
  ];
  for (const c of cases) {
    it(`${c.args.join(' ')} → ${c.code}`, async () => {
      const io = capture();
      const parsing = createProgram(io).parseAsync(c.args, { from: 'user' });
      await expect(parsing).rejects.toBeInstanceOf(CommanderError);
      await expect(parsing).rejects.toMatchObject({ code: c.code, exitCode: 1 });
      expect(io.err()).toBe(`${c.message}\n`);
    });
  }

  it('replay options are parsed into typed values', async () => {
    const io = capture();
    const program = createProgram(io);
    await program.parseAsync(
      [
        'replay',
        nasaHead,
        '--tag-id',
        'nasa',
        '--path',
        '^/shuttle/',
        '--path',
        '^/history/',
        '--status',
        '2xx,304',
        '--goal',
        'signup=Event',
        '--goal-path',
        'countdown=^/shuttle/countdown/',
        '--reorder-window',
        '1m',
        '--until',
        '1995-08-01T01:00:00-04:00',
        '--activity-window',
        '30m',
        '--json',
      ],
      { from: 'user' },
    );
    const replay = program.commands.find((command) => command.name() === 'replay');
    expect(replay?.opts()).toEqual({
      tagId: 'nasa',
      attribution: 'none',
      path: [/^\/shuttle\//, /^\/history\//],
      status: ['2xx', '304'],
      goal: [{ goalId: 'signup', goalType: 'Event' }],
      goalPath: [{ goalId: 'countdown', goalType: 'Url', path: /^\/shuttle\/countdown\// }],
      reorderWindow: 60_000,
      until: Date.parse('1995-08-01T01:00:00-04:00'),
      activityWindow: 1_800_000,
      malformed: 5,
      json: true,
      fastPath: true,
    });
    expect(io.exitCode()).toBe(undefined);
  });

  it('each command is listed under the name it registers, and a start names only the command it runs', () => {
    const every = createProgram(capture()).commands.map((command) => command.name());
    expect(every).toEqual(commands.map((command) => command.name));
    for (const { name } of commands) {
      expect(createProgram(capture(), name).commands.map((command) => command.name())).toEqual([
        name,
      ]);
    }
    for (const other of ['help', 'monitr', '--help', undefined]) {
      expect(createProgram(capture(), other).commands).toHaveLength(commands.length);
    }
  });

  it('runCli gives a command the same help and the same errors with the command alone', async () => {
    for (const args of [
      ['monitor', '--help'],
      ['replay', 'x.log', '--reorder-window', 'soon'],
    ]) {
      const alone = capture();
      await runCli(['node', 'uet-tag', ...args], alone);
      const whole = capture();
      await createProgram(whole)
        .parseAsync(args, { from: 'user' })
        .catch((error: unknown) => {
          if (!(error instanceof CommanderError)) throw error;
          whole.setExitCode(error.exitCode);
        });
      expect(alone.out() + alone.err()).not.toBe('');
      expect([alone.out(), alone.err(), alone.exitCode()]).toEqual([
        whole.out(),
        whole.err(),
        whole.exitCode(),
      ]);
    }
  });

  it('runCli with a misspelt command suggests the right one', async () => {
    const io = capture();
    await runCli(['node', 'uet-tag', 'monitr'], io);
    expect(io.err()).toBe("error: unknown command 'monitr'\n(Did you mean monitor?)\n");
    expect(io.exitCode()).toBe(1);
  });

  it('runCli sets the exit code of a parse error instead of exiting', async () => {
    const io = capture();
    await runCli(['node', 'uet-tag', 'simulate', 'x.yaml', '--runs', 'many'], io);
    expect(io.exitCode()).toBe(1);
    expect(io.err()).toBe(
      "error: option '--runs <n>' argument 'many' is invalid. expected an integer from 1 to 100000\n",
    );
  });
});

describe('uet-tag replay', () => {
  it('prints what was read and the timelines; malformed lines go to stderr with their numbers', async () => {
    const log = path.join(folder, 'access.log');
    await writeFile(
      log,
      [
        'h - - [01/Aug/1995:00:00:01 -0400] "GET /a.html HTTP/1.0" 200 1',
        'h - - [01/Aug/1995:00:00:02 -0400] "GET /b.gif HTTP/1.0" 200 1',
        'broken',
        'h - - [01/Aug/1995:00:10:00 -0400] "GET /c.html HTTP/1.0" 404 1',
      ].join('\n'),
    );
    const io = await run(['replay', log, '--status', '2xx', '--tag-id', 'nasa']);
    expect(io.out().split('\n').slice(0, 3)).toEqual([
      `${log} (clf): 1995-08-01T04:00:01Z to 1995-08-01T04:00:02Z (1s)`,
      'windows: activity 1d, conversion 7d',
      'lines: 4; records used: 2; filtered out: 1; malformed: 1; processed late: 0; after --until: 0',
    ]);
    expect(io.out()).toContain('nasa (tag): 1 status change');
    expect(io.err()).toBe(
      `${log}:3: malformed: expected host ident user [dd/Mon/yyyy:HH:MM:SS +hhmm] "request" status bytes, optionally followed by "referer" "user-agent"; the line does not start with host ident user [time]\n  broken\n`,
    );
    expect(io.exitCode()).toBe(undefined);
  });

  it('--json gives the statistics and timelines of a real log', async () => {
    const io = await run(['replay', nasaHead, '--json', '--status', '2xx']);
    const json = JSON.parse(io.out());
    expect(json.statistics).toMatchObject({
      records: 1506,
      filtered: 136,
      malformed: 0,
      firstAt: Date.parse('1995-08-01T04:00:01Z'),
      firstTime: '1995-08-01T04:00:01.000Z',
      lastAt: Date.parse('1995-08-01T04:59:55Z'),
      lastTime: '1995-08-01T04:59:55.000Z',
    });
    expect(
      json.timelines[0].intervals.map((interval: { status: string }) => interval.status),
    ).toEqual(['Unverified', 'Active']);
  });

  it('a missing file is an error with exit code 1', async () => {
    const io = await run(['replay', path.join(folder, 'nope.log')]);
    expect(io.err()).toBe(`error: ${path.join(folder, 'nope.log')}: no such file\n`);
    expect(io.exitCode()).toBe(1);
  });
});
