/**
 * Measures one replay format in a process of its own, the way a user runs one replay:
 * `node --conditions=uet-tag-source --import tsx bench/replayFormatWorker.ts <name> <file>
 * <rounds> [<side>]` runs every side of the format named `<name>` (`bench/replayInputs.ts`) on
 * `<file>` and writes its {@link Measured} figures to the standard output as JSON. Run by
 * `bench/replay.ts`; a process per format keeps the code the formats share (the line
 * splitter, the parser's call, the sink) from being optimised for another format first.
 * A fourth argument, a side's name (`floor`, `checked`, `modelled`, `replay`, `naive`),
 * runs that side alone (`bench/replayInstructions.ts` counts its instructions).
 */
import { statSync } from 'node:fs';
import { replayFile } from '../packages/uet-tag/src/replay/replayFile.js';
import {
  beaconFloor,
  capiFloor,
  clfFloor,
  csvCheckedFloor,
  csvFloor,
  csvModelledFloor,
  harFloor,
  ndjsonFloor,
  tsvCheckedFloor,
  tsvFloor,
  tsvModelledFloor,
} from './replayFloors.js';
import { REPLAY_INPUTS, type ReplayInput } from './replayInputs.js';
import { NAIVE_READERS } from './replayNaive.js';

/** The tag of the beacon formats' requests (and the one a Conversions API body is for). */
const TAG = '26012345';

/** Each file's floor, by its name. */
const FLOORS: Record<string, (file: string) => number> = {
  'access.log': clfFloor,
  'inputs.ndjson': ndjsonFloor,
  'inputs.csv': csvFloor,
  'access.tsv': tsvFloor,
  'beacons.log': beaconFloor,
  'session.har': harFloor,
  'capi.ndjson': capiFloor,
};

/**
 * The checked floors, by file name: the floor with every check a replay cannot leave out
 * (formats whose rows the replay reads cell by cell in place).
 */
const CHECKED_FLOORS: Record<string, (file: string) => number> = {
  'inputs.csv': csvCheckedFloor,
  'access.tsv': tsvCheckedFloor,
};

/**
 * The modelled floors, by file name: the checked floor with the least model of a replay
 * (the reorder window, each tag's silence and status) in place of the latest times alone.
 */
const MODELLED_FLOORS: Record<string, (file: string) => number> = {
  'inputs.csv': csvModelledFloor,
  'access.tsv': tsvModelledFloor,
};

/** The sides of a round, in the order of the first round (rotated one place each round). */
const SIDES = ['floor', 'checked', 'modelled', 'replay', 'naive'] as const;

/** One format's figures: seconds per round of each side, and resident memory after. */
export interface Measured {
  readonly label: string;
  readonly format: string;
  readonly megabytes: number;
  readonly records: number;
  readonly floor: number[];
  /** Empty when the format has no checked floor. */
  readonly checked: number[];
  /** Empty when the format has no modelled floor. */
  readonly modelled: number[];
  readonly replay: number[];
  readonly naive: number[];
  /** CPU seconds of the process (all threads) per round of each side. */
  readonly cpu: {
    readonly floor: number[];
    readonly checked: number[];
    readonly modelled: number[];
    readonly replay: number[];
    readonly naive: number[];
  };
  readonly rssMb: number[];
}

/**
 * Runs `rounds` rounds of every side of `input`'s format on `file` (or of side `only`
 * alone), in this process, the order of the sides rotated each round.
 */
async function measure(
  input: ReplayInput,
  file: string,
  rounds: number,
  only?: Side,
): Promise<Measured> {
  const floor = FLOORS[input.name] as (file: string) => number;
  const checked = CHECKED_FLOORS[input.name];
  const modelled = MODELLED_FLOORS[input.name];
  const naive = NAIVE_READERS[input.name] as (file: string) => Promise<number>;
  const measured: Measured = {
    label: input.label,
    format: input.format,
    megabytes: statSync(file).size / 1e6,
    records: 0,
    floor: [],
    checked: [],
    modelled: [],
    replay: [],
    naive: [],
    cpu: { floor: [], checked: [], modelled: [], replay: [], naive: [] },
    rssMb: [],
  };
  let records = 0;
  const sides: Record<Side, () => Promise<number>> = {
    floor: async () => floor(file),
    checked: async () => checked?.(file) ?? 0,
    modelled: async () => modelled?.(file) ?? 0,
    naive: () => naive(file),
    replay: async () => {
      const result = await replayFile(file, { format: input.format, tagId: TAG });
      if (result.statistics.malformed > 0 || result.statistics.records === 0) {
        throw new Error(`${input.name}: ${JSON.stringify(result.statistics.malformedLines)}`);
      }
      records = result.statistics.records;
      return records;
    },
  };
  // Every side reads every record: the same count from each (a HAR's readers count all its
  // entries, the replay only its beacons' hits), or a side skipped work.
  const counts = new Set<number>();
  for (let round = 0; round < rounds; round++) {
    const order =
      only === undefined
        ? SIDES.map((_, index) => SIDES[(index + round) % SIDES.length] as Side)
        : [only];
    for (const side of order) {
      if (side === 'checked' && checked === undefined) continue;
      if (side === 'modelled' && modelled === undefined) continue;
      const start = performance.now();
      const cpuStart = process.cpuUsage();
      const count = await sides[side]();
      const cpu = process.cpuUsage(cpuStart);
      if (side !== 'replay' || input.format !== 'har') counts.add(count);
      measured[side].push((performance.now() - start) / 1_000);
      measured.cpu[side].push((cpu.user + cpu.system) / 1e6);
      if (side === 'replay') measured.rssMb.push(process.memoryUsage().rss / 2 ** 20);
    }
  }
  if (counts.size !== 1) {
    throw new Error(`${input.name}: the sides read different numbers of records: ${[...counts]}`);
  }
  return { ...measured, records };
}

/** A side of a round. */
type Side = (typeof SIDES)[number];

const [name, file, rounds, only] = process.argv.slice(2);
if (name !== undefined && file !== undefined) {
  const input = REPLAY_INPUTS.find((candidate) => candidate.name === name);
  if (input === undefined) throw new Error(`no replay input is named ${JSON.stringify(name)}`);
  if (only !== undefined && !(SIDES as readonly string[]).includes(only)) {
    throw new Error(
      `side: ${JSON.stringify(only)} is not valid: expected one of ${SIDES.join(', ')}`,
    );
  }
  const measured = await measure(input, file, Number(rounds ?? 5), only as Side | undefined);
  process.stdout.write(`${JSON.stringify(measured)}\n`);
}
