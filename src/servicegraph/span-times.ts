const NANOS_PER_SECOND = 1_000_000_000n;

/**
 * Whole seconds of a start time, exactly as ClickHouse floors the stored DateTime64(9). The
 * double is exact to ~256 ns for today's times, so only a start that close to a whole second
 * needs the exact (allocating) bigint division — one span in a million, not every span.
 */
export function startSeconds(nanos: bigint): number {
  const approx = Number(nanos);
  const seconds = Math.floor(approx / 1e9);
  const rest = approx - seconds * 1e9;
  if (rest > 4096 && rest < 1e9 - 4096) return seconds;
  return Number(nanos / NANOS_PER_SECOND);
}

/** A span's duration in nanoseconds, 0 when the end is before the start (otel_traces' rule). */
export function durationNanos(start: bigint, end: bigint): number {
  const duration = end - start;
  return duration > 0n ? Number(duration) : 0;
}
