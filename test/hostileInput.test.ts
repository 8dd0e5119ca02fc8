import fs from 'node:fs';
import path from 'node:path';
import { loadAdvertisingObjects } from 'uet-tag/advertising';
import { validateCapiRequestText } from 'uet-tag/capi';
import { parseInputLine } from 'uet-tag/records';
import {
  MAX_SIMULATED_CHANGES,
  parseScenario,
  ScenarioError,
  simulateScenario,
} from 'uet-tag/simulation';
import {
  createTagMonitor,
  createTagRuntime,
  type GoalDefinition,
  MAX_GOALS_PER_TAG,
  TrackingInputError,
} from 'uet-tag-status';
import { describeValue, MAX_ECHOED_LENGTH } from 'uet-tag-status/engine';
import { describe, expect, it } from 'vitest';
import { useCliScratch } from './support/cliScratch.js';

/*
 * Hostile input (issue Reliability, items 4, 6, 7 and 9): one line nested thousands deep,
 * thousands of goals on one tag, rates and weights at the edge of floating point, an
 * exponential YAML document, a reader that closes stdout. Each gets a clear, typed error
 * naming its field (or is handled as it should be), and nothing else of the input is lost.
 */

const { dir: scratch, bash } = useCliScratch('uet-hostile-');

const HOUR = 3_600_000;
const deeply = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const goals = (count: number): GoalDefinition[] =>
  Array.from({ length: count }, (_, index) => ({ goalId: `g${index}`, goalType: 'Url' }));

describe('a line nested thousands deep', () => {
  it('D3 uet-tag monitor rejects it with its field named and a bounded message, and applies the lines around it', () => {
    const at = Date.now() - HOUR;
    fs.writeFileSync(
      path.join(scratch, 'deep.ndjson'),
      [
        JSON.stringify({ kind: 'registerTag', tagId: 'before', at }),
        `{"kind":"registerTag","tagId":"x","at":${at},"junk":${deeply(100_000)}}`,
        `{"kind":"registerTag","tagId":${deeply(100_000)},"at":${at}}`,
        JSON.stringify({ kind: 'activity', tagId: 'before', at }),
      ].join('\n'),
    );
    const result = bash('node "$CLI" monitor --memory < deep.ndjson');
    expect(result.status).toBe(0);
    const errors = result.stderr.trim().split('\n');
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/^line 2: junk: \[\[\[.*… is not valid: expected a known field name/);
    expect(errors[1]).toMatch(/^line 3: tagId: \[\[\[.*… is not valid: expected a string/);
    for (const error of errors) expect(error.length).toBeLessThan(400);
    const changes = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(changes).toMatchObject([{ tagId: 'before', from: 'Unverified', to: 'Active' }]);
  }, 30_000);

  it('D3 uet-tag replay counts it as malformed and still prints its whole report', () => {
    const at = Date.now() - HOUR;
    fs.writeFileSync(
      path.join(scratch, 'deep-replay.ndjson'),
      [
        JSON.stringify({ kind: 'activity', tagId: 'shop', at }),
        `{"kind":"activity","tagId":"shop","at":${deeply(100_000)}}`,
      ].join('\n'),
    );
    const result = bash('node "$CLI" replay deep-replay.ndjson --json');
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout) as {
      statistics: { records: number; malformed: number };
    };
    expect(report.statistics).toMatchObject({ records: 1, malformed: 1 });
  }, 30_000);

  it('describeValue echoes a bounded prefix of any value, however large or deep, without recursion trouble', () => {
    const deep = JSON.parse(`{"a":${deeply(200_000)}}`) as unknown;
    expect(describeValue(deep)).toMatch(/^\{"a":\[\[\[+…$/);
    expect(describeValue(deep).length).toBeLessThanOrEqual(MAX_ECHOED_LENGTH + 1);
    const wide = Array.from({ length: 1_000_000 }, (_, index) => index);
    expect(describeValue(wide)).toMatch(/^\[0,1,2,.*…$/);
    expect(describeValue({ b: null, c: [true, 'x'] })).toBe('{"b":null,"c":[true,"x"]}');
  });

  it('A1 API objects, Conversions API bodies and scenarios nested beyond 64 levels are refused, naming where', () => {
    const api = `{"UetTags":[{"Id":"1","Name":"t","Future":${deeply(100)}}]}`;
    expect(() => loadAdvertisingObjects(api, 'tags.json')).toThrow(
      /UetTags\[0\]\.Future(\[0\])+: \[\[.* is not valid: expected arrays and objects nested at most 64 deep/,
    );
    const capi = validateCapiRequestText(`{"data":[{"customData":${deeply(5_000)}}]}`, {
      now: Date.now(),
    });
    expect(capi.status).toBe(400);
    expect(capi.issues[0]).toMatchObject({ propertyName: 'body', errorCode: 'InvalidJson' });
    expect(capi.issues[0]?.errorMessage).toMatch(/nests too deeply at body\.data\[0\]\.customData/);
    expect(() => parseScenario(`tags: ${deeply(200)}`, 'yaml', 'deep.yaml')).toThrow(ScenarioError);
  });
});

describe('goals per tag', () => {
  it(`G1 a tag holds at most ${MAX_GOALS_PER_TAG} goals: the monitor refuses one more with tooManyGoals, and nothing changes`, () => {
    const monitor = createTagMonitor({ clock: { now: () => Date.UTC(2025, 0, 1) } as never });
    monitor.registerTag('shop', { goals: goals(MAX_GOALS_PER_TAG) });
    let error: unknown;
    try {
      monitor.attachGoal('shop', { goalId: 'one-more', goalType: 'Url' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(TrackingInputError);
    expect(error).toMatchObject({
      code: 'tooManyGoals',
      field: 'goalId',
      value: MAX_GOALS_PER_TAG + 1,
    });
    expect(monitor.status('shop').goals).toHaveLength(MAX_GOALS_PER_TAG);
    expect(() => monitor.registerTag('big', { goals: goals(MAX_GOALS_PER_TAG + 1) })).toThrow(
      expect.objectContaining({ code: 'tooManyGoals', field: 'goals' }),
    );
    expect([...monitor.statuses()].map((status) => status.tagId)).toEqual(['shop']);
    monitor.close();
  });

  it('G1 the timed runtime refuses the goal beyond the limit the same way', () => {
    const runtime = createTagRuntime({ tagId: 'shop' });
    for (const goal of goals(MAX_GOALS_PER_TAG)) runtime.attachGoal(goal);
    expect(() => runtime.attachGoal({ goalId: 'extra', goalType: 'Url' })).toThrow(
      expect.objectContaining({ code: 'tooManyGoals' }),
    );
    runtime.stop();
  });

  it('D3 a registerTag record with 8,000 goals gets one short error naming goals, quickly, and the next line applies', () => {
    const at = Date.now() - HOUR;
    fs.writeFileSync(
      path.join(scratch, 'goals.ndjson'),
      [
        JSON.stringify({ kind: 'registerTag', tagId: 'huge', at, goals: goals(8_000) }),
        JSON.stringify({ kind: 'registerTag', tagId: 'fine', at, goals: goals(3) }),
      ].join('\n'),
    );
    const started = Date.now();
    const result = bash('node "$CLI" monitor --memory < goals.ndjson');
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(result.stderr).toMatch(
      /^line 1: goals: \[\{"goalId":"g0".*… is not valid: expected a list of at most 1000 goals\n$/,
    );
    expect(result.stderr.length).toBeLessThan(400);
    expect(result.status).toBe(0);
  }, 40_000);

  it('D3 a record with thousands of bad goals lists the first ten problems and counts the rest', () => {
    const bad = Array.from({ length: 500 }, (_, index) => ({ id: `g${index}` }));
    const result = parseInputLine(JSON.stringify({ kind: 'registerTag', tagId: 't', goals: bad }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.length).toBeGreaterThan(500);
    expect(result.message.match(/ is not valid: | missing: /g)).toHaveLength(10);
    expect(result.message).toMatch(/; and \d+ more problems$/);
  });

  it('D3 uet-tag replay refuses the conversion that would attach goal 1,001, and keeps the other records', () => {
    const at = Date.now() - 2 * HOUR;
    const records = Array.from({ length: MAX_GOALS_PER_TAG + 1 }, (_, index) =>
      JSON.stringify({
        kind: 'conversion',
        tagId: 't',
        goalId: `g${index}`,
        goalType: 'Url',
        at: at + index,
      }),
    );
    fs.writeFileSync(path.join(scratch, 'many-goals.ndjson'), `${records.join('\n')}\n`);
    const result = bash('node "$CLI" replay many-goals.ndjson --json');
    const report = JSON.parse(result.stdout) as {
      statistics: { records: number; malformed: number };
      timelines: unknown[];
    };
    expect(report.statistics).toMatchObject({ records: MAX_GOALS_PER_TAG + 1, malformed: 1 });
    expect(report.timelines).toHaveLength(1 + MAX_GOALS_PER_TAG);
    expect(result.stderr).toMatch(
      /goalId: "g1000" is not valid: expected at most 1000 goals on one tag/,
    );
  }, 60_000);
});

describe('extreme scenarios', () => {
  const scenario = (traffic: string) =>
    `name: edge\nstart: 2024-03-01T00:00:00Z\nend: 2024-03-02T00:00:00Z\ntags:\n  - id: t\n    traffic: ${traffic}\n`;

  it('a rate whose hits could not move the clock (1e20 per hour) is refused, naming traffic.ratePerHour', () => {
    expect(() => parseScenario(scenario('{ ratePerHour: 1e20 }'), 'yaml')).toThrow(
      /tags\[0\]\.traffic\.ratePerHour: 100000000000000000000 is not valid: expected a rate whose busiest hour/,
    );
    expect(() => parseScenario(scenario('{ ratePerHour: 1e9 }'), 'yaml')).not.toThrow();
  });

  it('daily weights of 1e308 are read as relative weights, not as NaN rates that give no hits', () => {
    const huge = [1e308, 1e308, ...new Array<number>(22).fill(0)];
    const unit = [1, 1, ...new Array<number>(22).fill(0)];
    const hitsWith = (daily: number[]) =>
      simulateScenario(
        parseScenario(scenario(`{ ratePerHour: 10, daily: [${daily.join(',')}] }`), 'yaml'),
      ).inputs.hits;
    expect(hitsWith(huge)).toBeGreaterThan(100);
    expect(hitsWith(huge)).toBe(hitsWith(unit));
  });

  it('R4 R5 one tag flapping 150,000 times (1 ms windows) keeps every change and interval: no stack overflow', () => {
    const flapping = parseScenario(
      'name: flap\nstart: 2024-03-01T00:00:00Z\nend: 2024-03-01T03:00:00Z\nwindows: { activity: 1ms, conversion: 1ms }\ntags:\n  - id: t\n    traffic: { ratePerHour: 25000 }\n',
      'yaml',
    );
    const result = simulateScenario(flapping);
    expect(result.changes.length).toBeGreaterThan(120_000);
    expect(result.timelines[0]?.intervals).toHaveLength(result.changes.length + 1);
  }, 60_000);

  it('a run that would keep more status changes than its limit stops with a scenario error, not out of memory', () => {
    const flapping = parseScenario(
      'name: flap\nstart: 2024-03-01T00:00:00Z\nend: 2024-03-01T01:00:00Z\nwindows: { activity: 1ms, conversion: 1ms }\ntags:\n  - id: t\n    traffic: { ratePerHour: 25000 }\n',
      'yaml',
    );
    expect(() => simulateScenario(flapping, { changeLimit: 1_000 })).toThrow(
      /scenario: "flap" is not valid: expected a scenario whose run makes at most 1000 status changes/,
    );
    expect(MAX_SIMULATED_CHANGES).toBe(10_000_000);
  });

  it('a billion-laughs YAML document is a scenario error naming its aliases, not an internal error', () => {
    const rows = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (const [index, name] of ['b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'].entries()) {
      const previous = String.fromCharCode(97 + index);
      rows.push(`${name}: &${name} [${new Array(9).fill(`*${previous}`).join(',')}]`);
    }
    expect(() => parseScenario(rows.join('\n'), 'yaml', 'laughs.yaml')).toThrow(
      /laughs\.yaml: invalid scenario \(1 issue\)\n {2}scenario: .* is not valid: expected YAML whose aliases/,
    );
  });

  it('--runs beyond 100,000 is refused as an argument, before any run', () => {
    const result = bash('node "$CLI" simulate nothing.yaml --runs 100001');
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/--runs <n>.*expected an integer from 1 to 100000/);
  }, 30_000);
});

describe('a closed stdout', () => {
  it('uet-tag monitor --ack | head -1 after the input ended: exit 0 and no EPIPE stack trace', () => {
    const at = Date.now() - HOUR;
    const records = Array.from({ length: 3_000 }, (_, index) =>
      JSON.stringify({ kind: 'activity', tagId: `t${index % 7}`, at: at + index }),
    );
    fs.writeFileSync(path.join(scratch, 'acks.ndjson'), `${records.join('\n')}\n`);
    const result = bash(
      'node "$CLI" monitor --memory --auto-register --ack --batch-size 1 < acks.ndjson | head -1',
    );
    expect(result.stdout).toBe('{"kind":"ack","line":0,"offset":0}\n');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  }, 30_000);
});
