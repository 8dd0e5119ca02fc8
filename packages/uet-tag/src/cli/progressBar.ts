import { SingleBar } from 'cli-progress';
import type { CliIo } from './cliIo.js';

/** A progress bar that is only drawn on a terminal. */
export interface Progress {
  /** Shows `done` out of `total` (just `done` when the total is not known, as for a pipe). */
  update(done: number, total: number | undefined): void;
  /** Removes the bar. */
  stop(): void;
}

/**
 * A progress bar on stderr when stderr is a terminal; when it is piped or redirected,
 * nothing is drawn (so logs and scripts see no control characters).
 *
 * @example
 * ```ts
 * const progress = createProgress(io, 'replay');
 * progress.update(512, 1024);
 * progress.stop();
 * ```
 */
export function createProgress(io: CliIo, label: string): Progress {
  if (io.stderr.isTTY !== true) return { update: () => {}, stop: () => {} };
  let bar: SingleBar | undefined;
  return {
    update(done, total) {
      if (bar === undefined) {
        bar = new SingleBar({
          format:
            total === undefined
              ? `${label} {value} read`
              : `${label} [{bar}] {percentage}% | {value}/{total}`,
          stream: io.stderr as NodeJS.WritableStream,
          hideCursor: true,
          clearOnComplete: true,
        });
        bar.start(total ?? 0, done);
      } else {
        if (total !== undefined) bar.setTotal(total);
        bar.update(done);
      }
    },
    stop() {
      bar?.stop();
    },
  };
}
