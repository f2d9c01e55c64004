/**
 * The last nanosecond a span's start, end and event times may be at, for the receivers to refuse
 * later ones (with OTLP partial success) rather than acknowledge spans the store drops.
 *
 * `DateTime64(9)` holds times up to 2262, but the Collector exporter's TTL, which every table
 * follows, is `toDateTime(Timestamp) + <retention>`: 32-bit Unix seconds, which wrap past
 * 2106-02-07 06:28:15 UTC, in the cast or in the addition, to a time long past — a span stamped
 * within the retention of that moment was acknowledged, then dropped by its own insert. So the
 * limit is 2^32 s less the retention; the store sets it when it opens (limitStorableTimes), and
 * without one (no TTL, or no store: a collector forwarding) it is 2106-02-07 06:28:15.999999999.
 * OTLP's fixed64 goes on to 2^64 − 1 ns (2554).
 *
 * Module state, read on the main thread, where receivers validate what they take.
 */
const TIME_WRAP_SECONDS = 2n ** 32n;

let lastStorableUnixNano = 0n;
/** The same, as the fixed64's two little-endian 32-bit halves, for the scanner of undecoded requests. */
let lastHigh = 0;
let lastLow = 0;
limitStorableTimes(0); // no retention: 2106-02-07 06:28:15.999999999

/** Times after the retention's reach past 2106 are refused from now on (retention 0: none). */
export function limitStorableTimes(retentionSeconds: number): void {
  const reach = BigInt(Math.max(0, Math.floor(retentionSeconds)));
  lastStorableUnixNano = (TIME_WRAP_SECONDS - reach) * 1_000_000_000n - 1n;
  lastHigh = Number(lastStorableUnixNano >> 32n);
  lastLow = Number(lastStorableUnixNano & 0xffff_ffffn);
}

export function lastStorableTime(): bigint {
  return lastStorableUnixNano;
}

/** Whether a fixed64 time given as its two 32-bit halves is past lastStorableTime(). */
export function fixed64PastStorable(low: number, high: number): boolean {
  return high > lastHigh || (high === lastHigh && low > lastLow);
}

/** lastStorableTime() as UTC, to the second, for messages. */
export function lastStorableTimeText(): string {
  return `${new Date(Number(lastStorableUnixNano / 1_000_000n)).toISOString().slice(0, 19)}Z`;
}
