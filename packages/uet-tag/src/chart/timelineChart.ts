import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { type SubjectTimeline, subjectLabel, type TrackingStatus } from '../timelines/timeline.js';

/**
 * The colour of each status in charts: tag statuses strong, goal statuses distinct.
 *
 * @example
 * ```ts
 * STATUS_COLOURS.Inactive; // '#c62828'
 * ```
 */
export const STATUS_COLOURS: Readonly<Record<TrackingStatus, string>> = {
  Unverified: '#9e9e9e',
  Active: '#2e7d32',
  Inactive: '#c62828',
  TagUnverified: '#cfcfcf',
  RecordingConversions: '#1565c0',
  NoRecentConversions: '#f9a825',
  TagInactive: '#ef9a9a',
  InactiveDueToTagUnavailable: '#6a1b9a',
};

/** Options of {@link timelineChartSpec}. */
export interface TimelineChartOptions {
  /** The chart's title. */
  readonly title?: string;
  /**
   * The plot's width in pixels.
   * @default 900
   */
  readonly width?: number;
}

/**
 * A Vega-Lite specification of a timeline chart: one band per tag and goal (in the given
 * order), each interval a bar coloured by status, a UTC time axis and a legend of the
 * statuses that occur. Zero-length intervals are left out (they have no width).
 *
 * @example
 * ```ts
 * const spec = timelineChartSpec(result.timelines, { title: 'Weekend outage' });
 * ```
 */
export function timelineChartSpec(
  timelines: readonly SubjectTimeline[],
  options: TimelineChartOptions = {},
): TopLevelSpec {
  const values = timelines.flatMap((timeline) =>
    timeline.intervals
      .filter((interval) => interval.to > interval.from)
      .map((interval) => ({
        band: subjectLabel(timeline),
        status: interval.status,
        from: interval.from,
        to: interval.to,
      })),
  );
  const present = new Set(values.map((value) => value.status));
  const statuses = (Object.keys(STATUS_COLOURS) as TrackingStatus[]).filter((status) =>
    present.has(status),
  );
  const bands = timelines.map(subjectLabel);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...(options.title === undefined ? {} : { title: options.title }),
    width: options.width ?? 900,
    height: { step: 28 },
    data: { values },
    mark: { type: 'bar', cornerRadius: 0 },
    encoding: {
      y: { field: 'band', type: 'nominal', sort: bands, title: null },
      x: {
        field: 'from',
        type: 'temporal',
        scale: { type: 'utc' },
        axis: { title: 'time (UTC)', format: '%Y-%m-%d %H:%M', labelAngle: -30 },
      },
      x2: { field: 'to' },
      color: {
        field: 'status',
        type: 'nominal',
        scale: { domain: statuses, range: statuses.map((status) => STATUS_COLOURS[status]) },
        legend: { title: 'status', orient: 'bottom', columns: 4, labelLimit: 320 },
      },
    },
    config: { font: 'sans-serif' },
  };
}

/**
 * Renders a timeline chart as SVG, headless (no browser), with Vega-Lite and Vega.
 *
 * @example
 * ```ts
 * await writeFile('timeline.svg', await renderTimelineSvg(result.timelines, { title: 'Fortnight' }));
 * ```
 */
export async function renderTimelineSvg(
  timelines: readonly SubjectTimeline[],
  options: TimelineChartOptions = {},
): Promise<string> {
  const { spec } = compile(timelineChartSpec(timelines, options));
  const view = new vega.View(vega.parse(spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
