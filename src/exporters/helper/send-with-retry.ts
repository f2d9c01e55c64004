import { PermanentError, RetryableError } from '../../consumer/errors.js';
import type { RetryConfig } from './exporter-helper-config.js';

/** One attempt at sending; rejects with PermanentError (give up) or anything else (retry). */
export type Send = () => Promise<void>;

/**
 * Retries a send with exponential back-off, as the Collector's retry sender: intervals grow by
 * `multiplier` from `initial_interval` up to `max_interval`, randomised by `randomization_factor`;
 * a RetryableError's `retryAfterMs` (from Retry-After or gRPC RetryInfo) replaces the interval
 * when longer; a PermanentError is not retried; after `max_elapsed_time` the last error stands.
 * `stopped` ends the wait early (shutdown), with the last error.
 */
export async function sendWithRetry(send: Send, config: RetryConfig, stopped: AbortSignal): Promise<void> {
  const started = Date.now();
  let interval = config.initialIntervalMs;
  for (;;) {
    try {
      await send();
      return;
    } catch (error) {
      if (!config.enabled || error instanceof PermanentError || stopped.aborted) throw error;
      const jitter = 1 + config.randomizationFactor * (2 * Math.random() - 1);
      let wait = interval * jitter;
      if (error instanceof RetryableError) wait = Math.max(wait, error.retryAfterMs);
      if (config.maxElapsedTimeMs > 0 && Date.now() - started + wait > config.maxElapsedTimeMs) throw error;
      await sleep(wait, stopped);
      if (stopped.aborted) throw error;
      interval = Math.min(interval * config.multiplier, config.maxIntervalMs);
    }
  }
}

function sleep(ms: number, stopped: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      stopped.removeEventListener('abort', done);
      resolve();
    }
    stopped.addEventListener('abort', done, { once: true });
  });
}
