import { describe, expect, it } from 'vitest';
import { TrackingInputError } from '../packages/uet-tag-status/src/TrackingInputError.js';
import { createConversionMatcher } from '../packages/uet-tag-status/src/uet/createConversionMatcher.js';
import { isAdClick } from '../packages/uet-tag-status/src/uet/isAdClick.js';
import { custom, page, start, urlGoal } from './support/matcherSupport.js';

describe('Url and Event goals (M3, M4)', () => {
  it('M3 a Url goal converts on a pageLoad hit whose page URL matches', () => {
    const { at } = start([urlGoal('thanks', '/thanks')]);
    expect([
      at(0, page('https://contoso.com/thanks')),
      at(1, page('https://contoso.com/cart')),
    ]).toEqual([['thanks'], []]);
  });

  it('M3 custom and other hits never convert a Url goal, even with a matching URL', () => {
    const { at } = start([urlGoal('thanks', '/thanks')]);
    const url = 'https://contoso.com/thanks';
    expect([
      at(0, custom({ pageUrl: url, eventAction: 'x' })),
      at(1, page(url, { eventType: 'pageHide' })),
      at(2, { tagId: '5', eventType: 'pageLoad' }),
    ]).toEqual([[], [], []]);
  });

  it('M4 an Event goal converts on a custom hit meeting all its conditions, never on a pageLoad', () => {
    const { at } = start([
      {
        goalId: 'purchase',
        goalType: 'Event',
        event: {
          action: { operator: 'Equals', expression: 'purchase' },
          value: { operator: 'GreaterThan', value: 0 },
        },
      },
    ]);
    expect([
      at(0, custom({ eventAction: 'PURCHASE', eventValue: 12 })),
      at(1, custom({ eventAction: 'purchase', eventValue: 0 })),
      at(2, custom({ eventAction: 'purchase' })),
      at(3, page('https://contoso.com/', { eventAction: 'purchase', eventValue: 12 })),
    ]).toEqual([['purchase'], [], [], []]);
  });

  it('M1 M2 goals of every operator on one tag come out in attachment order', () => {
    const { at } = start([
      {
        goalId: 'regex',
        goalType: 'Url',
        url: { operator: 'RegularExpression', expression: 'thanks\\.html$' },
      },
      {
        goalId: 'begins',
        goalType: 'Url',
        url: { operator: 'BeginsWith', expression: 'contoso.com/' },
      },
      urlGoal('contains', 'THANKS'),
      {
        goalId: 'equals',
        goalType: 'Url',
        url: { operator: 'Equals', expression: 'https://contoso.com/thanks.html' },
      },
      { goalId: 'pages', goalType: 'PagesViewedPerVisit', minimumPagesViewed: 1 },
      { goalId: 'other', goalType: 'Url', url: { operator: 'Equals', expression: 'contoso.com/' } },
    ]);
    expect(at(0, page('http://www.contoso.com/Thanks.html'))).toEqual([
      'regex',
      'begins',
      'contains',
      'equals',
      'pages',
    ]);
  });

  it('A2 Paused goals never convert, Deleted goals are dropped, tagless goals never convert from a hit', () => {
    const { at } = start([
      urlGoal('paused', '/thanks', { status: 'Paused' }),
      urlGoal('deleted', '/thanks', { status: 'Deleted' }),
      urlGoal('active', '/thanks', { status: 'Active' }),
      { goalId: 'app', goalType: 'AppInstall' },
      urlGoal('default', '/thanks'),
    ]);
    expect(at(0, page('https://contoso.com/thanks'))).toEqual(['active', 'default']);
  });

  it('a hit of a tag without goals converts nothing', () => {
    const { at } = start([urlGoal('thanks', '/thanks')]);
    expect(at(0, page('https://contoso.com/thanks', { tagId: '6' }))).toEqual([]);
  });
});

describe('click attribution (M6)', () => {
  const click = (visitorId: string | undefined) =>
    page('https://contoso.com/?msclkid=7f3a', { visitorId });
  const thanks = (visitorId: string | undefined) =>
    page('https://contoso.com/thanks', { visitorId });

  it('M6 with attribution none, every match converts', () => {
    const { at } = start([urlGoal('thanks', '/thanks')]);
    expect(at(0, thanks('v1'))).toEqual(['thanks']);
  });

  it('M6 with attribution click, a match converts only after an ad click by the same visitor', () => {
    const { at } = start([urlGoal('thanks', '/thanks')], { attribution: 'click' });
    expect([
      at(0, thanks('v1')),
      at(1, click('v2')),
      at(2, thanks('v1')),
      at(3, click('v1')),
      at(4, thanks('v1')),
    ]).toEqual([[], [], [], [], ['thanks']]);
  });

  it("M6 the click must lie within the goal's conversion window before the match", () => {
    const { at } = start(
      [urlGoal('short', '/thanks', { conversionWindowMinutes: 10 }), urlGoal('default', '/thanks')],
      {
        attribution: 'click',
      },
    );
    expect([
      at(0, click('v1')),
      at(9, thanks('v1')),
      at(10, thanks('v1')),
      at(43_199, thanks('v1')),
      at(43_200, thanks('v1')),
    ]).toEqual([[], ['short', 'default'], ['default'], ['default'], []]);
  });

  it('M6 a click counts for conversions on its own hit, including for a visitor without id', () => {
    const { at } = start([urlGoal('landing', 'msclkid')], { attribution: 'click' });
    expect([
      at(0, click('v1')),
      at(1, click(undefined)),
      at(2, page('https://contoso.com/msclkid')),
    ]).toEqual([['landing'], ['landing'], []]);
  });

  it('M6 an msclkid ending in -1 is a click; one ending in -0 (from the cookie) is not', () => {
    const base = { tagId: '5', eventType: 'pageLoad' };
    expect([
      isAdClick({ ...base, clickId: '3f2a9c-1' }),
      isAdClick({ ...base, clickId: '3f2a9c-0' }),
      isAdClick({ ...base, clickId: 'N' }),
      isAdClick({ ...base, pageUrl: 'https://contoso.com/?a=1&MsClkId=ab' }),
      isAdClick({ ...base, pageUrl: 'https://contoso.com/?msclkid=' }),
      isAdClick({ ...base, pageUrl: 'https://contoso.com/?xmsclkid=ab' }),
      isAdClick({ ...base, pageUrl: 'https://contoso.com/#?msclkid=ab' }),
      isAdClick({ ...base, pageUrl: 'https://contoso.com/msclkid=ab' }),
    ]).toEqual([true, false, false, true, false, false, false, false]);
  });

  it('M6 visit goals are credited too, by a click before the hit that reaches their minimum', () => {
    const { at } = start(
      [{ goalId: 'two', goalType: 'PagesViewedPerVisit', minimumPagesViewed: 2 }],
      { attribution: 'click' },
    );
    expect([
      at(0, click('v1')),
      at(1, thanks('v1')),
      at(2, click('v2')),
      at(3, page('/x', { visitorId: 'v3' })),
      at(4, page('/y', { visitorId: 'v3' })),
    ]).toEqual([[], ['two'], [], [], []]);
  });

  it('M6 memory stays bounded: clicks older than the longest window are forgotten', () => {
    const { matcher, at } = start([urlGoal('thanks', '/thanks', { conversionWindowMinutes: 60 })], {
      attribution: 'click',
    });
    for (let visitor = 0; visitor < 1_000; visitor++) at(visitor / 100, click(`v${visitor}`));
    expect(matcher.visitorsWithClicks).toBe(1_000);
    at(61, click('late'));
    expect([matcher.visitorsWithClicks, at(61, thanks('v999'))]).toEqual([900, ['thanks']]);
    at(80, click('later'));
    expect(matcher.visitorsWithClicks).toBe(2);
  });
});

describe('setGoals, removeTag and options', () => {
  it('D4 setGoals refuses a bad goal, naming it by its index, and keeps the goals it had', () => {
    const { matcher, at } = start([urlGoal('thanks', '/thanks')]);
    let error: unknown;
    try {
      matcher.setGoals('5', [
        urlGoal('a', '/a'),
        {
          goalId: 'b',
          goalType: 'Url',
          url: { operator: 'RegularExpression', expression: '\\Ab' },
        },
      ]);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(TrackingInputError);
    expect([(error as TrackingInputError).code, (error as TrackingInputError).field]).toEqual([
      'invalidGoalDefinition',
      'goals[1].url.expression',
    ]);
    expect(at(0, page('https://contoso.com/thanks'))).toEqual(['thanks']);
  });

  it('D4 setGoals refuses two goals with one id, and a bad tag id', () => {
    const matcher = createConversionMatcher();
    expect(() => matcher.setGoals('5', [urlGoal('a', '/a'), urlGoal('a', '/b')])).toThrow(
      expect.objectContaining({ code: 'duplicateGoal', field: 'goals[1].goalId' }),
    );
    expect(() => matcher.setGoals('', [])).toThrow(
      expect.objectContaining({ code: 'invalidId', field: 'tagId' }),
    );
  });

  it('setGoals replaces the goals and keeps the open visits; removeTag forgets both', () => {
    const { matcher, at } = start([
      { goalId: 'two', goalType: 'PagesViewedPerVisit', minimumPagesViewed: 2 },
    ]);
    at(0, page('/a', { visitorId: 'v1' }));
    matcher.setGoals('5', [
      { goalId: 'three', goalType: 'PagesViewedPerVisit', minimumPagesViewed: 3 },
    ]);
    expect([
      at(1, page('/b', { visitorId: 'v1' })),
      at(2, page('/c', { visitorId: 'v1' })),
    ]).toEqual([[], ['three']]);
    matcher.removeTag('5');
    expect([matcher.openVisits, at(3, page('/d', { visitorId: 'v1' }))]).toEqual([0, []]);
  });

  it('D4 match refuses a time that is not epoch milliseconds', () => {
    const { matcher } = start([]);
    expect(() => matcher.match(page('/a'), -1)).toThrow(
      expect.objectContaining({ code: 'invalidTime', field: 'at' }),
    );
  });

  it('refuses unknown options', () => {
    expect(() => createConversionMatcher({ attribution: 'view' as 'click' })).toThrow(
      expect.objectContaining({ code: 'invalidOption', field: 'attribution' }),
    );
    expect(() => createConversionMatcher({ visitTimeoutMs: 0 })).toThrow(
      expect.objectContaining({ code: 'invalidOption', field: 'visitTimeoutMs' }),
    );
  });
});
