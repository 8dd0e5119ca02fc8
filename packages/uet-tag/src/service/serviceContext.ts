import type { Registry } from 'prom-client';
import type { TagMonitor } from 'uet-tag-status';
import type { ChangeFeed } from './ChangeFeed.js';
import type { InputCounters } from './InputCounters.js';
import type { InputSink } from './InputSink.js';
import type { ServiceMetrics } from './ServiceMetrics.js';
import type { ServiceConfig } from './serviceConfig.js';

/** The input counters the input endpoints keep, and the registry `/metrics` writes. */
export interface InputMetrics {
  readonly registry: Registry;
  readonly inputs: InputCounters;
}

/**
 * What the input endpoints (`POST /inputs`, the collector, the Conversions API) share: the
 * configuration, where inputs go, and the input metrics.
 */
export interface IngestContext {
  readonly config: ServiceConfig;
  readonly sink: InputSink;
  readonly metrics: InputMetrics;
}

/** What the service's routes share: its configuration, monitor, commits, feed and metrics. */
export interface ServiceContext extends IngestContext {
  readonly monitor: TagMonitor;
  readonly feed: ChangeFeed;
  readonly metrics: ServiceMetrics;
  /** Whether the service takes traffic: false once it is shutting down or its store failed. */
  ready(): boolean;
}
