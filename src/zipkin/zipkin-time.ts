/**
 * Zipkin counts time in microseconds (epoch microseconds for timestamps); the model counts
 * nanoseconds as bigints.
 */

/**
 * Microseconds to nanoseconds. Zipkin defines integers, but senders write fractions: the
 * OpenTelemetry JS exporter sends `hrTimeToMicroseconds(startTime)` unrounded and Envoy has sent
 * `1.58266276796031e+15`. The whole and fractional parts are converted apart so the fraction is not
 * lost to float rounding in a 1e18-sized product. `micros` must be finite and not negative.
 */
export function microsToNanos(micros: number): bigint {
  const whole = Math.floor(micros);
  return BigInt(whole) * 1000n + BigInt(Math.round((micros - whole) * 1000));
}

/**
 * Epoch nanoseconds to a Zipkin timestamp, rounded to the nearest microsecond as zipkin-go's
 * `Timestamp.Round(time.Microsecond)` does in the Collector's zipkin exporter.
 */
export function nanosToMicros(nanos: bigint): number {
  return Number((nanos + 500n) / 1000n);
}

/**
 * A duration in nanoseconds to Zipkin microseconds, as zipkin-go marshals `duration` for the
 * Collector: rounded to the nearest microsecond, but never rounded down to zero (Zipkin's
 * `duration` has `minimum: 1`; "durations of less than one are rounded up").
 */
export function durationNanosToMicros(nanos: bigint): number {
  if (nanos > 0n && nanos < 1000n) return 1;
  return nanosToMicros(nanos);
}
