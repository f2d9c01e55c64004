import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Sleeps a random time in [0, maxMs): the tutorial's stand-in for real work (a database query, a
 * computation), so the waterfall has spans of varied widths. `maxMs` 0 skips the wait (tests).
 */
export async function randomSleep(maxMs: number): Promise<void> {
  if (maxMs > 0) await sleep(Math.random() * maxMs);
}

/** `EXAMPLE_MAX_SLEEP_MS` (default 100): the longest random pause of each step. */
export function maxSleepFromEnv(env: NodeJS.ProcessEnv): number {
  const raw = env.EXAMPLE_MAX_SLEEP_MS;
  if (raw === undefined || raw.trim() === '') return 100;
  const ms = Number(raw);
  if (!Number.isFinite(ms) || ms < 0)
    throw new Error(`EXAMPLE_MAX_SLEEP_MS="${raw}": expected milliseconds >= 0`);
  return ms;
}
