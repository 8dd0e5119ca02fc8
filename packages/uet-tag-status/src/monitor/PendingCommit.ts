import type {
  LoggedChange,
  StoreCommit,
  StoredChange,
  StoredMonitorState,
  StoredTag,
} from './store/monitorStore.js';

/**
 * What a monitor changed since its last store commit: activity that changed no status
 * (as tag number + time pairs), tags to rewrite whole, removed tags, and history entries
 * added or dropped. {@link PendingCommit.take} turns it into one {@link StoreCommit}.
 *
 * @example
 * ```ts
 * const pending = new PendingCommit();
 * pending.hit(3, 1_000);
 * pending.take(state, (no) => table.toStored(no)).hits.count; // 1
 * ```
 */
export class PendingCommit {
  private hitTagNos = new Uint32Array(1024);
  private hitAts = new Float64Array(1024);
  private hitCount = 0;
  private dirtyFlags = new Uint8Array(1024);
  private readonly dirty: number[] = [];
  private removed: number[] = [];
  private changes: StoredChange[] = [];
  private dropped: number[] = [];
  private log: LoggedChange[] = [];

  /** Whether there is nothing to commit. */
  get isEmpty(): boolean {
    return (
      this.hitCount === 0 &&
      this.dirty.length === 0 &&
      this.removed.length === 0 &&
      this.changes.length === 0 &&
      this.dropped.length === 0 &&
      this.log.length === 0
    );
  }

  /** Activity at `at` that only moved the data times of tag `no`. */
  hit(no: number, at: number): void {
    if (this.hitCount === this.hitAts.length) {
      const tagNos = new Uint32Array(this.hitCount * 2);
      tagNos.set(this.hitTagNos);
      const ats = new Float64Array(this.hitCount * 2);
      ats.set(this.hitAts);
      this.hitTagNos = tagNos;
      this.hitAts = ats;
    }
    this.hitTagNos[this.hitCount] = no;
    this.hitAts[this.hitCount] = at;
    this.hitCount += 1;
  }

  /** Tag `no` must be written whole. */
  touch(no: number): void {
    if (no >= this.dirtyFlags.length) {
      const flags = new Uint8Array(Math.max(no + 1, this.dirtyFlags.length * 2));
      flags.set(this.dirtyFlags);
      this.dirtyFlags = flags;
    }
    if (this.dirtyFlags[no] === 1) return;
    this.dirtyFlags[no] = 1;
    this.dirty.push(no);
  }

  /**
   * Tag `no` was removed (its goals and history go with it, also the history it made since
   * the last commit, so that none of it is kept for a tag that reuses the number).
   */
  remove(no: number): void {
    if (no < this.dirtyFlags.length) this.dirtyFlags[no] = 2;
    this.removed.push(no);
    if (this.changes.some((change) => change.tagNo === no)) {
      this.changes = this.changes.filter((change) => change.tagNo !== no);
    }
  }

  /** A change was reported: it goes into the change log, whatever the history keeps. */
  logChange(change: LoggedChange): void {
    this.log.push(change);
  }

  /** A change was reported and kept in history. */
  addChange(change: StoredChange): void {
    this.changes.push(change);
  }

  /** A history entry fell out of its tag's bounded history. */
  dropChange(seq: number): void {
    this.dropped.push(seq);
  }

  /** The commit of everything pending, which is then cleared. */
  take(state: StoredMonitorState, storedTag: (no: number) => StoredTag): StoreCommit {
    const tags: StoredTag[] = [];
    for (const no of this.dirty) {
      if (this.dirtyFlags[no] === 1) tags.push(storedTag(no));
      this.dirtyFlags[no] = 0;
    }
    for (const no of this.removed) this.dirtyFlags[no] = 0;
    const commit: StoreCommit = {
      hits: { count: this.hitCount, tagNos: this.hitTagNos, ats: this.hitAts },
      removedTags: this.removed,
      tags,
      changes: this.changes,
      droppedChanges: this.dropped,
      log: this.log,
      state,
    };
    this.hitCount = 0;
    this.dirty.length = 0;
    this.removed = [];
    this.changes = [];
    this.dropped = [];
    this.log = [];
    return commit;
  }
}
