import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatTime, fortnight } from '../examples/fortnight.js';
import { conversionGoalTrackingStatusMeanings } from '../packages/uet-tag-status/src/valueSets/conversionGoalTrackingStatus.js';
import { uetTagTrackingStatusMeanings } from '../packages/uet-tag-status/src/valueSets/uetTagTrackingStatus.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const meanings: Record<string, string> = {
  ...uetTagTrackingStatusMeanings,
  ...conversionGoalTrackingStatusMeanings,
};

/** Each change line is its head, then the meaning of the status it changed to. */
const withMeaning = (head: string) => {
  const to = head.split('→ ')[1]?.split(' ')[0] ?? '';
  return `${head}. ${meanings[to]}`;
};

const expected = [
  'Mon 06 Jan 00:00  start: tag shop Unverified, goal signup TagUnverified, goal offline-sales NoRecentConversions',
  withMeaning('Mon 06 Jan 09:00  tag shop            Unverified → Active'),
  withMeaning('Mon 06 Jan 09:00  goal signup         TagUnverified → NoRecentConversions'),
  withMeaning('Tue 07 Jan 14:30  goal signup         NoRecentConversions → RecordingConversions'),
  withMeaning(
    'Tue 07 Jan 16:00  goal offline-sales  NoRecentConversions → RecordingConversions (noticed Wed 08 Jan 10:00)',
  ),
  withMeaning('Sat 11 Jan 17:00  tag shop            Active → Inactive'),
  withMeaning('Sat 11 Jan 17:00  goal signup         RecordingConversions → TagInactive'),
  withMeaning('Mon 13 Jan 09:00  tag shop            Inactive → Active'),
  withMeaning('Mon 13 Jan 09:00  goal signup         TagInactive → RecordingConversions'),
  withMeaning(
    'Tue 14 Jan 14:30  goal signup         RecordingConversions → NoRecentConversions (noticed Tue 14 Jan 15:00)',
  ),
  withMeaning('Tue 14 Jan 16:00  goal offline-sales  RecordingConversions → NoRecentConversions'),
  withMeaning(
    'Wed 15 Jan 11:00  goal signup         NoRecentConversions → InactiveDueToTagUnavailable',
  ),
  withMeaning(
    'Thu 16 Jan 10:00  goal signup         InactiveDueToTagUnavailable → NoRecentConversions',
  ),
  withMeaning('Fri 17 Jan 15:00  goal signup         NoRecentConversions → RecordingConversions'),
  withMeaning('Sat 18 Jan 17:00  tag shop            Active → Inactive'),
  withMeaning('Sat 18 Jan 17:00  goal signup         RecordingConversions → TagInactive'),
  'Mon 20 Jan 00:00  end: tag shop Inactive, goal signup TagInactive, goal offline-sales NoRecentConversions',
];

describe('examples/fortnight.ts (npm run demo)', () => {
  it('walks a tag, a tag-based and a tagless goal through a fortnight, one line per status change', () => {
    expect(fortnight()).toEqual(expected);
  });

  it('prints the same timeline when run as a script', () => {
    const tsx = createRequire(import.meta.url).resolve('tsx/cli');
    const stdout = execFileSync(
      process.execPath,
      [tsx, '--conditions=uet-tag-source', 'examples/fortnight.ts'],
      {
        cwd: repoRoot,
        encoding: 'utf8',
      },
    );
    expect(stdout).toBe(`${expected.join('\n')}\n`);
  });

  it('formats times in UTC as weekday, day, month, hours and minutes', () => {
    expect(formatTime(Date.UTC(2025, 11, 31, 23, 59))).toBe('Wed 31 Dec 23:59');
  });
});
