import { MonitorStoreError, TrackingInputError } from 'uet-tag-status';
import { createFrontService } from '../service/createFrontService.js';
import { createService } from '../service/createService.js';
import { ServiceConfigError } from '../service/ServiceConfigError.js';
import { isPostgresUrl, loadServiceConfig } from '../service/serviceConfig.js';
import type { RunningService } from '../service/serviceOptions.js';
import type { CliIo } from './cliIo.js';
import type { ServeEnvironment } from './serveCommand.js';

/**
 * Runs `uet-tag serve` (with the service's modules, loaded only for it), on its own store
 * or, with a `postgresql://` `--db`, as a front of a PostgreSQL cluster: listens until
 * SIGINT or SIGTERM, then closes the service.
 *
 * @example
 * ```ts
 * await runServe(processIo, { signals: process, env: process.env }, undefined, {});
 * ```
 */
export async function runServe(
  io: CliIo,
  environment: ServeEnvironment,
  file: string | undefined,
  flags: Record<string, unknown>,
): Promise<void> {
  // Listened for from the start, so that a signal during startup stops the service once it
  // listens instead of killing the process (the default action until a listener exists).
  let stop = () => {};
  const stopped = new Promise<void>((resolve) => {
    stop = () => {
      environment.signals.off('SIGINT', stop);
      environment.signals.off('SIGTERM', stop);
      resolve();
    };
    environment.signals.once('SIGINT', stop);
    environment.signals.once('SIGTERM', stop);
  });
  let service: RunningService;
  try {
    const config = loadServiceConfig({ file, environment: environment.env, flags });
    const options = { logStream: io.stdout };
    service =
      !config.memory && isPostgresUrl(config.db)
        ? await createFrontService(config, options)
        : await createService(config, options);
    await service.listen();
  } catch (error) {
    stop();
    if (
      error instanceof ServiceConfigError ||
      error instanceof MonitorStoreError ||
      error instanceof TrackingInputError ||
      (error as NodeJS.ErrnoException).code === 'EADDRINUSE'
    ) {
      io.stderr.write(`error: ${(error as Error).message}\n`);
      io.setExitCode(1);
      return;
    }
    throw error;
  }
  await stopped;
  service.app.log.info('shutting down');
  await service.close();
  io.setExitCode(0);
}
