export type { TimelineChartOptions } from './timelineChart.js';
export {
  renderTimelineSvg,
  STATUS_COLOURS,
  timelineChartSpec,
} from './timelineChart.js';
