import type { TagMonitor } from 'uet-tag-status';
import type { ChangeFeed } from './ChangeFeed.js';
import type { GroupCommitter } from './GroupCommitter.js';
import type { ServiceMetrics } from './ServiceMetrics.js';
import type { ServiceConfig } from './serviceConfig.js';

/** What the service's routes share: its configuration, monitor, commits, feed and metrics. */
export interface ServiceContext {
  readonly config: ServiceConfig;
  readonly monitor: TagMonitor;
  readonly committer: GroupCommitter;
  readonly feed: ChangeFeed;
  readonly metrics: ServiceMetrics;
  /** Whether the service takes traffic: false once it is shutting down or its store failed. */
  ready(): boolean;
}
