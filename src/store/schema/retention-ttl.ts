/**
 * Retention → table TTL, written as the collector's exporter writes it
 * (`internal.GenerateTTLExpr`): the largest whole unit among days, hours, minutes and seconds, so
 * `7 days` is `toIntervalDay(7)` and the TTL clause of our tables matches the exporter's.
 */

export const SECONDS_PER_DAY = 86_400;

/** Tracehouse's default retention (`--retention`): 7 days. */
export const DEFAULT_RETENTION_SECONDS = 7 * SECONDS_PER_DAY;

/**
 * The longest retention: 50 years. The TTL adds it to a span's `toDateTime(Timestamp)`, and a
 * DateTime past 2106-02-07 wraps around to 1970, so a retention of ~80 years from today expired
 * every span at once.
 */
export const MAX_RETENTION_SECONDS = 18_262 * SECONDS_PER_DAY;

/** Checks a retention in whole seconds; 0 means keep forever (no TTL), as for the exporter. */
export function checkRetention(seconds: number): number {
  if (!Number.isSafeInteger(seconds) || seconds < 0) {
    throw new RangeError(`retention must be a whole number of seconds ≥ 0, got ${seconds}`);
  }
  if (seconds > MAX_RETENTION_SECONDS) throw new RangeError(retentionTooLongMessage());
  return seconds;
}

export function retentionTooLongMessage(): string {
  return (
    `retention of at most ${MAX_RETENTION_SECONDS / SECONDS_PER_DAY}d (50 years): a longer one would ` +
    'expire spans past 2106, the last date ClickHouse keeps a TTL for; 0 keeps spans forever'
  );
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
