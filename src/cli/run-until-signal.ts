import type { Logger } from '../logging/logger.js';

/**
 * Runs until SIGINT/SIGTERM, then drains with `stop` and resolves 0; a second signal exits at
 * once with 1 (shared by `start` and `collector`).
 */
export function runUntilSignal(stop: () => Promise<void>, logger: Logger): Promise<number> {
  return new Promise<number>((resolve) => {
    let signals = 0;
    const onSignal = (signal: NodeJS.Signals): void => {
      signals++;
      if (signals > 1) {
        logger.warn({ signal }, 'second signal: exiting without draining');
        resolve(1);
        return;
      }
      logger.info({ signal }, 'shutting down: draining accepted requests');
      void stop().then(() => {
        logger.info('stopped');
        resolve(0);
      });
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
