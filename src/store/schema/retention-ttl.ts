/**
 * Retention → table TTL, written as the collector's exporter writes it
 * (`internal.GenerateTTLExpr`): the largest whole unit among days, hours, minutes and seconds, so
 * `7 days` is `toIntervalDay(7)` and the TTL clause of our tables matches the exporter's.
 */

export const SECONDS_PER_DAY = 86_400;

/** Tracehouse's default retention (`--retention`): 7 days. */
export const DEFAULT_RETENTION_SECONDS = 7 * SECONDS_PER_DAY;

/** Checks a retention in whole seconds; 0 means keep forever (no TTL), as for the exporter. */
export function checkRetention(seconds: number): number {
  if (!Number.isSafeInteger(seconds) || seconds < 0) {
    throw new RangeError(`retention must be a whole number of seconds ≥ 0, got ${seconds}`);
  }
  return seconds;
}

/** `field + toIntervalDay(n)` (or Hour, Minute, Second), or undefined for no TTL. */
export function ttlExpression(field: string, retentionSeconds: number): string | undefined {
  const seconds = checkRetention(retentionSeconds);
  if (seconds === 0) return undefined;
  for (const [unit, size] of [
    ['Day', SECONDS_PER_DAY],
    ['Hour', 3600],
    ['Minute', 60],
  ] as const) {
    if (seconds % size === 0) return `${field} + toInterval${unit}(${seconds / size})`;
  }
  return `${field} + toIntervalSecond(${seconds})`;
}
