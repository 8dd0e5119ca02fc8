import type { TrackingWindows } from '../windows.js';
import type { ChangeReporter } from './ChangeReporter.js';
import type { GoalMatching } from './GoalMatching.js';
import type { HeldActivity } from './HeldActivity.js';
import type { PendingCommit } from './PendingCommit.js';
import type { SilenceScheduler } from './SilenceScheduler.js';
import type { TagTable } from './TagTable.js';

/** What a monitor's `InputApplier` and `SilenceApplier` work on: the parts of one monitor. */
export interface MonitorParts {
  readonly table: TagTable;
  readonly scheduler: SilenceScheduler;
  readonly reporter: ChangeReporter;
  readonly held: HeldActivity;
  readonly matching: GoalMatching;
  readonly pending: PendingCommit | undefined;
  readonly allowedSkewMs: number;
  /** Whether inputs of unknown tags and goals register them (see `TagMonitorOptions`). */
  readonly autoRegister: boolean;
  /** The windows in force (the store's, when there is one). */
  readonly windows: TrackingWindows;
}
