import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario, parseScenario } from '../packages/uet-tag/src/simulation/loadScenario.js';
import {
  ScenarioError,
  type ScenarioIssue,
} from '../packages/uet-tag/src/simulation/ScenarioError.js';
import { DAY_MS, HOUR_MS } from '../packages/uet-tag-status/src/windows.js';
import { jsonErrorOf } from './support/jsonErrors.js';

const START = Date.parse('2024-03-01T00:00:00Z');
const HEAD = 'name: test\nstart: 2024-03-01T00:00:00Z\nend: +14d\n';

function issuesOf(text: string, format: 'json' | 'yaml' = 'yaml'): readonly ScenarioIssue[] {
  try {
    parseScenario(text, format, 'bad.yaml');
  } catch (error) {
    if (error instanceof ScenarioError) return error.issues;
    throw error;
  }
  throw new Error('the scenario was accepted');
}

describe('parseScenario: a valid scenario', () => {
  it('resolves every time to UTC epoch ms, fills defaults, sorts and joins intervals', () => {
    const scenario = parseScenario(
      `${HEAD}seed: 42
windows: { activity: 12h, conversion: 3d }
tags:
  - id: shop
    installedAt: +9h
    hits: [+2d, 2024-03-01T10:00:00+01:00]
    traffic: { ratePerHour: 5, utcOffset: "-04:00" }
    outages: [{ from: +5d, to: +6d }, { from: +3d, to: +5d12h }]
    randomOutages: { perWeek: 1, minDuration: 1h, maxDuration: 1d }
    accessLost: [{ from: +10d, to: +11d }, { from: +12d }]
    goals:
      - { id: signup, type: Url, conversionRate: 0.02, conversions: [+4d, +1d] }
      - { id: app, type: AppInstall, conversionsPerHour: 0.5, attachedAt: +2d }
`,
      'yaml',
    );
    expect(scenario).toEqual({
      name: 'test',
      description: undefined,
      start: START,
      end: START + 14 * DAY_MS,
      seed: 42,
      windows: { activityWindowMs: 12 * HOUR_MS, conversionWindowMs: 3 * DAY_MS },
      tags: [
        {
          id: 'shop',
          installedAt: START + 9 * HOUR_MS,
          hits: [START + 9 * HOUR_MS, START + 2 * DAY_MS],
          traffic: {
            ratePerHour: 5,
            daily: new Array(24).fill(1),
            weekly: new Array(7).fill(1),
            utcOffsetMs: -4 * HOUR_MS,
          },
          outages: [{ from: START + 3 * DAY_MS, to: START + 6 * DAY_MS }],
          randomOutages: { perWeek: 1, minDurationMs: HOUR_MS, maxDurationMs: DAY_MS },
          access: [
            { at: START + 10 * DAY_MS, available: false },
            { at: START + 11 * DAY_MS, available: true },
            { at: START + 12 * DAY_MS, available: false },
          ],
          goals: [
            {
              id: 'signup',
              type: 'Url',
              attachedAt: START,
              conversions: [START + DAY_MS, START + 4 * DAY_MS],
              conversionRate: 0.02,
              conversionsPerHour: 0,
              outages: [],
            },
            {
              id: 'app',
              type: 'AppInstall',
              attachedAt: START + 2 * DAY_MS,
              conversions: [],
              conversionRate: 0,
              conversionsPerHour: 0.5,
              outages: [],
            },
          ],
        },
      ],
    });
  });

  it('reads JSON the same as YAML, with the SPEC T2 windows by default', () => {
    const json = parseScenario(
      JSON.stringify({ name: 'test', start: START, end: '+14d', tags: [{ id: 'shop' }] }),
      'json',
    );
    const yaml = parseScenario(`${HEAD}tags: [{ id: shop }]\n`, 'yaml');
    expect(json).toEqual(yaml);
    expect(json.windows).toEqual({ activityWindowMs: DAY_MS, conversionWindowMs: 7 * DAY_MS });
    expect(json.seed).toBe(1);
  });
});

describe('parseScenario: every bad field is named with its path, value and expectation', () => {
  const cases: { name: string; text: string; format?: 'json' | 'yaml'; issues: ScenarioIssue[] }[] =
    [
      {
        name: 'a missing name and tags, a start without time zone',
        text: 'start: 2024-03-01T00:00\nend: +1d\n',
        issues: [
          { path: 'name', value: undefined, expected: 'a non-empty name' },
          {
            path: 'start',
            value: '2024-03-01T00:00',
            expected:
              'a time: integer UTC epoch ms or an ISO 8601 date-time with its zone (2024-03-01T00:00:00Z)',
          },
          { path: 'tags', value: undefined, expected: 'a list of tags' },
        ],
      },
      {
        name: 'wrong types and values inside tags and goals, an unknown field',
        text: `${HEAD}seed: -1
tags:
  - id: "a b"
    trafic: 1
    traffic: { ratePerHour: -2, daily: [1, 2] }
    goals: [{ id: g, type: url, conversionRate: 2 }]
`,
        issues: [
          { path: 'seed', value: -1, expected: 'an integer from 0 to 4294967295' },
          {
            path: 'tags[0].id',
            value: 'a b',
            expected:
              'a string of 1 to 256 visible characters (no white space, control or format character, or lone surrogate)',
          },
          {
            path: 'tags[0].traffic.ratePerHour',
            value: -2,
            expected: 'mean hits per hour: a number >= 0',
          },
          {
            path: 'tags[0].traffic.daily',
            value: [1, 2],
            expected: 'exactly 24 weights (one per local hour, 0 to 23)',
          },
          {
            path: 'tags[0].goals[0].type',
            value: 'url',
            expected:
              'one of Url, Duration, PagesViewedPerVisit, Event, AppInstall, OfflineConversion, InStoreTransaction',
          },
          {
            path: 'tags[0].goals[0].conversionRate',
            value: 2,
            expected: 'a probability from 0 to 1',
          },
          {
            path: 'tags[0].trafic',
            value: 1,
            expected: 'a known field name (this one is unknown; check its spelling)',
          },
        ],
      },
      {
        name: 'times outside the horizon, in an outage, before installation or attachment, duplicate ids',
        text: `${HEAD}tags:
  - id: a
    installedAt: +1h
    hits: [+15d, +2h, +30m]
    outages: [{ from: +90m, to: +3h }]
  - id: a
    goals:
      - { id: g, type: Url, attachedAt: +2h, conversions: [+1h], conversionsPerHour: 1 }
      - { id: g, type: AppInstall }
`,
        issues: [
          {
            path: 'tags[0].hits[0]',
            value: '+15d',
            expected: 'a time within the horizon [start, end)',
          },
          { path: 'tags[0].hits[1]', value: '+2h', expected: 'a time outside every outage' },
          {
            path: 'tags[0].hits[2]',
            value: '+30m',
            expected: 'a time at or after the tag is installed (installedAt)',
          },
          { path: 'tags[1].id', value: 'a', expected: 'a tag id not used by another tag' },
          {
            path: 'tags[1].goals[0].conversions[0]',
            value: '+1h',
            expected: "a time at or after the goal's attachedAt",
          },
          {
            path: 'tags[1].goals[0].conversionsPerHour',
            value: 1,
            expected:
              "no conversionsPerHour for a Url goal: its conversions come through the tag's hits, so give conversionRate",
          },
          {
            path: 'tags[1].goals[1].id',
            value: 'g',
            expected: 'a goal id not used by another goal of the tag',
          },
        ],
      },
      {
        name: 'an end before the start, intervals the wrong way round or overlapping',
        text: `name: test
start: 2024-03-01T00:00:00Z
end: 2024-02-01T00:00:00Z
tags:
  - id: a
    outages: [{ from: 1709251200000, to: 1709251200000 }]
    accessLost: [{ from: 1709251200000 }, { from: 1709251200001, to: 1709251200002 }]
    randomOutages: { perWeek: 1, minDuration: 2h, maxDuration: 1h }
`,
        issues: [
          { path: 'end', value: '2024-02-01T00:00:00Z', expected: 'a time after start' },
          { path: 'tags[0].outages[0].to', value: 1709251200000, expected: 'a time after from' },
          {
            path: 'tags[0].randomOutages.maxDuration',
            value: '1h',
            expected: 'a duration at least minDuration',
          },
          {
            path: 'tags[0].accessLost[1].from',
            value: 1709251200001,
            expected:
              'a time after the previous interval ends (intervals in order, not overlapping)',
          },
        ],
      },
      {
        name: 'YAML that does not parse, with line and column',
        text: 'name: x\ntags: [1,\nb: :\n',
        issues: [
          {
            path: 'line 3, column 1',
            value: 'b: :',
            expected:
              'YAML (Flow sequence in block collection must be sufficiently indented and end with a ])',
          },
          {
            path: 'line 3, column 4',
            value: 'b: :',
            expected: 'YAML (Nested mappings are not allowed in compact mappings)',
          },
        ],
      },
      {
        name: 'JSON that does not parse',
        format: 'json',
        text: '{"name": "x",}',
        issues: [
          {
            path: 'scenario',
            value: '{"name": "x",}',
            expected: `JSON (${jsonErrorOf('{"name": "x",}')})`,
          },
        ],
      },
      {
        name: 'a document that is not an object',
        text: '- 1\n- 2\n',
        issues: [
          {
            path: 'scenario',
            value: [1, 2],
            expected: 'a scenario object { name, start, end, tags, ... }',
          },
        ],
      },
    ];

  for (const c of cases) {
    it(c.name, () => {
      expect(issuesOf(c.text, c.format)).toEqual(c.issues);
    });
  }

  it('the error message lists every issue, one per line', () => {
    expect(() => parseScenario(`${HEAD}seed: x\ntags: []\n`, 'yaml', 'bad.yaml')).toThrow(
      [
        'bad.yaml: invalid scenario (2 issues)',
        '  seed: "x" is not valid: expected an integer from 0 to 4294967295',
        '  tags: [] is not valid: expected a list of at least one tag',
      ].join('\n'),
    );
  });
});

describe('loadScenario', () => {
  it('reads .json, .yaml and .yml files and refuses other names and missing files', async () => {
    const folder = await mkdtemp(path.join(tmpdir(), 'uet-scenario-'));
    const yaml = `${HEAD}tags: [{ id: shop }]\n`;
    await writeFile(path.join(folder, 'a.yml'), yaml);
    await writeFile(path.join(folder, 'a.txt'), yaml);
    expect((await loadScenario(path.join(folder, 'a.yml'))).tags[0]?.id).toBe('shop');
    await expect(loadScenario(path.join(folder, 'a.txt'))).rejects.toThrow(
      `${path.join(folder, 'a.txt')}: invalid scenario (1 issue)\n  file: "${path.join(folder, 'a.txt')}" is not valid: expected a file name ending in .json, .yaml or .yml`,
    );
    await expect(loadScenario(path.join(folder, 'missing.json'))).rejects.toThrow(
      'expected a readable file (ENOENT)',
    );
  });
});
