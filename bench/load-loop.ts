import { quantile } from './stats.js';

export interface LoadLoopOptions {
  concurrency: number;
  durationMs: number;
  maxRequests: number;
  /** After a refused request, the worker waits this long before it sends again; 0: at once. */
  refusedBackoffMs?: number;
}

export interface LoadLoopResult {
  ok: number;
  failed: number;
  firstError: string;
  elapsedMs: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  latencyMaxMs: number;
}

/**
 * Keeps `concurrency` requests in flight, cycling through `payloads`, until `durationMs` has
 * passed or `maxRequests` have been sent, then waits for those in flight. Latency is per
 * request, from the call to `send` until it settles.
 */
export async function runLoadLoop(
  send: (payload: Buffer) => Promise<void>,
  payloads: readonly Buffer[],
  options: LoadLoopOptions,
): Promise<LoadLoopResult> {
  const latencies = new Float64Array(options.maxRequests);
  let issued = 0;
  let ok = 0;
  let failed = 0;
  let firstError = '';
  const start = performance.now();
  const deadline = start + options.durationMs;
  const worker = async (): Promise<void> => {
    while (issued < options.maxRequests && performance.now() < deadline) {
      const index = issued++ % payloads.length;
      const sent = performance.now();
      try {
        await send(payloads[index]);
        latencies[ok++] = performance.now() - sent;
      } catch (error) {
        failed++;
        if (firstError === '') firstError = error instanceof Error ? error.message : String(error);
        if (options.refusedBackoffMs)
          await new Promise((resolve) => setTimeout(resolve, options.refusedBackoffMs));
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const done = latencies.subarray(0, ok);
  return {
    ok,
    failed,
    firstError,
    elapsedMs: performance.now() - start,
    latencyP50Ms: quantile(done, 0.5),
    latencyP99Ms: quantile(done, 0.99),
    latencyMaxMs: quantile(done, 1),
  };
}
