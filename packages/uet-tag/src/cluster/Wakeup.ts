/**
 * A wake-up call for a loop that waits for work: `wait` resolves at the next `wake` or
 * after a timeout; a `wake` with nobody waiting is kept for the next `wait`.
 */
export class Wakeup {
  private pending = false;
  private resolve: (() => void) | undefined;

  /** Wakes the waiting loop, or the next one to wait. */
  wake(): void {
    if (this.resolve === undefined) {
      this.pending = true;
      return;
    }
    const resolve = this.resolve;
    this.resolve = undefined;
    resolve();
  }

  /** Resolves at the next wake-up, or after `timeoutMs`. */
  wait(timeoutMs: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.resolve = undefined;
        resolve();
      }, timeoutMs);
      this.resolve = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
