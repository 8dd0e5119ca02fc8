import { Gauge, type Registry } from 'prom-client';
import { ConversionGoalTrackingStatus, UetTagTrackingStatus } from 'uet-tag-status';
import type { StatusCounts } from './statusCounts.js';

/**
 * The gauges every service node with a view of the tags has, under the same names so that
 * dashboards and alerts work on either: `uet_tag_tags` and `uet_tag_goals` (per `status`,
 * read at each scrape from `counts`) and `uet_tag_sse_clients` (clients of `GET /changes`).
 *
 * @example
 * ```ts
 * registerStatusGauges([registry], () => summarizeCluster(pool), () => feed.size);
 * ```
 */
export function registerStatusGauges(
  registers: Registry[],
  counts: () => StatusCounts | Promise<StatusCounts>,
  feedSize: () => number,
): void {
  new Gauge({
    name: 'uet_tag_tags',
    help: 'Tags per tracking status',
    labelNames: ['status'],
    registers,
    async collect() {
      const { tags } = await counts();
      for (const status of Object.values(UetTagTrackingStatus)) {
        this.set({ status }, tags[status] ?? 0);
      }
    },
  });
  new Gauge({
    name: 'uet_tag_goals',
    help: 'Conversion goals per tracking status',
    labelNames: ['status'],
    registers,
    async collect() {
      const { goals } = await counts();
      for (const status of Object.values(ConversionGoalTrackingStatus)) {
        this.set({ status }, goals[status] ?? 0);
      }
    },
  });
  new Gauge({
    name: 'uet_tag_sse_clients',
    help: 'Clients connected to GET /changes',
    registers,
    collect() {
      this.set(feedSize());
    },
  });
}

/** When a tag turns Inactive if nothing arrives (UTC epoch ms). */
export interface TagDeadline {
  readonly tagId: string;
  readonly deadline: number;
}

/**
 * The per-tag gauge `uet_tag_next_deadline_seconds` (asked for with `metricsPerTag`: one
 * series per Active tag), read at each scrape from `deadlines`.
 *
 * @example
 * ```ts
 * registerDeadlineGauge([registry], () => [{ tagId: '26000001', deadline: 1767225600000 }]);
 * ```
 */
export function registerDeadlineGauge(
  registers: Registry[],
  deadlines: () => Iterable<TagDeadline> | Promise<Iterable<TagDeadline>>,
): void {
  new Gauge({
    name: 'uet_tag_next_deadline_seconds',
    help: 'When an Active tag turns Inactive if nothing arrives, UTC epoch seconds (Active tags only)',
    labelNames: ['tag_id'],
    registers,
    async collect() {
      const found = await deadlines();
      this.reset();
      for (const { tagId, deadline } of found) this.set({ tag_id: tagId }, deadline / 1000);
    },
  });
}
