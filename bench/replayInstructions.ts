/**
 * The replay's CSV and TSV sides by the instructions they execute, which the load of a
 * shared machine does not move (its time ratios vary by 0.2× from run to run): each side
 * of `bench/replayFormatWorker.ts` (the floor, the checked and modelled floors,
 * `replayFile`) runs alone in a process under valgrind's callgrind, with V8 on one thread
 * (`--single-threaded`: compilation and garbage collection on the main thread, so that
 * every instruction is counted) and its heap grown by a fixed schedule
 * (`--predictable-gc-schedule`: otherwise V8 sizes its heap by the allocation rate it
 * measures in time, and the counts move with the machine's load, by up to 13 % between
 * two runs of the CSV replay), once for 2 rounds and once for 5; the difference over the
 * 3 rounds' records is the side's instructions a record, start-up and the first round's
 * compilation left out. Needs `valgrind`. Run:
 * `npm run bench -- replay-instructions` (`REPLAY_INSTRUCTION_RECORDS`, 200,000 by default).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPLAY_INPUTS, type ReplayInput } from './replayInputs.js';
import { replayWorkerArguments } from './replayWorkerArguments.js';

const RECORDS = Number(process.env.REPLAY_INSTRUCTION_RECORDS ?? 200_000);
if (!(Number.isInteger(RECORDS) && RECORDS > 0)) {
  throw new Error(
    `REPLAY_INSTRUCTION_RECORDS: ${JSON.stringify(process.env.REPLAY_INSTRUCTION_RECORDS)} is not a whole number of records`,
  );
}
const FEW_ROUNDS = 2;
const MORE_ROUNDS = 5;
const SIDES = ['floor', 'checked', 'modelled', 'replay'] as const;
type Side = (typeof SIDES)[number];
const FILES = ['inputs.csv', 'access.tsv'];
const run$ = promisify(execFile);

/** The instructions callgrind counted in a process running `side` alone for `rounds` rounds. */
async function instructions(
  input: ReplayInput,
  file: string,
  side: Side,
  rounds: number,
): Promise<number> {
  const { stderr } = await run$(
    'valgrind',
    [
      '--tool=callgrind',
      '--callgrind-out-file=/dev/null',
      process.execPath,
      '--single-threaded',
      '--predictable-gc-schedule',
      ...replayWorkerArguments(input.name, file, rounds, side),
    ],
    { maxBuffer: 1 << 24 },
  ).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
    throw new Error(
      'npm run bench -- replay-instructions needs valgrind (Debian package valgrind)',
    );
  });
  const collected = /Collected : (\d+)/.exec(stderr)?.[1];
  if (collected === undefined) throw new Error(`${side} on ${input.name}: no count in ${stderr}`);
  return Number(collected);
}

/** Each side's instructions a record on `input`'s file: two processes at a time (2 cores). */
async function measure(input: ReplayInput, folder: string): Promise<Record<Side, number>> {
  const file = await input.write(folder);
  try {
    const perRecord = { floor: 0, checked: 0, modelled: 0, replay: 0 };
    for (const side of SIDES) {
      const [few, more] = await Promise.all([
        instructions(input, file, side, FEW_ROUNDS),
        instructions(input, file, side, MORE_ROUNDS),
      ]);
      perRecord[side] = (more - few) / ((MORE_ROUNDS - FEW_ROUNDS) * input.count);
      console.error(`${input.name} ${side}: ${perRecord[side].toFixed(0)} instructions a record`);
    }
    return perRecord;
  } finally {
    rmSync(file);
  }
}

/** Runs the counts and returns the section of BENCHMARKS.md. */
export async function run(): Promise<string> {
  const scratch = mkdtempSync(path.join(tmpdir(), 'uet-replay-instructions-'));
  const rows: string[] = [];
  try {
    for (const name of FILES) {
      const input = REPLAY_INPUTS.find((candidate) => candidate.name === name) as ReplayInput;
      const sized = { ...input, count: RECORDS };
      const counts = await measure(sized, scratch);
      const { floor, checked, modelled, replay } = counts;
      const ratio = (a: number, b: number) => (a / b).toFixed(2);
      rows.push(
        `| ${input.label} (\`${input.format}\`) | ${RECORDS.toLocaleString('en-US')} | ${[floor, checked, modelled, replay].map((count) => count.toFixed(0)).join(' | ')} | ${ratio(floor, replay)} | ${ratio(floor, checked)} | ${ratio(floor, modelled)} | ${ratio(modelled, replay)} |`,
      );
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return [
    '## Replay, instructions a record',
    '',
    `Command: \`npm run bench -- replay-instructions\`. Each side alone in a process under valgrind's callgrind, V8 on one thread (\`--single-threaded\`) with its heap grown by a fixed schedule (\`--predictable-gc-schedule\`), run for ${FEW_ROUNDS} and for ${MORE_ROUNDS} rounds; instructions a record are the difference over the ${MORE_ROUNDS - FEW_ROUNDS} rounds between, so start-up and the first round's compilation are left out. Ratios are the floor's count over the side's, as the time ratios of "Replay" are.`,
    '',
    '| file | records | floor | checked floor | modelled floor | `replayFile` | floor / `replayFile` | floor / checked floor | floor / modelled floor | modelled floor / `replayFile` |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
  ].join('\n');
}
