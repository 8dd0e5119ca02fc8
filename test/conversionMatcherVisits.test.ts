import { describe, expect, it } from 'vitest';
import { DEFAULT_VISIT_TIMEOUT_MS } from '../packages/uet-tag-status/src/uet/createConversionMatcher.js';
import type { GoalDefinition } from '../packages/uet-tag-status/src/uet/goalDefinition.js';
import { custom, MINUTE, page, start, urlGoal } from './support/matcherSupport.js';

describe('visits: Duration and PagesViewedPerVisit goals (M5)', () => {
  const duration = (goalId: string, seconds: number): GoalDefinition => ({
    goalId,
    goalType: 'Duration',
    minimumDurationSeconds: seconds,
  });
  const pages = (goalId: string, minimum: number): GoalDefinition => ({
    goalId,
    goalType: 'PagesViewedPerVisit',
    minimumPagesViewed: minimum,
  });
  const v = { visitorId: 'v1', sessionId: 's1' };

  it('M5 a Duration goal converts once per visit, on the first hit at which the visit has lasted its minimum', () => {
    const { at } = start([duration('two', 120), duration('five', 300)]);
    expect([
      at(0, page('/a', v)),
      at(1, page('/b', v)),
      at(2, custom({ ...v, eventAction: 'scroll' })),
      at(3, page('/c', v)),
      at(6, page('/d', { ...v, eventType: 'pageHide' })),
      at(7, page('/e', v)),
    ]).toEqual([[], [], ['two'], [], ['five'], []]);
  });

  it('M5 a Duration goal of 0 seconds converts on the first hit of each visit', () => {
    const { at } = start([duration('zero', 0)]);
    expect([at(0, page('/a', v)), at(1, page('/b', v)), at(40, page('/c', v))]).toEqual([
      ['zero'],
      [],
      ['zero'],
    ]);
  });

  it('M5 a hit within the timeout of the previous one continues the visit; a gap of the timeout or more starts a new one', () => {
    const { at } = start([pages('two', 2)]);
    expect([
      at(0, page('/a', v)),
      at(29, page('/b', v)),
      at(59, page('/c', v)),
      at(60, page('/d', v)),
    ]).toEqual([[], ['two'], [], ['two']]);
    expect(DEFAULT_VISIT_TIMEOUT_MS).toBe(30 * MINUTE);
  });

  it('M5 the timeout is an option', () => {
    const { at } = start([pages('two', 2)], { visitTimeoutMs: 5 * MINUTE });
    expect([
      at(0, page('/a', v)),
      at(4, page('/b', v)),
      at(10, page('/c', v)),
      at(11, page('/d', v)),
    ]).toEqual([[], ['two'], [], ['two']]);
  });

  it('M5 a new sessionId starts a new visit; a hit without one continues the visit', () => {
    const { at } = start([pages('two', 2)]);
    expect([
      at(0, page('/a', v)),
      at(1, page('/b', { visitorId: 'v1', sessionId: 's2' })),
      at(2, page('/c', { visitorId: 'v1' })),
      at(3, page('/d', { visitorId: 'v1', sessionId: 's2' })),
    ]).toEqual([[], [], ['two'], []]);
  });

  it('M5 visits are per tag and per visitor', () => {
    const { matcher, at } = start([pages('two', 2)]);
    matcher.setGoals('6', [pages('six', 2)]);
    expect([
      at(0, page('/a', v)),
      at(1, page('/a', { visitorId: 'v2' })),
      at(2, page('/a', { ...v, tagId: '6' })),
      at(3, page('/b', v)),
      at(4, page('/b', { ...v, tagId: '6' })),
    ]).toEqual([[], [], [], ['two'], ['six']]);
  });

  it('M5 a PagesViewedPerVisit goal converts once, on the pageLoad that brings the count to its minimum; other hits are no pages', () => {
    const { at } = start([pages('three', 3), pages('one', 1)]);
    expect([
      at(0, page('/a', v)),
      at(1, custom({ ...v, eventAction: 'click' })),
      at(2, page('/b', v)),
      at(3, page('/b', v)),
      at(4, page('/c', v)),
    ]).toEqual([['one'], [], [], ['three'], []]);
  });

  it('M5 a PagesViewedPerVisit goal of 0 pages converts on the first page of a visit (our decision)', () => {
    const { at } = start([pages('zero', 0)]);
    expect([at(0, custom(v)), at(1, page('/a', v)), at(2, page('/b', v))]).toEqual([
      [],
      ['zero'],
      [],
    ]);
  });

  it('M5 a hit without visitor id is a visit of its own', () => {
    const { at } = start([
      pages('page', 1),
      pages('two', 2),
      duration('zero', 0),
      duration('second', 1),
    ]);
    expect([at(0, page('/a')), at(0.5, page('/b')), at(1, custom({}))]).toEqual([
      ['page', 'zero'],
      ['page', 'zero'],
      ['zero'],
    ]);
  });

  it('M5 a hit arriving late, dated before the latest, still belongs to the visit: durations never go negative', () => {
    const { at } = start([duration('ten', 600), pages('three', 3)]);
    expect([
      at(20, page('/a', v)),
      at(15, page('/b', v)),
      at(25, page('/c', v)),
      at(12, page('/d', v)),
    ]).toEqual([[], [], ['ten', 'three'], []]);
  });

  it('M5 a late hit that moves the start of the visit back can complete a Duration', () => {
    const { at } = start([duration('ten', 600)]);
    expect([at(20, page('/a', v)), at(25, page('/b', v)), at(14, page('/c', v))]).toEqual([
      [],
      [],
      ['ten'],
    ]);
  });

  it('M5 a late hit of a visit already closed, or of an earlier session, counts for no visit goal', () => {
    const { at } = start([duration('zero', 0), pages('one', 1)]);
    expect([
      at(100, page('/a', v)),
      at(60, page('/old', { visitorId: 'v2' })),
      at(99, page('/b', { visitorId: 'v1', sessionId: 's0' })),
    ]).toEqual([['zero', 'one'], [], []]);
  });

  it('M5 memory stays bounded: visits closed by the timeout are forgotten', () => {
    const { matcher, at } = start([duration('long', 3_600)]);
    for (let visitor = 0; visitor < 10_000; visitor++)
      at(visitor / 1_000, page('/a', { visitorId: `v${visitor}` }));
    expect(matcher.openVisits).toBe(10_000);
    at(40, page('/a', { visitorId: 'late' }));
    expect(matcher.openVisits).toBe(1);
  });

  it('M5 visits are swept as hits arrive, without asking for the count', () => {
    const { matcher, at } = start([duration('long', 3_600)]);
    for (let round = 0; round < 20; round++) {
      for (let visitor = 0; visitor < 1_000; visitor++) {
        at(round * 31 + visitor / 1_000, page('/a', { visitorId: `r${round}v${visitor}` }));
      }
    }
    expect(matcher.openVisits).toBe(1_000);
  });

  it('M5 no visits are kept for tags without Duration or PagesViewedPerVisit goals', () => {
    const { matcher, at } = start([urlGoal('thanks', '/thanks')]);
    at(0, page('/a', v));
    expect(matcher.openVisits).toBe(0);
  });
});
