import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createSqliteStore, SCHEMA_VERSION } from '../packages/uet-tag/src/sqlite/index.js';
import {
  createMemoryStore,
  createTagMonitor,
  type GoalDefinition,
  type MonitorStore,
  TrackingInputError,
} from '../packages/uet-tag-status/src/index.js';
import { MINUTE, urlGoal } from './support/matcherSupport.js';
import { simulatedClockAt } from './support/testClocks.js';

/*
 * Hits in the monitor (SPEC U2, M1–M7): a hit is activity of its tag and a conversion of
 * every goal whose definition it matches, in one step; definitions survive a restart.
 */

const T0 = Date.UTC(2025, 3, 1);
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'uet-monitor-hits-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

const thanks = urlGoal('thanks', 'contoso.com/thanks', {
  url: { operator: 'BeginsWith', expression: 'contoso.com/thanks' },
});
const purchase: GoalDefinition = {
  goalId: 'purchase',
  goalType: 'Event',
  event: {
    action: { operator: 'Equals', expression: 'purchase' },
    value: { operator: 'GreaterThan', value: 10 },
  },
};
const beacon = (query: string) => `https://bat.bing.com/action/0?${query}`;
const pageOf = (url: string) => `ti=5&evt=pageLoad&vid=v1&p=${encodeURIComponent(url)}`;

function monitorWith(goals: readonly GoalDefinition[], store?: MonitorStore) {
  const clock = simulatedClockAt(T0);
  const monitor = createTagMonitor({ clock, store });
  if (monitor.size === 0) monitor.registerTag('5', { goals });
  return { clock, monitor };
}

const statuses = (monitor: ReturnType<typeof monitorWith>['monitor']) =>
  Object.fromEntries(monitor.status('5').goals.map((goal) => [goal.goalId, goal.status]));

describe('hits in the monitor', () => {
  it('U2 M3 M7 a page load on a Url goal`s page is activity and a conversion, reported as one step', () => {
    const { monitor } = monitorWith([thanks, purchase]);
    const converted = monitor.recordHit(beacon(pageOf('https://www.contoso.com/thanks?o=1')), T0);
    expect(converted).toEqual(['thanks']);
    expect(monitor.status('5').status).toBe('Active');
    expect(statuses(monitor)).toEqual({
      thanks: 'RecordingConversions',
      purchase: 'NoRecentConversions',
    });
    expect(
      monitor
        .history('5')
        .filter((change) => change.kind === 'goal' && change.goalId === 'thanks')
        .map((change) => [change.from, change.to]),
    ).toEqual([['TagUnverified', 'RecordingConversions']]);
  });

  it('U2 a hit that matches no goal is activity only', () => {
    const { monitor } = monitorWith([thanks]);
    expect(monitor.recordHit(pageOf('https://contoso.com/cart'), T0)).toEqual([]);
    expect(monitor.status('5').status).toBe('Active');
    expect(statuses(monitor)).toEqual({ thanks: 'NoRecentConversions' });
  });

  it('M4 a hit given by its fields converts an Event goal whose conditions all hold', () => {
    const { clock, monitor } = monitorWith([purchase]);
    const hit = { tagId: '5', eventType: 'custom', eventAction: 'PURCHASE', eventValue: 10 };
    expect(monitor.recordHit(hit, T0)).toEqual([]);
    clock.increment(MINUTE);
    expect(monitor.recordHit({ ...hit, eventValue: 10.5 }, T0 + MINUTE)).toEqual(['purchase']);
  });

  it('A2 a Paused goal records no conversion from hits; a Deleted one attached detaches its id', () => {
    const { monitor } = monitorWith([{ ...thanks, status: 'Paused' }]);
    expect(monitor.recordHit(pageOf('https://contoso.com/thanks'), T0)).toEqual([]);
    expect(statuses(monitor)).toEqual({ thanks: 'NoRecentConversions' });
    monitor.attachGoal('5', { ...thanks, status: 'Deleted' });
    expect(monitor.status('5').goals).toEqual([]);
    monitor.attachGoal('5', { ...purchase, status: 'Deleted' });
    expect(monitor.status('5').goals).toEqual([]);
  });

  it('a goal attached with its id and type alone converts only when told, never from hits', () => {
    const { monitor } = monitorWith([{ goalId: 'thanks', goalType: 'Url' }]);
    expect(monitor.recordHit(pageOf('https://contoso.com/thanks'), T0)).toEqual([]);
  });

  it('detached goals and removed tags stop converting', () => {
    const { monitor } = monitorWith([thanks]);
    monitor.detachGoal('5', 'thanks');
    monitor.attachGoal('5', { goalId: 'thanks', goalType: 'Url' });
    expect(monitor.recordHit(pageOf('https://contoso.com/thanks'), T0)).toEqual([]);
    monitor.removeTag('5');
    monitor.registerTag('5');
    expect(monitor.recordHit(pageOf('https://contoso.com/thanks'), T0)).toEqual([]);
  });

  it('M2 a goal whose pattern .NET reads differently is refused, naming the goal and the construct, and nothing is attached', () => {
    const { monitor } = monitorWith([]);
    const bad = {
      goalId: 'g9',
      goalType: 'Url',
      url: { operator: 'RegularExpression', expression: '(?i)thanks' },
    };
    let caught: unknown;
    try {
      monitor.attachGoal('5', bad as GoalDefinition);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(TrackingInputError);
    expect(caught).toMatchObject({ code: 'invalidGoalDefinition', field: 'goal.url.expression' });
    expect((caught as Error).message).toMatch(/goal "g9" uses \(\?i\)/);
    expect(monitor.status('5').goals).toEqual([]);
    expect(() => monitor.registerTag('6', { goals: [thanks, bad as GoalDefinition] })).toThrow(
      /goals\[1\]\.url\.expression/,
    );
    expect(monitor.size).toBe(1);
  });

  it('D4 a bad hit in a batch is rejected naming its field; the other inputs are applied', () => {
    const { monitor } = monitorWith([thanks]);
    const result = monitor.apply([
      { kind: 'hit', at: T0, hit: 'ti=5&evt=custom&ev=ten' },
      { kind: 'hit', at: T0, hit: { tagId: '5', eventType: 'custom', eventValue: Number.NaN } },
      { kind: 'hit', at: T0, hit: '/action/0?evt=pageLoad' },
      { kind: 'hit', at: T0, hit: beacon(pageOf('https://contoso.com/thanks')) },
      { kind: 'hit', at: T0, hit: 'ti=7&evt=pageLoad' },
    ]);
    expect(result.applied).toBe(1);
    expect(result.rejected.map(({ index, error }) => [index, error.code, error.field])).toEqual([
      [0, 'invalidHit', 'ev'],
      [1, 'invalidHit', 'hit.eventValue'],
      [2, 'invalidId', 'ti'],
      [4, 'unknownTag', 'tagId'],
    ]);
    expect(statuses(monitor)).toEqual({ thanks: 'RecordingConversions' });
  });

  it('with autoRegister a hit of an unknown tag registers it', () => {
    const clock = simulatedClockAt(T0);
    const monitor = createTagMonitor({ clock, autoRegister: true });
    expect(monitor.recordHit('ti=77&evt=pageLoad', T0)).toEqual([]);
    expect(monitor.status('77').status).toBe('Active');
  });

  it('M6 with click attribution a match converts only after an ad click of the visitor', () => {
    const clock = simulatedClockAt(T0);
    const monitor = createTagMonitor({ clock, matching: { attribution: 'click' } });
    monitor.registerTag('5', { goals: [thanks] });
    expect(monitor.recordHit(pageOf('https://contoso.com/thanks'), T0)).toEqual([]);
    monitor.recordHit(pageOf('https://contoso.com/?msclkid=abc'), T0);
    expect(monitor.recordHit(pageOf('https://contoso.com/thanks'), T0)).toEqual(['thanks']);
  });

  for (const [name, storeOf] of [
    ['memory', () => createMemoryStore()],
    ['SQLite', () => createSqliteStore({ path: path.join(scratch, `defs-${Date.now()}.db`) })],
  ] as const) {
    it(`D7 goal definitions survive a restart of a monitor with a ${name} store`, () => {
      const store = storeOf();
      const first = monitorWith([thanks, { goalId: 'plain', goalType: 'Url' }], store);
      first.monitor.attachGoal('5', purchase);
      first.monitor.close();
      const second = monitorWith([], store);
      expect(second.monitor.recordHit(pageOf('https://contoso.com/thanks'), T0)).toEqual([
        'thanks',
      ]);
      const hit = { tagId: '5', eventType: 'custom', eventAction: 'purchase', eventValue: 99 };
      expect(second.monitor.recordHit(hit, T0)).toEqual(['purchase']);
      second.monitor.detachGoal('5', 'thanks');
      second.monitor.close();
      const third = monitorWith([], store);
      expect(third.monitor.status('5').goals.map((goal) => goal.goalId)).toEqual([
        'plain',
        'purchase',
      ]);
      expect(third.monitor.recordHit(pageOf('https://contoso.com/thanks'), T0)).toEqual([]);
      expect(third.monitor.recordHit(hit, T0)).toEqual(['purchase']);
      third.monitor.close();
    });
  }

  it('the SQLite store keeps definitions in goal_definitions and refuses one that is not a goal definition of its goal', () => {
    const file = path.join(scratch, 'refused.db');
    const { monitor } = monitorWith([thanks], createSqliteStore({ path: file }));
    monitor.close();
    const db = new Database(file);
    expect(db.prepare('SELECT tag_no, position, definition FROM goal_definitions').all()).toEqual([
      { tag_no: 0, position: 0, definition: JSON.stringify(thanks) },
    ]);
    db.prepare('UPDATE goal_definitions SET definition = ?').run(
      JSON.stringify({ ...thanks, goalId: 'other' }),
    );
    db.close();
    expect(() => createTagMonitor({ store: createSqliteStore({ path: file }) })).toThrow(
      /goal_definitions\.definition.*goal definition of goal "thanks" \(Url\)/,
    );
  });

  it('a file of schema version 2 (no goal definitions) is migrated to the current version once checked, its data intact', () => {
    const file = path.join(scratch, 'version2.db');
    const first = monitorWith(
      [{ goalId: 'plain', goalType: 'Url' }],
      createSqliteStore({ path: file }),
    );
    first.monitor.recordActivity('5', T0);
    first.monitor.close();
    const old = new Database(file);
    old.exec('DROP TABLE goal_definitions; DROP TABLE webhook_cursor; DROP TABLE webhook_outbox');
    old.pragma('user_version = 2');
    old.close();
    const second = monitorWith([], createSqliteStore({ path: file }));
    expect(second.monitor.status('5')).toMatchObject({
      status: 'Active',
      goals: [{ goalId: 'plain' }],
    });
    second.monitor.attachGoal('5', thanks);
    second.monitor.close();
    const migrated = new Database(file, { readonly: true });
    expect(migrated.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(migrated.prepare('SELECT count(*) AS n FROM goal_definitions').get()).toEqual({ n: 1 });
    migrated.close();
  });
});
