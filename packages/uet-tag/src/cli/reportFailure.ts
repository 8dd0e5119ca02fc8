import { TrackingInputError } from 'uet-tag-status';
import { AdvertisingObjectError } from '../advertising/AdvertisingObjectError.js';
import { HarError } from '../hits/HarError.js';
import { InputError } from '../io/InputError.js';
import { ReplayError } from '../replay/ReplayError.js';
import { ScenarioError } from '../simulation/ScenarioError.js';
import type { CliIo } from './cliIo.js';

/**
 * Reports a failed command on stderr and sets exit code 1: the message alone for
 * expected failures (an invalid scenario, an unreadable file, a rejected input, a file
 * that cannot be written, bad Microsoft Advertising objects, a broken HAR file), the stack
 * for anything else.
 *
 * @example
 * ```ts
 * try { await run(); } catch (error) { reportFailure(io, error); }
 * ```
 */
export function reportFailure(io: CliIo, error: unknown): void {
  io.setExitCode(1);
  if (
    error instanceof ScenarioError ||
    error instanceof ReplayError ||
    error instanceof InputError ||
    error instanceof AdvertisingObjectError ||
    error instanceof HarError ||
    error instanceof TrackingInputError
  ) {
    io.stderr.write(`error: ${error.message}\n`);
    return;
  }
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === 'string' && error instanceof Error) {
    io.stderr.write(`error: ${error.message}\n`);
    return;
  }
  io.stderr.write(`internal error: ${error instanceof Error ? error.stack : String(error)}\n`);
}
