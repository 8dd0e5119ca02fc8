/**
 * Replays one access log in its own process and reports time and peak memory:
 * `node --import tsx bench/replayWorker.ts <file>`. See `bench/simulator.ts`.
 */
import { replayFile } from '../packages/uet-tag/src/replay/replayFile.js';

/** What a replay reports. */
export interface ReplayWorkerReport {
  readonly lines: number;
  readonly records: number;
  readonly changes: number;
  readonly ms: number;
  /** Peak resident set size of the process, MB. */
  readonly maxRssMb: number;
}

const file = process.argv[2];
if (file !== undefined) {
  const started = performance.now();
  const result = await replayFile(file, { tagId: 'site' });
  const report: ReplayWorkerReport = {
    lines: result.statistics.lines,
    records: result.statistics.records,
    changes: result.changes.length,
    ms: performance.now() - started,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}
