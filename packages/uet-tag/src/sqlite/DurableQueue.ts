/**
 * Holds what may go out only once the commits before it are durable (status changes,
 * acknowledgements), for a store whose commits return before the disk has them
 * (`deferSync`), and lets it out in the order it came once a sync asked for after it has
 * resolved. Everything pushed in one turn of the event loop shares one ask. Syncs that
 * overlap may resolve out of order; a later one covers everything before it, so the order
 * out is always the order in.
 *
 * @example
 * ```ts
 * const lines = new DurableQueue(() => store.sync(), (line: string) => process.stdout.write(line), fail);
 * monitor.apply(inputs);
 * lines.push('{"kind":"ack","line":42}\n'); // written once the commit is on disk
 * ```
 */
export class DurableQueue<T> {
  /** Items not let out yet, from `head` on. */
  private items: T[] = [];
  private head = 0;
  /** How many items were ever pushed, and let out. */
  private pushed = 0;
  private delivered = 0;
  private asking = false;
  /** The last ask's release: once it settles, everything pushed before that ask is out. */
  private last: Promise<void> = Promise.resolve();

  /**
   * @param durable Resolves once every commit made before the call is durable.
   * @param deliver Lets one item out.
   * @param failed Told when a sync fails (the items stay held) or `deliver` throws.
   */
  constructor(
    private readonly durable: () => Promise<void>,
    private readonly deliver: (item: T) => void,
    private readonly failed: (error: unknown) => void,
  ) {}

  /** The oldest item still held, if any. */
  get oldest(): T | undefined {
    return this.items[this.head];
  }

  /** How many items are held. */
  get size(): number {
    return this.pushed - this.delivered;
  }

  /** Holds an item that follows a commit made already, until that commit is durable. */
  push(item: T): void {
    this.items.push(item);
    this.pushed += 1;
    if (this.asking) return;
    this.asking = true;
    queueMicrotask(() => this.ask());
  }

  /**
   * Resolves once everything pushed so far is let out, or its sync failed (told to
   * `failed`): call it before the store closes.
   */
  drain(): Promise<void> {
    this.ask();
    return this.last;
  }

  private ask(): void {
    if (!this.asking) return;
    this.asking = false;
    const through = this.pushed;
    this.last = this.durable().then(
      () => this.release(through),
      (error: unknown) => this.failed(error),
    );
  }

  /** Lets out, in order, every item up to the `through`-th pushed. */
  private release(through: number): void {
    while (this.delivered < through) {
      const item = this.items[this.head] as T;
      this.head += 1;
      this.delivered += 1;
      try {
        this.deliver(item);
      } catch (error) {
        this.failed(error);
      }
    }
    if (this.head === this.items.length || this.head > 4_096) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}
