import { statusChange } from 'uet-tag-status';
import { describe, expect, it } from 'vitest';
import {
  renderTimelineSvg,
  STATUS_COLOURS,
  timelineChartSpec,
} from '../packages/uet-tag/src/chart/timelineChart.js';
import { buildTimeline } from '../packages/uet-tag/src/timelines/timeline.js';

const HOUR = 3_600_000;
const tag = buildTimeline(
  { tagId: 'shop' },
  'Unverified',
  0,
  [
    statusChange({
      kind: 'tag',
      tagId: 'shop',
      from: 'Unverified',
      to: 'Active',
      effectiveAt: 0,
      noticedAt: 0,
    }),
    statusChange({
      kind: 'tag',
      tagId: 'shop',
      from: 'Active',
      to: 'Inactive',
      effectiveAt: 30 * HOUR,
      noticedAt: 30 * HOUR,
    }),
  ],
  48 * HOUR,
);
const goal = buildTimeline(
  { tagId: 'shop', goalId: 'signup', goalType: 'Url' },
  'TagUnverified',
  0,
  [
    statusChange({
      kind: 'goal',
      tagId: 'shop',
      goalId: 'signup',
      from: 'TagUnverified',
      to: 'RecordingConversions',
      effectiveAt: 0,
      noticedAt: 0,
    }),
    statusChange({
      kind: 'goal',
      tagId: 'shop',
      goalId: 'signup',
      from: 'RecordingConversions',
      to: 'TagInactive',
      effectiveAt: 30 * HOUR,
      noticedAt: 30 * HOUR,
    }),
  ],
  48 * HOUR,
);

describe('timelineChartSpec', () => {
  it('has one bar per interval of non-zero length, one band per tag and goal in order, and only the statuses that occur in the legend', () => {
    const spec = timelineChartSpec([tag, goal], { title: 'Shop' }) as unknown as {
      title: string;
      data: { values: unknown[] };
      encoding: { y: { sort: string[] }; color: { scale: { domain: string[]; range: string[] } } };
    };
    expect(spec.title).toBe('Shop');
    expect(spec.data.values).toEqual([
      { band: 'shop', status: 'Active', from: 0, to: 30 * HOUR },
      { band: 'shop', status: 'Inactive', from: 30 * HOUR, to: 48 * HOUR },
      { band: 'shop/signup', status: 'RecordingConversions', from: 0, to: 30 * HOUR },
      { band: 'shop/signup', status: 'TagInactive', from: 30 * HOUR, to: 48 * HOUR },
    ]);
    expect(spec.encoding.y.sort).toEqual(['shop', 'shop/signup']);
    expect(spec.encoding.color.scale).toEqual({
      domain: ['Active', 'Inactive', 'RecordingConversions', 'TagInactive'],
      range: [
        STATUS_COLOURS.Active,
        STATUS_COLOURS.Inactive,
        STATUS_COLOURS.RecordingConversions,
        STATUS_COLOURS.TagInactive,
      ],
    });
  });
});

describe('renderTimelineSvg', () => {
  it('renders headless: a bar per interval in its status colour, band labels, a UTC time axis and a legend', async () => {
    const svg = await renderTimelineSvg([tag, goal], { title: 'Shop' });
    expect(svg.startsWith('<svg')).toBe(true);
    const bars = [
      ...svg.matchAll(/aria-roledescription="bar" d="[^"]*" fill="(#[0-9a-f]{6})"/g),
    ].map((m) => m[1]);
    expect(bars).toEqual([
      STATUS_COLOURS.Active,
      STATUS_COLOURS.Inactive,
      STATUS_COLOURS.RecordingConversions,
      STATUS_COLOURS.TagInactive,
    ]);
    for (const text of [
      '>Shop<',
      '>shop<',
      '>shop/signup<',
      '>time (UTC)<',
      '>status<',
      '>RecordingConversions<',
      '>1970-01-02 00:00<',
    ]) {
      expect(svg).toContain(text);
    }
  });
});
